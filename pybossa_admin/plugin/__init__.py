"""The plugin facade: the only core module a plugin imports (besides services and signals).

    from pybossa_admin.plugin import Plugin, MenuItem, AdminView, expose

Everything a plugin needs from core is re-exported here, so core can move things around
without breaking plugins.
"""
from flask_admin import expose  # noqa: F401
from flask_login import current_user  # noqa: F401

from .. import models, repositories  # noqa: F401
from ..admin_shell import AdminView  # noqa: F401
from ..auth.guards import admin_required, is_admin, login_required  # noqa: F401
from ..auth.views import issue_reset_link  # noqa: F401
from ..config import SETTINGS as CORE_SETTINGS  # noqa: F401
from ..config import Setting, boolean, choice, integer, number, text, text_list  # noqa: F401
from ..extensions import db  # noqa: F401
from ..jobs import PeriodicJob, QUEUES, enqueue, get_queue, get_redis  # noqa: F401
from ..jobs.periodic import schedule_table  # noqa: F401
from ..responses import error_response, jsonable, redirect_to, respond, wants_json  # noqa: F401
from .contract import AdminCard, MenuItem, Plugin  # noqa: F401
from .loader import disabled_in_database, plugin_records  # noqa: F401

__all__ = ["expose", "current_user", "models", "repositories", "AdminView", "admin_required", "is_admin",
           "login_required", "db", "PeriodicJob", "QUEUES", "enqueue", "get_queue", "get_redis", "schedule_table",
           "error_response", "jsonable", "redirect_to", "respond", "wants_json", "AdminCard", "MenuItem", "Plugin",
           "issue_reset_link", "CORE_SETTINGS", "Setting", "boolean", "choice", "integer", "number", "text",
           "text_list", "disabled_in_database", "plugin_records"]

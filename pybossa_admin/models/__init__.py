"""All models, importable from one place (also what Alembic autogenerate sees)."""
from .auditlog import AppendOnlyError, AuditLog
from .base import iso, utcnow
from .category import DEFAULT_CATEGORIES, Category
from .helping import HelpingMaterial
from .organization import Organization
from .platform import AppSetting, LogEvent, PluginState, Snapshot
from .project import Project
from .session import OneTimeToken, SignInSession
from .task import Result, Task, TaskRun
from .user import User, hash_token, new_api_key

__all__ = ["AppendOnlyError", "AuditLog", "iso", "utcnow", "DEFAULT_CATEGORIES", "Category", "Organization",
           "HelpingMaterial", "AppSetting", "LogEvent", "PluginState", "Snapshot", "Project", "OneTimeToken", "SignInSession",
           "Result", "Task", "TaskRun", "User", "hash_token", "new_api_key"]

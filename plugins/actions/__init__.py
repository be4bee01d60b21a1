"""Actions: restart workers or web processes, refresh the dashboard, maintenance mode, purge a project's
task runs. Each is confirmed first and logged on the platform channel with who did it.

Setting (plugin default, override in settings.py or PYBOSSA_ADMIN_ACTIONS_MAINTENANCE_CACHE_SECONDS):
    ACTIONS_MAINTENANCE_CACHE_SECONDS = 5   # how long each process trusts its copy of the maintenance flag
"""
from flask import current_app

from pybossa_admin.plugin import AdminCard, Plugin, Setting, number

NAME = "actions"


def _enabled() -> bool:
    from pybossa_admin.plugin import disabled_in_database
    return NAME not in disabled_in_database(current_app._get_current_object())


def _views():
    from .views import ActionsView
    return [ActionsView(name="Actions", url="/admin/actions", endpoint="actions", category="Platform")]


def _setup(app):
    from . import maintenance
    maintenance.install(app, _enabled)


plugin = Plugin(
    name=NAME,
    version="1.0.0",
    description="Operations, each confirmed and logged: restart workers and web processes, refresh the "
                "dashboard, maintenance mode, purge one project's task runs.",
    admin_views=_views,
    cards=(AdminCard("Actions", "actions.index", "Restarts, maintenance mode, dashboard refresh, purge."),),
    config={"ACTIONS_MAINTENANCE_CACHE_SECONDS": Setting(number(0, 300), 5.0)},
    setup=_setup,
)

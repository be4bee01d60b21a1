"""Actions: restart workers or web processes, refresh the dashboard, maintenance mode, purge a project's
task runs. Each is confirmed first and logged on the platform channel with who did it.

Setting (plugin default, override in settings.py or PYBOSSA_ADMIN_ACTIONS_MAINTENANCE_CACHE_SECONDS):
    ACTIONS_MAINTENANCE_CACHE_SECONDS = 5   # how long each process trusts its copy of the maintenance flag
"""
from flask import current_app

from pybossa_admin.plugin import AdminCard, Plugin

NAME = "actions"


def _enabled() -> bool:
    from pybossa_admin.plugin import disabled_in_database
    return NAME not in disabled_in_database(current_app._get_current_object())


def _views():
    from .views import ActionsView
    return [ActionsView(name="Actions", url="/admin/actions", endpoint="actions", category="Platform")]


def _setup(app):
    from . import maintenance
    raw = app.config["ACTIONS_MAINTENANCE_CACHE_SECONDS"]
    try:  # settings are parsed once, at start-up (environment values arrive as text)
        app.config["ACTIONS_MAINTENANCE_CACHE_SECONDS"] = float(str(raw).strip())
        assert 0 <= app.config["ACTIONS_MAINTENANCE_CACHE_SECONDS"] <= 300
    except (ValueError, AssertionError):
        raise ValueError(f"ACTIONS_MAINTENANCE_CACHE_SECONDS: expected seconds from 0 to 300, got {raw!r}") from None
    maintenance.install(app, _enabled)


plugin = Plugin(
    name=NAME,
    version="1.0.0",
    description="Operations, each confirmed and logged: restart workers and web processes, refresh the "
                "dashboard, maintenance mode, purge one project's task runs.",
    admin_views=_views,
    cards=(AdminCard("Actions", "actions.index", "Restarts, maintenance mode, dashboard refresh, purge."),),
    config={"ACTIONS_MAINTENANCE_CACHE_SECONDS": 5},
    setup=_setup,
)

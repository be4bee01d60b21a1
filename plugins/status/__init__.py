"""Status: database, Redis, queues and workers, versions, packages, environment and configuration
(secrets masked), active sign-in sessions with revoke, and the embedded default's limits."""
from pybossa_admin.plugin import AdminCard, Plugin


def _views():
    from .views import StatusView
    return [StatusView(name="Status", url="/admin/status", endpoint="status", category="Platform")]


def _session_count():
    from .probes import active_session_count
    return active_session_count()


plugin = Plugin(
    name="status",
    version="1.0.0",
    description="Database, Redis, queues, workers, versions, packages, environment and configuration "
                "(secrets masked), active sessions.",
    admin_views=_views,
    cards=(AdminCard("Status", "status.index", "Open sign-in sessions", count=_session_count),),
)

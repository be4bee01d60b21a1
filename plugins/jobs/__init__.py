"""Background jobs: rq-dashboard at /admin/rq/, and /admin/jobs for cancel, stop, retry and the
periodic-job table."""
from pybossa_admin.plugin import AdminCard, MenuItem, Plugin


def _views():
    from .views import JobsView
    return [JobsView(name="Jobs", url="/admin/jobs", endpoint="jobs", category="Platform")]


def _failed():
    from .control import failed_count
    return failed_count()


def _setup(app):
    from .rq_mount import mount
    mount(app)


plugin = Plugin(
    name="jobs",
    version="1.0.0",
    description="Background jobs: rq-dashboard, cancel, stop and retry, and the periodic-job table.",
    admin_views=_views,
    menu=(MenuItem("RQ dashboard", "rq_dashboard.queues_overview", category="Platform"),),
    cards=(AdminCard("Background jobs", "jobs.index", "Failed jobs waiting for a retry or a look.", count=_failed),),
    config={"JOBS_LIST_LIMIT": 20, "JOBS_POLL_INTERVAL_MS": 2500},
    setup=_setup,
)

"""The admin dashboard: the last 7 days of activity, computed by a job and stored as a snapshot."""
from pybossa_admin.plugin import AdminCard, PeriodicJob, Plugin


def _views():
    from .views import DashboardView
    return [DashboardView(name="Dashboard", url="/admin/dashboard", endpoint="dashboard", category="Insights")]


plugin = Plugin(
    name="stats",
    version="1.0.0",
    description="The 7-day dashboard: active volunteers, new users, projects, tasks and task runs, returning "
                "users and a live activity feed.",
    admin_views=_views,
    cards=(AdminCard("Dashboard", "dashboard.index", "The last 7 days: volunteers, projects, tasks and runs."),),
    periodic_jobs=(PeriodicJob("stats.dashboard", "plugins.stats.jobs.refresh_dashboard", "low", 24 * 3600),),
    config={
        "STATS_FEED_LIMIT": 30,            # events in the activity feed
        "STATS_FEED_POLL_SECONDS": 15,     # how often the page asks for new events
        "STATS_LIST_LIMIT": 100,           # projects listed per list (totals are always exact)
        "STATS_KEEP_DAYS": 30,             # daily snapshots kept
        "STATS_REFRESH_TIMEOUT": 900,      # seconds a queued refresh blocks another one
        "STATS_WORK_MEM": "64MB",          # PostgreSQL work_mem for the refresh transaction ("" = server's)
    },
)

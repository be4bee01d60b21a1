"""Stats over time: a daily snapshot of the platform's figures, charts over 30/90/365 days, JSON series.

Not the 7-day dashboard (that is the `stats` plugin at /admin/dashboard/); this one lives at /admin/stats.
Days are UTC days. The job history.daily_snapshot runs every 24 h on `low`; history is filled with the
Backfill button or `pybossa-admin history backfill --days 365`.
"""
from pybossa_admin.plugin import AdminCard, PeriodicJob, Plugin


def _views():
    from .views import HistoryView
    return [HistoryView(name="Stats over time", url="/admin/stats", endpoint="history", category="Insights")]


def _cli():
    from .cli import history
    return history


plugin = Plugin(
    name="history",
    version="1.0.0",
    description="Stats over time: daily snapshots of users, volunteers, projects, tasks and task runs, "
                "charted over 30, 90 and 365 days.",
    admin_views=_views,
    cards=(AdminCard("Stats over time", "history.index", "Daily figures over 30, 90 and 365 days."),),
    periodic_jobs=(PeriodicJob("history.daily_snapshot", f"{__name__}.jobs.daily_snapshot", "low", 24 * 3600),),
    cli=(_cli(),),
)

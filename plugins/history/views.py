"""/admin/stats: the platform's figures over 30, 90 or 365 days, as charts and JSON series."""
from __future__ import annotations

from flask import flash, request, url_for

from pybossa_admin.plugin import AdminView, current_user, enqueue, error_response, expose, redirect_to
from pybossa_admin.services import events

from . import jobs, snapshots

PERIODS = (30, 90, 365)
MAX_DAYS = 3660


def _days(raw, default=30) -> int:
    """The number of days asked for; ValueError with a message for anything else."""
    if raw in (None, ""):
        return default
    text = str(raw).strip()
    if not text.isdigit() or not 1 <= int(text) <= MAX_DAYS:
        raise ValueError(f"days: expected a number of days from 1 to {MAX_DAYS} (e.g. 30, 90 or 365), got {text!r}")
    return int(text)


class HistoryView(AdminView):
    @expose("")  # /admin/stats answers as well as /admin/stats/ (no redirect for API-style callers)
    @expose("/")
    def index(self):
        try:
            days = _days(request.args.get("days"))
        except ValueError as exc:
            return error_response(400, str(exc))
        data = snapshots.series(days)
        charts = [{"key": key, "title": title, "kind": kind,
                   "points": [v or 0 for v in data["series"][key]]} for key, title, kind in snapshots.SERIES]
        latest = {key: next((v for v in reversed(data["series"][key]) if v is not None), None)
                  for key in snapshots.KEYS}
        return self.respond("history/index.html", title="Stats over time", periods=PERIODS, _charts=charts,
                            latest=latest, backfill=jobs.progress(), **data)

    @expose("/backfill", methods=["POST"])
    def backfill(self):
        try:
            days = _days(request.form.get("days"), default=365)
        except ValueError as exc:
            return error_response(400, str(exc))
        overwrite = request.form.get("overwrite") in ("1", "on", "true", "yes")
        job = enqueue(jobs.backfill, days, int(overwrite), queue="low", description=f"stats backfill {days} days")
        events.record("platform", "history.backfill",
                      f"{current_user.name} asked for a backfill of {days} days"
                      + (" (overwriting)" if overwrite else ""), data={"days": days, "overwrite": overwrite,
                                                                        "job_id": job.id})
        if job.is_finished:
            result = job.return_value()
            flash(f"Backfill done: {result['computed']} days computed, {result['kept']} kept.", "success")
        elif job.is_failed:
            flash("The backfill failed; see the Jobs tab of the logs.", "error")
        else:
            flash(f"Backfill of {days} days queued (job {job.id}); this page shows its progress.", "success")
        shown = days if days in PERIODS else 30
        return redirect_to(url_for(".index", days=shown))

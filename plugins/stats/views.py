"""/admin/dashboard/: the stored 7-day snapshot (instant), a live activity feed and refresh controls."""
from __future__ import annotations

from flask import current_app, flash, jsonify, request, url_for

from pybossa_admin.plugin import AdminView, expose, redirect_to

from . import feed, jobs, snapshots

MESSAGES = {
    "queued": ("Dashboard refresh queued on the low queue. This page updates when it is done.", "success"),
    "pending": ("A dashboard refresh is already queued. This page updates when it is done.", "message"),
    "done": ("Dashboard refreshed.", "success"),
    "failed": ("The dashboard refresh failed. See Jobs for the error.", "error"),
}


def _snapshot_meta(row) -> dict | None:
    if row is None:
        return None
    age = snapshots.age_seconds(row)
    return {"id": row.id, "created": row.created.isoformat(), "age_seconds": age, "age": snapshots.humanize(age)}


def _refresh() -> str:
    outcome = jobs.request_refresh()
    flash(*MESSAGES[outcome])
    return outcome


class DashboardView(AdminView):

    @expose("/")
    def index(self):
        if request.args.get("refresh") == "1":
            _refresh()
        row = snapshots.latest()
        common = {"title": "Dashboard", "refresh_pending": jobs.refresh_pending(),
                  "feed_url": url_for(".activity"), "refresh_url": url_for(".refresh"),
                  "poll_seconds": current_app.config["STATS_FEED_POLL_SECONDS"],
                  "embedded_jobs": current_app.config["EMBEDDED_JOBS"]}
        if row is None:
            return self.respond("stats/dashboard.html", wait=True, snapshot=None, **common)
        return self.respond("stats/dashboard.html", wait=False, snapshot=_snapshot_meta(row),
                            update_feed=feed.recent_activity(current_app.config["STATS_FEED_LIMIT"]),
                            **row.data, **common)

    @expose("/refresh", methods=["POST"])
    def refresh(self):
        _refresh()
        return redirect_to(url_for(".index"))

    @expose("/activity")
    def activity(self):
        """What the page polls: the live feed and whether a newer snapshot exists."""
        response = jsonify({"update_feed": feed.recent_activity(current_app.config["STATS_FEED_LIMIT"]),
                            "snapshot": _snapshot_meta(snapshots.latest()),
                            "refresh_pending": jobs.refresh_pending()})
        response.headers["Cache-Control"] = "no-store"
        return response

"""The dashboard refresh job (queue `low`, every 24 h and on demand) and the on-demand trigger."""
from __future__ import annotations

from flask import current_app

from pybossa_admin.plugin import enqueue, get_redis
from pybossa_admin.services import events

from . import figures, snapshots

JOB = "plugins.stats.jobs.refresh_dashboard"
QUEUE = "low"
# Set while a refresh is queued or running, so a burst of clicks (or ?refresh=1 reloads) queues one job.
PENDING_KEY = "pybossa_admin:stats:dashboard:pending"


def refresh_dashboard() -> dict:
    """Compute the 7-day figures and store them as today's dashboard snapshot. Idempotent."""
    cfg = current_app.config
    try:
        data = figures.compute(list_limit=cfg["STATS_LIST_LIMIT"], work_mem=cfg["STATS_WORK_MEM"])
        row = snapshots.save(data, keep_days=cfg["STATS_KEEP_DAYS"])
        events.record("jobs", "stats.dashboard", f"Dashboard refreshed in {data['elapsed_ms']:.0f} ms",
                      data={"snapshot_id": row.id, "elapsed_ms": data["elapsed_ms"]})
        return {"snapshot_id": row.id, "elapsed_ms": data["elapsed_ms"]}
    finally:
        get_redis().delete(PENDING_KEY)


def refresh_pending() -> bool:
    return bool(get_redis().exists(PENDING_KEY))


def request_refresh() -> str:
    """Queue a refresh on `low` unless one is pending: 'queued', 'pending', 'done' or 'failed'.

    On the embedded default the job runs inline, so the answer is already 'done' (or 'failed')."""
    redis = get_redis()
    if not redis.set(PENDING_KEY, "1", nx=True, ex=current_app.config["STATS_REFRESH_TIMEOUT"]):
        return "pending"
    try:
        job = enqueue(JOB, queue=QUEUE, description="Refresh the admin dashboard")
    except Exception:
        redis.delete(PENDING_KEY)
        raise
    if job.is_finished:
        return "done"
    if job.is_failed:
        redis.delete(PENDING_KEY)
        return "failed"
    return "queued"

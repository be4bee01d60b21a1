"""What rq-dashboard lacks: cancel a queued job, stop a running one, retry a failed one; plus a
bounded overview of every queue for the /admin/jobs page."""
from __future__ import annotations

import re

from flask import current_app
from rq import Worker
from rq.command import send_stop_job_command
from rq.exceptions import InvalidJobOperation, NoSuchJobError
from rq.job import Job, JobStatus

from pybossa_admin.plugin import QUEUES, get_queue, get_redis

JOB_ID_RE = re.compile(r"^[A-Za-z0-9_.:-]{1,128}$")
CANCELABLE = (JobStatus.QUEUED, JobStatus.DEFERRED, JobStatus.SCHEDULED)
RETRYABLE = (JobStatus.FAILED, JobStatus.STOPPED)


class JobError(Exception):
    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


def _status(job) -> str:
    status = job.get_status(refresh=False)
    return getattr(status, "value", status) or "unknown"


def find(job_id: str) -> Job:
    if not JOB_ID_RE.match(job_id or ""):
        raise JobError("No such job.", 404)
    try:
        return Job.fetch(job_id, connection=get_redis())
    except NoSuchJobError:
        raise JobError(f"No job {job_id} (it may have finished and expired).", 404) from None


def cancel(job_id: str) -> Job:
    job = find(job_id)
    if job.get_status() not in CANCELABLE:
        raise JobError(f"Only a queued, deferred or scheduled job can be canceled; job {job.id} is {_status(job)}.",
                       409)
    job.cancel()
    return job


def stop(job_id: str) -> Job:
    job = find(job_id)
    if job.get_status() != JobStatus.STARTED:
        raise JobError(f"Only a running job can be stopped; job {job.id} is {_status(job)}.", 409)
    try:
        send_stop_job_command(get_redis(), job.id)
    except InvalidJobOperation as exc:
        raise JobError(str(exc), 409) from None
    return job


def retry(job_id: str) -> Job:
    job = find(job_id)
    if job.get_status() not in RETRYABLE:
        raise JobError(f"Only a failed or stopped job can be retried; job {job.id} is {_status(job)}.", 409)
    try:
        job.requeue()
    except InvalidJobOperation as exc:
        raise JobError(str(exc), 409) from None
    if current_app.config["EMBEDDED_JOBS"]:
        run_queued_inline()
        job.refresh()
    return job


def run_queued_inline() -> int:
    """Embedded default only: run whatever sits in the queues now, in this process (there is no worker)."""
    ran = 0
    for name in QUEUES:
        queue = get_queue(name)
        for job_id in queue.get_job_ids():
            job = queue.fetch_job(job_id)
            queue.remove(job_id)
            if job is not None:
                queue.run_sync(job)
                ran += 1
    return ran


def describe(job: Job) -> dict:
    result = job.latest_result() if _status(job) in ("failed", "stopped") else None
    error = (result.exc_string or "").strip().splitlines()[-1:] if result and result.exc_string else []
    return {"id": job.id, "description": job.description, "function": job.meta.get("function") or job.func_name,
            "status": _status(job), "origin": job.origin, "worker": job.worker_name,
            "created_at": job.created_at, "enqueued_at": job.enqueued_at, "started_at": job.started_at,
            "ended_at": job.ended_at, "error": error[0][:300] if error else None}


def _jobs(ids: list[str]) -> list[dict]:
    return [describe(job) for job in Job.fetch_many(ids, connection=get_redis()) if job is not None]


def overview(limit: int) -> list[dict]:
    """Per queue: counts in every registry and the first `limit` queued, running and failed jobs."""
    rows = []
    for name in QUEUES:
        queue = get_queue(name)
        registries = {"started": queue.started_job_registry, "failed": queue.failed_job_registry,
                      "scheduled": queue.scheduled_job_registry, "deferred": queue.deferred_job_registry,
                      "finished": queue.finished_job_registry, "canceled": queue.canceled_job_registry}
        counts = {"queued": queue.count}
        counts.update({key: reg.get_job_count(cleanup=False) for key, reg in registries.items()})
        rows.append({
            "name": name, "counts": counts,
            "queued": _jobs(queue.get_job_ids(0, limit)),
            "started": _jobs(registries["started"].get_job_ids(0, limit - 1, cleanup=False)),
            "failed": _jobs(registries["failed"].get_job_ids(0, limit - 1, desc=True, cleanup=False)),
        })
    return rows


def failed_count() -> int:
    return sum(get_queue(name).failed_job_registry.get_job_count(cleanup=False) for name in QUEUES)


def workers() -> list[dict]:
    found = []
    for worker in Worker.all(connection=get_redis()):
        found.append({"name": worker.name, "state": str(worker.get_state()),
                      "queues": [q.name for q in worker.queues], "current_job": worker.get_current_job_id(),
                      "last_heartbeat": worker.last_heartbeat})
    return found

"""Running the periodic-job table with rq's CronScheduler, in exactly one process.

Last-enqueue times are kept in Redis per job name, so a restarted cron process continues the
schedule instead of running everything again, and the admin can see last and next runs.
"""
from __future__ import annotations

import socket
from datetime import datetime, timedelta, timezone

from flask import current_app
from rq.cron import CronScheduler

from . import get_redis, periodic_jobs, run_in_app

LOCK_KEY = "pybossa_admin:cron:lock"
LAST_KEY = "pybossa_admin:cron:last"
LOCK_TTL = 120


class CronAlreadyRunning(RuntimeError):
    pass


def last_runs(app=None) -> dict[str, datetime]:
    raw = get_redis(app).hgetall(LAST_KEY)
    return {k.decode(): datetime.fromtimestamp(float(v), timezone.utc) for k, v in raw.items()}


def schedule_table(app=None) -> list[dict]:
    """Each periodic job with its queue, interval, last and next run."""
    last = last_runs(app)
    rows = []
    for job in periodic_jobs(app):
        previous = last.get(job.name)
        rows.append({"name": job.name, "function": job.func, "queue": job.queue, "interval": job.interval,
                     "last_run": previous.isoformat() if previous else None,
                     "next_run": (previous + timedelta(seconds=job.interval)).isoformat() if previous else None})
    return rows


def mark_run(name: str, when: datetime | None = None, app=None):
    when = when or datetime.now(timezone.utc)
    get_redis(app).hset(LAST_KEY, name, when.timestamp())


def acquire_lock(app=None) -> str:
    owner = f"{socket.gethostname()}:{id(app or current_app)}"
    if not get_redis(app).set(LOCK_KEY, owner, nx=True, ex=LOCK_TTL):
        holder = get_redis(app).get(LOCK_KEY)
        raise CronAlreadyRunning(f"another cron process holds the lock ({holder.decode() if holder else '?'})")
    return owner


class PlatformCron(CronScheduler):
    """rq's scheduler plus our lock refresh and last-run bookkeeping."""

    def __init__(self, app, **kwargs):
        super().__init__(connection=get_redis(app), **kwargs)
        self.app = app
        last = last_runs(app)
        for job in periodic_jobs(app):
            cron_job = self.register(run_in_app, queue_name=job.queue, args=(job.func,), interval=job.interval,
                                     name=job.name, job_timeout=app.config["JOB_TIMEOUT"])
            if job.name in last:
                cron_job.set_enqueue_time(last[job.name])

    def enqueue_jobs(self):
        enqueued = super().enqueue_jobs()
        for job in enqueued:
            mark_run(job.name, job.latest_enqueue_time, self.app)
        return enqueued

    def heartbeat(self):
        super().heartbeat()
        get_redis(self.app).expire(LOCK_KEY, LOCK_TTL)

    def register_death(self, pipeline=None):
        super().register_death(pipeline)
        get_redis(self.app).delete(LOCK_KEY)

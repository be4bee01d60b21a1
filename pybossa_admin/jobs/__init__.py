"""Redis handle, queues and the job wrapper.

Jobs are importable functions that take ids. They are enqueued through `enqueue`, which wraps
them in `run_in_app`, so a worker (ours or a plain `rq worker`) runs them inside an app context.
On the embedded default (REDIS_URL=fakeredis://) queues run jobs inline in the calling process.
"""
from __future__ import annotations

import importlib
import time
from dataclasses import dataclass

from flask import current_app, has_app_context
from rq import Queue

QUEUES = ("high", "medium", "low", "maintenance")


@dataclass(frozen=True)
class PeriodicJob:
    """A periodic job, declared as data by core or a plugin."""
    name: str
    func: str          # dotted path "package.module:function" or "package.module.function"
    queue: str
    interval: int      # seconds

    def __post_init__(self):
        if self.queue not in QUEUES:
            raise ValueError(f"periodic job {self.name}: unknown queue {self.queue!r}")
        if self.interval < 1:
            raise ValueError(f"periodic job {self.name}: interval must be positive")


def init_app(app):
    url = app.config["REDIS_URL"]
    if url.startswith("fakeredis://"):
        import fakeredis
        # One fake server per app: jobs and counters never leak between apps or tests.
        connection = fakeredis.FakeStrictRedis(server=fakeredis.FakeServer())
    else:
        from redis import Redis
        connection = Redis.from_url(url, health_check_interval=30)
    app.extensions["redis"] = connection
    registry = app.extensions.setdefault("pybossa_admin", {})
    registry.setdefault("periodic_jobs", {})
    from .core_jobs import CORE_PERIODIC_JOBS
    for job in CORE_PERIODIC_JOBS:
        register_periodic(app, job)


def get_redis(app=None):
    return (app or current_app).extensions["redis"]


def get_queue(name: str, app=None) -> Queue:
    app = app or current_app
    if name not in QUEUES:
        raise ValueError(f"unknown queue {name!r}; queues are {', '.join(QUEUES)}")
    return Queue(name, connection=get_redis(app), is_async=not app.config["EMBEDDED_JOBS"],
                 default_timeout=app.config["JOB_TIMEOUT"])


def dotted(func) -> str:
    return func if isinstance(func, str) else f"{func.__module__}.{func.__qualname__}"


def resolve(path: str):
    module_name, _, attr = path.replace(":", ".").rpartition(".")
    return getattr(importlib.import_module(module_name), attr)


def enqueue(func, *args, queue: str = "low", description: str | None = None, **job_kwargs):
    """Enqueue func(*args) on a named queue; args must be plain ids and values."""
    path = dotted(func)
    return get_queue(queue).enqueue(run_in_app, path, *args, description=description or path,
                                    meta={"function": path}, **job_kwargs)


_worker_app = None


def run_in_app(path: str, *args):
    """The job wrapper: runs path(*args) inside an app context (reusing the current one if any)."""
    if has_app_context():
        return _run_logged(path, args)
    global _worker_app  # one app per worker process, created on its first job
    if _worker_app is None:
        from pybossa_admin import create_app
        _worker_app = create_app()
    with _worker_app.app_context():
        return _run_logged(path, args)


def _run_logged(path: str, args: tuple):
    """Run the job; a failure (with its exception) and every periodic run go to the jobs log channel."""
    started = time.monotonic()
    try:
        result = resolve(path)(*args)
    except Exception as exc:
        _record_job_event(path, args, started, exc)
        raise
    if path in {job.func for job in periodic_jobs()}:
        _record_job_event(path, args, started, None, result)
    return result


def _record_job_event(path: str, args: tuple, started: float, exc: Exception | None, result=None):
    """Best effort: a broken log must never hide the job's own outcome. Secrets are masked."""
    import traceback

    from rq import get_current_job

    from ..extensions import db
    from ..services import events, masking
    try:
        known = masking.known_secrets(current_app.config)
        names = [job.name for job in periodic_jobs() if job.func == path]
        current = get_current_job()
        data = {"function": path, "args": masking.mask_data(list(args[:10]), known),
                "duration_ms": int((time.monotonic() - started) * 1000),
                "job_id": current.id if current else None, "periodic": names[0] if names else None}
        if exc is not None:
            # The failed job's transaction is unusable (or half done): drop it before writing the row.
            db.session.rollback()
            text = masking.mask_text(f"{type(exc).__name__}: {exc}", known)
            data.update(exception=type(exc).__name__,
                        traceback=masking.mask_text(traceback.format_exc()[-4000:], known))
            events.record("jobs", "job.failed", f"{names[0] if names else path} failed: {text}", level="error",
                          data=data)
        else:
            if _small_json(result):
                data["result"] = masking.mask_data(result, known)
            events.record("jobs", "job.periodic", f"{names[0]} ran in {data['duration_ms']} ms", data=data)
    except Exception:  # noqa: BLE001 - logging must not change what the job did
        current_app.logger.warning("could not record the jobs event for %s", path, exc_info=True)
        try:
            db.session.rollback()
        except Exception:  # noqa: BLE001
            pass


def _small_json(value) -> bool:
    import json
    try:
        return value is not None and len(json.dumps(value)) < 500
    except (TypeError, ValueError):
        return False


def register_periodic(app, job: PeriodicJob):
    """Declare a periodic job; the same name twice keeps one (the later declaration wins)."""
    app.extensions["pybossa_admin"]["periodic_jobs"][job.name] = job


def periodic_jobs(app=None) -> list[PeriodicJob]:
    app = app or current_app
    return sorted(app.extensions["pybossa_admin"]["periodic_jobs"].values(), key=lambda j: j.name)

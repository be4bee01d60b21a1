"""Jobs: named queues, the app-context wrapper, inline jobs on the embedded default, a real worker
process on the Redis stack, the periodic-job table, the cron lock and resuming from last runs."""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from pybossa_admin import ROOT
from pybossa_admin.extensions import db
from pybossa_admin.jobs import QUEUES, PeriodicJob, enqueue, get_queue, get_redis, periodic_jobs, register_periodic
from pybossa_admin.jobs.periodic import (LOCK_KEY, CronAlreadyRunning, PlatformCron, acquire_lock, last_runs,
                                         mark_run, schedule_table)
from pybossa_admin.models import LogEvent

from ..conftest import REDIS_URL
from .plugin_kit import write_plugin

TARGET = "tests.core.job_targets.record_event"


def _messages() -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(select(LogEvent.message).where(LogEvent.event == "test.job")))


def test_queues_are_named(app):
    assert QUEUES == ("high", "medium", "low", "maintenance")
    assert [get_queue(name).name for name in QUEUES] == list(QUEUES)
    with pytest.raises(ValueError, match="unknown queue 'urgent'"):
        get_queue("urgent")
    with pytest.raises(ValueError, match="unknown queue"):
        PeriodicJob("bad", TARGET, "urgent", 60)


def test_enqueue_runs_the_job_in_an_app_context(app, run_jobs):
    from .job_targets import count_to
    job = enqueue(TARGET, "written by a job", queue="high")
    assert job.origin == "high" and job.meta["function"] == TARGET
    if app.config["EMBEDDED_JOBS"]:
        assert job.is_finished  # inline, before any worker
    run_jobs()
    assert _messages() == ["written by a job"]
    by_function = enqueue(count_to, 4, queue="medium")
    run_jobs()
    by_function.refresh()
    assert by_function.is_finished and by_function.return_value() == 10


def test_worker_process_runs_enqueued_jobs(app, tmp_path):
    runner = app.test_cli_runner()
    if app.config["EMBEDDED_JOBS"]:
        # Nothing to run out of process on the fake Redis: the command says so instead of idling.
        result = runner.invoke(args=["jobs", "worker", "--burst"])
        assert result.exit_code == 2 and "runs jobs inline in the web process" in result.output
        return
    enqueue(TARGET, "written by a worker process", queue="low")
    db.session.commit()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYBOSSA_ADMIN_")}
    env.update(PYBOSSA_ADMIN_DATABASE_URL=app.config["DATABASE_URL"], PYBOSSA_ADMIN_REDIS_URL=REDIS_URL,
               PYBOSSA_ADMIN_SECRET_KEY=app.config["SECRET_KEY"], PYBOSSA_ADMIN_INSTANCE_PATH=str(tmp_path),
               PYTHONPATH=ROOT)
    done = subprocess.run([sys.executable, os.path.join(ROOT, "cli.py"), "jobs", "worker", "--burst"], env=env,
                          cwd=str(tmp_path), capture_output=True, text=True, timeout=180, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr[-2000:]
    assert _messages() == ["written by a worker process"]
    assert get_queue("low").count == 0


def test_periodic_table_keeps_one_job_per_name(make_app, tmp_path):
    folder = tmp_path / "plugins"
    write_plugin(folder, "ticker", '''
from pybossa_admin.plugin import PeriodicJob, Plugin

plugin = Plugin(name="ticker", version="1.0", periodic_jobs=(
    PeriodicJob("ticker.tick", "tests.core.job_targets.count_to", "low", 60),
    PeriodicJob("ticker.tick", "tests.core.job_targets.count_to", "medium", 300),
    PeriodicJob("core.housekeeping", "pybossa_admin.jobs.core_jobs.housekeeping", "maintenance", 86400),
))
''')
    app = make_app(PLUGINS_FOLDER=str(folder))
    register_periodic(app, PeriodicJob("ticker.tick", "tests.core.job_targets.count_to", "medium", 300))
    jobs = periodic_jobs(app)
    names = [job.name for job in jobs]
    assert len(names) == len(set(names))
    assert {"core.housekeeping", "ticker.tick"} <= set(names)
    tick = next(job for job in jobs if job.name == "ticker.tick")
    assert (tick.queue, tick.interval) == ("medium", 300)  # the later declaration wins
    with app.app_context():
        cron = PlatformCron(app)
        assert sorted(job.name for job in cron.get_jobs()) == sorted(names)
        db.session.remove()


def test_cron_lock_refuses_a_second_process(app):
    owner = acquire_lock(app)
    assert owner
    with pytest.raises(CronAlreadyRunning, match="another cron process holds the lock"):
        acquire_lock(app)
    assert 0 < get_redis(app).ttl(LOCK_KEY) <= 120  # a crashed process frees it by expiry
    result = app.test_cli_runner().invoke(args=["jobs", "cron"])
    if app.config["EMBEDDED_JOBS"]:
        assert result.exit_code == 2 and "nothing for a worker or cron process to do" in result.output
    else:
        assert result.exit_code == 1 and "another cron process holds the lock" in result.output
    get_redis(app).delete(LOCK_KEY)
    assert acquire_lock(app)


def test_platform_cron_resumes_from_last_runs(app):
    first = PlatformCron(app)
    names = {job.name for job in periodic_jobs(app)}
    assert {job.name for job in first.enqueue_jobs()} == names  # never ran: all due
    runs = last_runs(app)
    assert set(runs) == names
    restarted = PlatformCron(app)
    assert restarted.enqueue_jobs() == []  # resumed: nothing is due again yet
    long_ago = datetime.now(timezone.utc) - timedelta(days=2)
    mark_run("core.housekeeping", long_ago, app)
    later = PlatformCron(app)
    assert [job.name for job in later.enqueue_jobs()] == ["core.housekeeping"]
    row = next(r for r in schedule_table(app) if r["name"] == "core.housekeeping")
    last = datetime.fromisoformat(row["last_run"])
    assert abs((datetime.now(timezone.utc) - last).total_seconds()) < 60
    assert datetime.fromisoformat(row["next_run"]) - last == timedelta(seconds=row["interval"])
    assert get_queue("maintenance").count >= 1  # enqueued for a worker, never run by cron itself

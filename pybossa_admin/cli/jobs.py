import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from ..jobs import QUEUES, get_redis, periodic_jobs
from ..jobs.periodic import CronAlreadyRunning, PlatformCron, acquire_lock, schedule_table


@click.group("jobs")
def jobs():
    """Background workers and the periodic-job process."""


def _needs_redis():
    if current_app.config["EMBEDDED_JOBS"]:
        click.echo("The embedded default runs jobs inline in the web process; there is nothing for a worker "
                   "or cron process to do. Set REDIS_URL to a real Redis to use them.", err=True)
        sys.exit(2)


@jobs.command("worker")
@click.argument("queues", nargs=-1)
@click.option("--burst", is_flag=True, help="Stop when the queues are empty.")
@click.option("--no-scheduler", is_flag=True, help="Do not run delayed jobs in this worker.")
@with_appcontext
def worker(queues, burst, no_scheduler):
    """Run a worker on QUEUES (default: all, highest first) with rq's scheduler."""
    from rq import Worker
    _needs_redis()
    unknown = [q for q in queues if q not in QUEUES]
    if unknown:
        raise click.BadParameter(f"unknown queue(s) {', '.join(unknown)}; queues are {', '.join(QUEUES)}")
    from ..jobs import get_queue
    names = queues or QUEUES
    # The app context stays pushed, so forked work-horses run jobs inside it.
    Worker([get_queue(n) for n in names], connection=get_redis()).work(
        burst=burst, with_scheduler=not no_scheduler)


@jobs.command("cron")
@with_appcontext
def cron():
    """Enqueue the periodic jobs on time. Run exactly one of these (a lock refuses a second one)."""
    _needs_redis()
    try:
        acquire_lock()
    except CronAlreadyRunning as exc:
        click.echo(f"Error: {exc}.", err=True)
        sys.exit(1)
    scheduler = PlatformCron(current_app._get_current_object())
    for job in periodic_jobs():
        click.echo(f"{job.name}: {job.func} on {job.queue} every {job.interval}s")
    scheduler.start()


@jobs.command("list")
@with_appcontext
def list_jobs():
    """The periodic-job table with last and next runs."""
    for row in schedule_table():
        click.echo(f"{row['name']:<28} {row['queue']:<12} every {row['interval']:>6}s  "
                   f"last {row['last_run'] or '-':<32} next {row['next_run'] or '-'}")

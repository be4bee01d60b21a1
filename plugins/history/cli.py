"""`pybossa-admin history ...`: snapshots from the command line, with a progress bar."""
import click
from flask.cli import AppGroup

from pybossa_admin.services import events

from . import jobs, snapshots

history = AppGroup("history", help="Daily platform figures behind /admin/stats.")


@history.command("backfill")
@click.option("--days", default=365, show_default=True, type=click.IntRange(1, 3660),
              help="How many days back from today.")
@click.option("--overwrite", is_flag=True, help="Recompute days that already have a snapshot.")
def backfill(days, overwrite):
    """Compute the missing daily snapshots of the last DAYS days."""
    with click.progressbar(length=days, label=f"Daily snapshots ({days} days)") as bar:
        result = snapshots.backfill(days, overwrite, progress=lambda done, total: bar.update(1))
    events.record("platform", "history.backfill",
                  f"backfill of {days} days from the command line: {result['computed']} computed, "
                  f"{result['kept']} kept", user_name="cli", data=result)
    click.echo(f"{result['computed']} days computed, {result['kept']} kept ({result['first']} to {result['last']}).")


@history.command("snapshot")
def snapshot():
    """Compute yesterday's and today's snapshot now (what the daily job does)."""
    result = jobs.daily_snapshot()
    click.echo(f"Snapshots stored for {', '.join(result['days'])}.")

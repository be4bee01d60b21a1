"""Daily figures, one Snapshot(kind="daily", day=...) row per UTC day. Portable SQL (SQLite, PostgreSQL).

Per day:
- users, projects, tasks: totals at the end of the day (rows created before midnight UTC);
- new_users: accounts created that day;
- task_runs: task runs submitted (finish_time) that day;
- active_volunteers: distinct volunteers with a task run that day (registered by user id, anonymous by
  their cookie id);
- completed_tasks: tasks whose n_answers-th task run (in finish_time order) arrived that day.
Totals come from today's rows, so deleted users or projects vanish from recomputed days; rows written
by the daily job keep the figures of their day, and backfill leaves them alone unless asked to overwrite.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from typing import Callable, Iterator

from sqlalchemy import case, distinct, func, select, text
from sqlalchemy.exc import IntegrityError

from pybossa_admin.plugin import db, models

KIND = "daily"
# (key, label, chart): "line" for running totals, "bars" for per-day counts.
SERIES = (
    ("users", "Users (total)", "line"),
    ("new_users", "New users", "bars"),
    ("active_volunteers", "Active volunteers", "bars"),
    ("projects", "Projects (total)", "line"),
    ("tasks", "Tasks (total)", "line"),
    ("task_runs", "Task runs", "bars"),
    ("completed_tasks", "Completed tasks", "bars"),
)
KEYS = tuple(key for key, _, _ in SERIES)
_TOTALS = {"users": models.User.created, "projects": models.Project.created, "tasks": models.Task.created}


def today() -> date:
    return models.utcnow().date()


def bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time.min, tzinfo=timezone.utc)
    return start, start + timedelta(days=1)


def _count(column, start: datetime | None, end: datetime) -> int:
    stmt = select(func.count()).select_from(column.table).where(column < end)
    if start is not None:
        stmt = stmt.where(column >= start)
    return db.session.scalar(stmt) or 0


def _activity(start: datetime, end: datetime) -> dict:
    run = models.TaskRun
    in_day = (run.finish_time >= start, run.finish_time < end)
    runs, registered, anonymous = db.session.execute(
        select(func.count(), func.count(distinct(run.user_id)),
               func.count(distinct(case((run.user_id.is_(None), run.anon_id))))).where(*in_day)).one()
    return {"task_runs": runs, "active_volunteers": registered + anonymous,
            "completed_tasks": _completed(start, end) if runs else 0}


def _completed(start: datetime, end: datetime) -> int:
    """Tasks whose n_answers-th run finished in [start, end): fewer than n_answers runs before the day,
    at least n_answers by its end. Only tasks with a run that day are looked at, each through the
    task_run index that starts with task_id, so the cost follows the day's activity, not the table."""
    run, task = models.TaskRun, models.Task
    touched = select(run.task_id).where(run.finish_time >= start, run.finish_time < end).distinct().subquery()

    def runs_before(moment):
        return (select(func.count()).select_from(run).where(run.task_id == task.id, run.finish_time < moment)
                .correlate(task).scalar_subquery())

    stmt = (select(func.count()).select_from(task).join(touched, touched.c.task_id == task.id)
            .where(runs_before(end) >= task.n_answers, runs_before(start) < task.n_answers))
    return db.session.scalar(stmt) or 0


def _no_jit() -> None:
    """PostgreSQL compiles "expensive" queries with JIT; for these many small counts that costs more
    than it saves (measured: ~230 ms of JIT per day's query at 1M task runs). Only this transaction."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SET LOCAL jit = off"))


def compute(first: date, last: date, wanted: set[date] | None = None) -> Iterator[tuple[date, dict | None]]:
    """(day, figures) for each day from first to last; figures is None for days not in `wanted`.

    Running totals are counted once before `first` and then advanced by each day's new rows, so a
    year costs a few small range counts per day rather than a full count per day."""
    _no_jit()
    totals = {key: _count(column, None, bounds(first)[0]) for key, column in _TOTALS.items()}
    day = first
    while day <= last:
        start, end = bounds(day)
        _no_jit()  # each day's queries run in a new transaction (save() commits in between)
        new = {key: _count(column, start, end) for key, column in _TOTALS.items()}
        for key in totals:
            totals[key] += new[key]
        if wanted is not None and day not in wanted:
            yield day, None
        else:
            yield day, {**totals, "new_users": new["users"], **_activity(start, end)}
        day += timedelta(days=1)


def existing_days(first: date, last: date) -> set[date]:
    snap = models.Snapshot
    return set(db.session.scalars(select(snap.day).where(snap.kind == KIND, snap.day >= first, snap.day <= last)))


def save(day: date, figures: dict) -> None:
    """Insert or replace the day's row (idempotent; a concurrent insert turns into an update)."""
    snap = models.Snapshot
    for _ in range(2):
        row = db.session.scalar(select(snap).where(snap.kind == KIND, snap.day == day))
        if row is None:
            db.session.add(snap(kind=KIND, day=day, data=figures, created=models.utcnow()))
        else:
            row.data, row.created = dict(figures), models.utcnow()
        try:
            db.session.commit()
            return
        except IntegrityError:
            db.session.rollback()
    raise RuntimeError(f"could not store the snapshot of {day}")


def snapshot_days(days: list[date]) -> None:
    """Compute and store exactly these days."""
    if days:
        for day, figures in compute(min(days), max(days), set(days)):
            if figures is not None:
                save(day, figures)


def backfill(days: int, overwrite: bool = False,
             progress: Callable[[int, int], None] | None = None) -> dict:
    """Fill the last `days` days (ending today). Existing rows are kept unless overwrite; yesterday and
    today are always recomputed, since they may have been stored before the day was over."""
    last = today()
    first = last - timedelta(days=days - 1)
    keep = set() if overwrite else existing_days(first, last) - {last, last - timedelta(days=1)}
    wanted = {first + timedelta(days=i) for i in range(days)} - keep
    computed = 0
    for done, (day, figures) in enumerate(compute(first, last, wanted), start=1):
        if figures is not None:
            save(day, figures)
            computed += 1
        if progress:
            progress(done, days)
    return {"days": days, "computed": computed, "kept": len(keep), "first": first.isoformat(),
            "last": last.isoformat()}


def series(days: int, last: date | None = None) -> dict:
    """The last `days` days as parallel lists: labels and one list per figure (None where no row)."""
    last = last or today()
    first = last - timedelta(days=days - 1)
    snap = models.Snapshot
    rows = {row.day: row for row in db.session.scalars(
        select(snap).where(snap.kind == KIND, snap.day >= first, snap.day <= last))}
    labels = [(first + timedelta(days=i)) for i in range(days)]
    values = {key: [] for key in KEYS}
    for day in labels:
        data = rows[day].data if day in rows else None
        for key in KEYS:
            values[key].append(data.get(key) if data else None)
    newest = max(rows.values(), key=lambda r: r.created) if rows else None
    return {"days": days, "first": first.isoformat(), "last": last.isoformat(),
            "labels": [d.isoformat() for d in labels], "series": values,
            "missing_days": [d.isoformat() for d in labels if d not in rows],
            "computed_at": newest.created.isoformat() if newest else None}

"""Queries of the contribution flow: the next task for a volunteer and the locked task an answer goes to.

The answer path runs for every submission, so its statements are built once, at import, and executed on
the session's connection (Core): no ORM entity loading, no per-call statement building."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, exists, func, select, update

from ..extensions import db
from ..models import Project, Result, Task, TaskRun

ONGOING, COMPLETED = "ongoing", "completed"


@dataclass(frozen=True)
class Target:
    """A task an answer goes to (its row locked), with the facts of its project the rules need."""
    id: int
    project_id: int
    state: str
    n_answers: int
    short_name: str
    published: bool
    paused: bool
    allow_anonymous_contributors: bool
    owner_id: int


_LOCK_TARGET = (select(Task.id, Task.project_id, Task.state, Task.n_answers, Project.short_name,
                       Project.published, Project.paused, Project.allow_anonymous_contributors, Project.owner_id)
                .join(Project, Project.id == Task.project_id)
                .where(Task.id == bindparam("task_id"))
                .with_for_update(of=Task))
# SQLite has no FOR UPDATE: this no-op write opens the transaction with the database's write lock.
_SQLITE_WRITE_LOCK = update(Task).where(Task.id == bindparam("task_id")).values(state=Task.state)
_ANSWER_COUNT = select(func.count()).select_from(TaskRun).where(TaskRun.task_id == bindparam("task_id"))
_MARK_COMPLETED = update(Task).where(Task.id == bindparam("task_id")).values(state=COMPLETED)


def next_tasks(project_id: int, user_id: int | None, anon_id: str | None, limit: int = 1,
               offset: int = 0) -> list[Task]:
    """Ongoing tasks this volunteer has not answered, highest priority_0 first, then oldest.

    A task is ongoing while it has fewer than n_answers answers (the task is marked completed in the
    same transaction as its last answer), so n_answers is respected without counting here."""
    answered = select(TaskRun.id).where(TaskRun.task_id == Task.id)
    if user_id is not None:
        answered = answered.where(TaskRun.user_id == user_id)
    else:
        answered = answered.where(TaskRun.anon_id == anon_id)
    query = (select(Task).where(Task.project_id == project_id, Task.state == ONGOING, ~exists(answered))
             .order_by(Task.priority_0.desc(), Task.id).limit(limit).offset(offset))
    return list(db.session.scalars(query))


def _connection():
    return db.session.connection()


def lock_target(task_id: int) -> Target | None:
    """The task (row locked until commit) and its project's facts, or None.

    Answers to one task are serialised by this lock, so the count taken with an answer is exact and
    exactly one transaction sees the count reach n_answers."""
    conn = _connection()
    if conn.dialect.name == "sqlite":
        conn.execute(_SQLITE_WRITE_LOCK, {"task_id": task_id})
    row = conn.execute(_LOCK_TARGET, {"task_id": task_id}).first()
    return Target(*row) if row else None


def lock_task(task_id: int) -> None:
    """Take the same lock as answers do (for changes of n_answers)."""
    lock_target(task_id)


def answer_count(task_id: int) -> int:
    return _connection().execute(_ANSWER_COUNT, {"task_id": task_id}).scalar() or 0


def mark_completed(task_id: int) -> None:
    _connection().execute(_MARK_COMPLETED, {"task_id": task_id})


def task_run_ids(task_id: int) -> list[int]:
    return list(db.session.scalars(select(TaskRun.id).where(TaskRun.task_id == task_id).order_by(TaskRun.id)))


def result_for_task(task_id: int) -> Result | None:
    return db.session.scalar(select(Result).where(Result.task_id == task_id))

"""Queries of the contribution flow: the next task for a volunteer and the locked task an answer goes to."""
from __future__ import annotations

from sqlalchemy import exists, func, select, update
from sqlalchemy.orm import defer

from ..extensions import db
from ..models import Project, Result, Task, TaskRun

ONGOING, COMPLETED = "ongoing", "completed"


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


def lock_task(task_id: int) -> tuple[Task, Project] | None:
    """The task and its project, with the task row locked until commit.

    Answers to one task are serialised by this lock, so the count taken after inserting an answer is
    exact and exactly one transaction sees the count reach n_answers."""
    if db.session.get_bind().dialect.name == "sqlite":
        # SQLite has no FOR UPDATE: a no-op write opens the transaction with the database's write lock,
        # so the reads below are current and nobody else writes until we commit.
        db.session.execute(update(Task).where(Task.id == task_id).values(state=Task.state)
                           .execution_options(synchronize_session=False))
    # The big columns (the task presenter, descriptions, the task's own info) stay unloaded until read.
    row = db.session.execute(select(Task, Project).join(Project, Project.id == Task.project_id)
                             .options(defer(Task.info), defer(Project.info), defer(Project.long_description),
                                      defer(Project.description))
                             .where(Task.id == task_id).with_for_update(of=Task)).first()
    return (row[0], row[1]) if row else None


def answer_count(task_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(TaskRun).where(TaskRun.task_id == task_id)) or 0


def task_run_ids(task_id: int) -> list[int]:
    return list(db.session.scalars(select(TaskRun.id).where(TaskRun.task_id == task_id).order_by(TaskRun.id)))


def result_for_task(task_id: int) -> Result | None:
    return db.session.scalar(select(Result).where(Result.task_id == task_id))

"""The contribution flow: serve the next task, record an answer (a task run), complete the task and
create its result when it has n_answers answers. Web pages and the API both come here.

Race-freedom: the task row is locked while an answer is recorded (repositories.contributions.lock_target),
duplicates are refused by the unique constraints (task_id, user_id) and (task_id, anon_id), and the
result has a unique task_id, so concurrent answers can neither double a run nor miss a completion.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import bindparam, func, insert, select
from sqlalchemy.exc import IntegrityError

from .. import signals
from ..extensions import db
from ..models import Project, Result, Task, TaskRun, utcnow
from ..repositories import contributions as repo
from .errors import ServiceError

ANSWER_FIELDS = ("info", "external_uid", "media_url", "calibration", "timeout")
MAX_BATCH = 100


class ContributionError(ServiceError):
    pass


@dataclass(frozen=True)
class Volunteer:
    """Who answers: a registered user, or an anonymous volunteer known by cookie + IP."""
    user: object | None
    anon_id: str | None
    ip: str | None

    @property
    def user_id(self) -> int | None:
        return getattr(self.user, "id", None)

    @property
    def anonymous(self) -> bool:
        return self.user is None


def anonymous_id(cookie_token: str, ip: str | None) -> str:
    """The anonymous identity: the volunteer's cookie and their address together (the same cookie
    from another address is another volunteer, so a copied cookie cannot speak for someone else)."""
    return hashlib.sha256(f"{cookie_token}|{ip or ''}".encode()).hexdigest()[:40]


def registered(user, ip: str | None) -> Volunteer:
    return Volunteer(user=user, anon_id=None, ip=ip)


def anonymous(cookie_token: str, ip: str | None) -> Volunteer:
    return Volunteer(user=None, anon_id=anonymous_id(cookie_token, ip), ip=ip)


@dataclass
class Submission:
    task_run: TaskRun       # not attached to the session: the row was written with a Core INSERT
    data: dict              # the task run as_dict(), taken before commit (no reload needed)
    target: repo.Target     # the task and its project's facts
    result: Result | None   # set when this answer completed the task


def _is_manager(project: Project, user) -> bool:
    return user is not None and (getattr(user, "admin", False) or project.owner_id == user.id)


def check_open(project, volunteer: Volunteer, answering: bool):
    """Refuse unknown, draft (except a preview by its owner or an admin) and paused projects, and
    anonymous volunteers where the project wants registered ones. `project`: a Project, a
    repositories.contributions.Target (which carries the same attributes) or None."""
    if project is None:
        raise ContributionError("no such project", status=404)
    if not project.published and (answering or not _is_manager(project, volunteer.user)):
        raise ContributionError(f"project {project.short_name!r} is a draft: it takes no answers until it is "
                                "published", status=403)
    if project.paused:
        raise ContributionError(f"project {project.short_name!r} is paused: it takes no answers for now",
                                status=403)
    if volunteer.anonymous and not project.allow_anonymous_contributors:
        raise ContributionError(f"project {project.short_name!r} takes answers from registered volunteers "
                                "only: sign in or send your API key", status=401)
    return project


def next_tasks(project: Project | None, volunteer: Volunteer, limit: int = 1, offset: int = 0) -> list[Task]:
    check_open(project, volunteer, answering=False)
    limit = max(1, min(int(limit), MAX_BATCH))
    return repo.next_tasks(project.id, volunteer.user_id, volunteer.anon_id, limit, max(0, int(offset)))


def submit(volunteer: Volunteer, task_id: int, values: dict, project_id: int | None = None) -> Submission:
    """Record one answer. values: info and the optional ANSWER_FIELDS. Three statements on PostgreSQL
    (lock the task, insert and count, commit), plus the completion when this answer is the last one."""
    unknown = set(values) - set(ANSWER_FIELDS)
    if unknown:
        raise ContributionError(f"unknown attribute {sorted(unknown)[0]!r}", status=415)
    target = repo.lock_target(task_id)
    try:
        if target is None:
            raise ContributionError(f"no task with id {task_id}", status=404)
        if project_id is not None and project_id != target.project_id:
            raise ContributionError(f"task {task_id} belongs to project {target.project_id}, not {project_id}")
        check_open(target, volunteer, answering=True)
        if target.state == repo.COMPLETED:
            raise ContributionError(f"task {task_id} is completed: it has all the answers it needs", status=409)
    except ContributionError:
        db.session.rollback()  # release the lock
        raise
    now = utcnow()
    row = {"project_id": target.project_id, "task_id": target.id, "user_id": volunteer.user_id,
           "anon_id": volunteer.anon_id, "user_ip": volunteer.ip, "created": now, "finish_time": now,
           "info": values.get("info") if values.get("info") is not None else {},
           **{k: values[k] for k in ANSWER_FIELDS[1:] if k in values}}
    try:
        run_id, answers = _insert_answer(row)
    except IntegrityError:
        db.session.rollback()
        raise ContributionError(f"you have already answered task {task_id}", status=409) from None
    run = TaskRun(id=run_id, **row)
    result = complete_if_due(target, answers)
    data = run.as_dict()
    db.session.commit()
    _announce(run, target, result, volunteer)
    return Submission(task_run=run, data=data, target=target, result=result)


def _heard(signal) -> bool:
    return bool(signal.receivers) and signal.has_receivers_for(current_app._get_current_object())


def _announce(run: TaskRun, target: repo.Target, result: Result | None, volunteer: Volunteer) -> None:
    """Signals carry the task and project models; they are loaded only when someone listens."""
    completed = result is not None and _heard(signals.task_completed)
    if not (_heard(signals.task_run_created) or completed):
        return
    task, project = db.session.get(Task, target.id), db.session.get(Project, target.project_id)
    signals.send(signals.task_run_created, task_run=run, task=task, project=project, volunteer=volunteer)
    if result is not None:
        signals.send(signals.task_completed, task=task, result=result, project=project)


_INSERT_COUNTED = insert(TaskRun).returning(
    TaskRun.id, select(func.count()).select_from(TaskRun)
    .where(TaskRun.task_id == bindparam("counted_task_id")).scalar_subquery())
_INSERT = insert(TaskRun).returning(TaskRun.id)


def _insert_answer(row: dict) -> tuple[int, int]:
    """Insert one task run; returns its id and the task's answer count including it.

    On PostgreSQL one round trip: the RETURNING subquery sees the rows committed before this statement
    (all earlier answers, as the task row is locked), not the row being inserted, hence the + 1."""
    conn = db.session.connection()
    if conn.dialect.name == "postgresql":
        run_id, earlier = conn.execute(_INSERT_COUNTED, dict(row, counted_task_id=row["task_id"])).one()
        return run_id, earlier + 1
    run_id = conn.execute(_INSERT, row).scalar_one()
    return run_id, repo.answer_count(row["task_id"])


def delete_run(run: TaskRun) -> None:
    """Remove one answer (its author or an admin; callers check who). A completed task stays completed."""
    db.session.delete(run)
    db.session.commit()


def complete_if_due(task, project=None, answers: int | None = None) -> Result | None:
    """Within the caller's transaction (task row locked): complete the task and write its result when
    it has n_answers answers (`answers`, when the caller counted them already). `task` is a Task or a
    repositories.contributions.Target. Returns the result when the task was completed by this call."""
    if task.state == repo.COMPLETED:
        return None
    if (repo.answer_count(task.id) if answers is None else answers) < task.n_answers:
        return None
    repo.mark_completed(task.id)
    ids = repo.task_run_ids(task.id)
    result = repo.result_for_task(task.id)
    if result is None:
        result = Result(project_id=task.project_id, task_id=task.id, task_run_ids=ids, last_version=True)
        db.session.add(result)
    else:  # completed before, reopened (n_answers raised), completed again: same result, new answers
        result.task_run_ids, result.last_version = ids, True
    return result


def reopen_if_short(task: Task) -> bool:
    """A completed task whose n_answers was raised above its answer count takes answers again."""
    if task.state == repo.COMPLETED and repo.answer_count(task.id) < task.n_answers:
        task.state = repo.ONGOING
        return True
    return False

"""Task mutations (owners and admins; callers check who). Changing n_answers re-evaluates completion."""
from __future__ import annotations

import copy

from ..extensions import db
from ..models import Project, Task
from ..repositories import contributions as contribution_repo
from . import contributions
from .errors import ServiceError

CREATE_FIELDS = ("info", "n_answers", "priority_0", "quorum", "calibration")
UPDATE_FIELDS = CREATE_FIELDS


class TaskError(ServiceError):
    pass


def _validate(values: dict, allowed: tuple[str, ...]) -> None:
    unknown = set(values) - set(allowed)
    if unknown:
        name = sorted(unknown)[0]
        raise TaskError(f"attribute {name!r} cannot be set on a task", status=415, field=name)
    if "info" in values and not isinstance(values["info"], dict):
        raise TaskError("info must be a JSON object", field="info")
    if "n_answers" in values and (not _is_int(values["n_answers"]) or values["n_answers"] < 1):
        raise TaskError("n_answers must be a whole number of at least 1", field="n_answers")
    if "priority_0" in values:
        value = values["priority_0"]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
            raise TaskError("priority_0 must be a number between 0 and 1", field="priority_0")
    for name in ("quorum", "calibration"):
        if name in values and (not _is_int(values[name]) or values[name] < 0):
            raise TaskError(f"{name} must be a whole number of at least 0", field=name)


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def create(project: Project, values: dict, by=None) -> Task:
    values = dict(values)
    _validate(values, CREATE_FIELDS)
    task = Task(project_id=project.id, **{k: copy.deepcopy(v) for k, v in values.items()})
    task.info = task.info if task.info is not None else {}
    db.session.add(task)
    db.session.commit()
    return task


def update(task: Task, values: dict, by=None) -> Task:
    _validate(values, UPDATE_FIELDS)
    for name, value in values.items():
        setattr(task, name, copy.deepcopy(value))
    if "n_answers" in values:
        contribution_repo.lock_task(task.id)  # the lock answers take, so no answer slips in between
        if not contributions.reopen_if_short(task):
            contributions.complete_if_due(task)
    db.session.commit()
    return task


def delete(task: Task, by=None) -> None:
    db.session.delete(task)  # its task runs and result go with it (ON DELETE CASCADE)
    db.session.commit()

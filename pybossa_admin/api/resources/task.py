"""/api/task: tasks of the projects a caller may read; written by the project's owner or an admin."""
from __future__ import annotations

from ...extensions import db
from ...models import Project, Task
from ...services import tasks as task_service
from .. import links
from ..policies import can_read_project, project_for_write, require_manager
from ..schema import Field, Resource
from ._common import iso, service_errors

FIELDS = (
    Field("id", "integer"),
    Field("created", "datetime"),
    Field("project_id", "integer", create=True, required=True),
    Field("state", "string", description="ongoing, or completed once it has n_answers answers"),
    Field("quorum", "integer", create=True, update=True),
    Field("calibration", "integer", create=True, update=True),
    Field("priority_0", "number", create=True, update=True, description="0 to 1; higher is served first"),
    Field("n_answers", "integer", create=True, update=True, description="answers needed to complete it"),
    Field("info", "object", create=True, update=True, filter=None),
    Field("fav_user_ids", "array", filter=None),
)


def serialize(task: Task, user) -> dict:
    return links.add({"id": task.id, "created": iso(task.created), "project_id": task.project_id,
                      "state": task.state, "quorum": task.quorum, "calibration": task.calibration,
                      "priority_0": task.priority_0, "info": task.info, "n_answers": task.n_answers,
                      "fav_user_ids": []}, "task", (("project", task.project_id),))


def can_read(task: Task, user) -> bool:
    return can_read_project(user, db.session.get(Project, task.project_id))


def create(user, values: dict) -> Task:
    values = dict(values)
    project = project_for_write(values.pop("project_id"), user, "add tasks to this project")
    with service_errors():
        return task_service.create(project, values, by=user)


def authorize_update(task: Task, user) -> None:
    require_manager(user, db.session.get(Project, task.project_id), "change this task")


def update(task: Task, user, values: dict) -> Task:
    with service_errors():
        return task_service.update(task, values, by=user)


def delete(task: Task, user) -> None:
    require_manager(user, db.session.get(Project, task.project_id), "delete this task")
    with service_errors():
        task_service.delete(task, by=user)


RESOURCE = Resource(
    name="task", model=Task, summary="Tasks: the items volunteers answer",
    fields=FIELDS, methods=frozenset({"list", "get", "create", "update", "delete"}),
    serialize=serialize, can_read=can_read,
    create=create, authorize_update=authorize_update, update=update, delete=delete,
)

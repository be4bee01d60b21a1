"""/api/taskrun: answers. POST is the contribution flow (services.contributions)."""
from __future__ import annotations

from dataclasses import dataclass

from ...extensions import db
from ...models import Project, TaskRun
from ...services import contributions
from .. import links, volunteer
from ..policies import can_read_project, deny, is_admin
from ..schema import Field, Resource
from ._common import service_errors

FIELDS = (
    Field("id", "integer"),
    Field("created", "datetime"),
    Field("project_id", "integer", create=True, description="optional; must be the task's project"),
    Field("task_id", "integer", create=True, required=True),
    Field("user_id", "integer", nullable=True, description="set by the platform; null for anonymous answers"),
    Field("user_ip", "string", nullable=True, filter="admin",
          description="anonymous answers only; shown to admins only"),
    Field("finish_time", "datetime"),
    Field("timeout", "integer", create=True, nullable=True, filter=None),
    Field("calibration", "integer", create=True, nullable=True),
    Field("external_uid", "string", create=True, nullable=True, max_length=255),
    Field("media_url", "string", create=True, nullable=True, filter=None),
    Field("info", "json", create=True, filter=None, description="the answer"),
)


@dataclass(frozen=True)
class _Created:
    """A task run just recorded, with what its caller may see decided before the commit (which expires
    the caller's row: reading it again would cost a query on the hottest path)."""
    data: dict
    admin: bool


def present(data: dict, admin: bool) -> dict:
    """A task run's as_dict() for a caller: the volunteer's address is for admins only."""
    data = dict(data)
    if not admin:
        data.pop("user_ip", None)
    return links.add(data, "taskrun", (("project", data["project_id"]), ("task", data["task_id"])))


def serialize(run, user) -> dict:
    if isinstance(run, _Created):
        return present(run.data, run.admin)
    return present(run.as_dict(), is_admin(user))


def can_read(run: TaskRun, user) -> bool:
    return can_read_project(user, db.session.get(Project, run.project_id))


def create(user, values: dict):
    values = dict(values)
    task_id, project_id = values.pop("task_id"), values.pop("project_id", None)
    admin = is_admin(user)
    with service_errors():
        submission = contributions.submit(volunteer.current(user), task_id, values, project_id=project_id)
    return _Created(submission.data, admin)


def delete(run: TaskRun, user) -> None:
    if not (is_admin(user) or (user is not None and run.user_id == user.id)):
        deny(user, "Only the volunteer who gave this answer or an admin can delete it")
    contributions.delete_run(run)


RESOURCE = Resource(
    name="taskrun", model=TaskRun, summary="Task runs: one volunteer's answer to one task",
    fields=FIELDS, methods=frozenset({"list", "get", "create", "delete"}),
    serialize=serialize, can_read=can_read, create=create, delete=delete,
    reserved=frozenset({"anon_id"}),
    body_note="Registered volunteers send their API key (or session); anonymous ones get a cookie. One answer "
              "per volunteer and task (409 for a second); 403 for draft or paused projects; 409 once the "
              "task is completed. The answer that reaches n_answers completes the task and creates its result.",
)

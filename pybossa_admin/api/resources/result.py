"""/api/result: created by the platform when a task completes; owners and admins may store info."""
from __future__ import annotations

from ...extensions import db
from ...models import Project, Result
from ...services import results as result_service
from .. import links
from ..policies import can_read_project, require_manager
from ..schema import Field, Resource
from ._common import iso, service_errors

FIELDS = (
    Field("id", "integer"),
    Field("created", "datetime"),
    Field("project_id", "integer"),
    Field("task_id", "integer"),
    Field("task_run_ids", "array", filter=None),
    Field("info", "json", update=True, nullable=True, filter=None, description="the owner's aggregated answer"),
    Field("last_version", "boolean"),
)


def serialize(result: Result, user) -> dict:
    return links.add({"id": result.id, "created": iso(result.created), "project_id": result.project_id,
                      "task_id": result.task_id, "task_run_ids": result.task_run_ids, "info": result.info,
                      "last_version": result.last_version}, "result",
                     (("project", result.project_id), ("task", result.task_id)))


def can_read(result: Result, user) -> bool:
    return can_read_project(user, db.session.get(Project, result.project_id))


def authorize_update(result: Result, user) -> None:
    require_manager(user, db.session.get(Project, result.project_id), "change this result")


def update(result: Result, user, values: dict) -> Result:
    with service_errors():
        return result_service.update(result, values, by=user)


RESOURCE = Resource(
    name="result", model=Result, summary="Results: one per completed task, listing its task runs",
    fields=FIELDS, methods=frozenset({"list", "get", "update"}),
    serialize=serialize, can_read=can_read, authorize_update=authorize_update, update=update,
)

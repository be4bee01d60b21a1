"""/api/helpingmaterial: tutorial material of a project, written by its owner or an admin."""
from __future__ import annotations

from ...extensions import db
from ...models import HelpingMaterial, Project
from ...services import helping
from .. import links
from ..policies import can_read_project, project_for_write, require_manager
from ..schema import Field, Resource
from ._common import iso, service_errors

FIELDS = (
    Field("id", "integer"),
    Field("created", "datetime"),
    Field("project_id", "integer", create=True, required=True),
    Field("info", "object", create=True, update=True, filter=None),
    Field("media_url", "string", create=True, update=True, nullable=True, filter=None,
          description="http(s) URL of the image, video or sound (uploads are not stored here)"),
    Field("priority", "number", create=True, update=True),
)


def serialize(material: HelpingMaterial, user) -> dict:
    return links.add({"id": material.id, "created": iso(material.created), "project_id": material.project_id,
                      "info": material.info, "media_url": material.media_url, "priority": material.priority},
                     "helpingmaterial", (("project", material.project_id),))


def can_read(material: HelpingMaterial, user) -> bool:
    return can_read_project(user, db.session.get(Project, material.project_id))


def create(user, values: dict) -> HelpingMaterial:
    values = dict(values)
    project = project_for_write(values.pop("project_id"), user, "add helping material to this project")
    with service_errors():
        return helping.create(project, values, by=user)


def authorize_update(material: HelpingMaterial, user) -> None:
    require_manager(user, db.session.get(Project, material.project_id), "change this helping material")


def update(material: HelpingMaterial, user, values: dict) -> HelpingMaterial:
    with service_errors():
        return helping.update(material, values, by=user)


def delete(material: HelpingMaterial, user) -> None:
    require_manager(user, db.session.get(Project, material.project_id), "delete this helping material")
    with service_errors():
        helping.delete(material, by=user)


RESOURCE = Resource(
    name="helpingmaterial", model=HelpingMaterial, summary="Helping material: tutorials shown to volunteers",
    fields=FIELDS, methods=frozenset({"list", "get", "create", "update", "delete"}),
    serialize=serialize, can_read=can_read,
    create=create, authorize_update=authorize_update, update=update, delete=delete,
    body_note="JSON only: multipart file uploads are refused with 415 (host the file, give its media_url).",
)

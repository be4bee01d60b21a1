"""/api/project: projects through services.projects (which validates, audits and signals)."""
from __future__ import annotations

from ...models import Project
from ...services import projects as project_service
from .. import links
from ..policies import can_read_project, manages, require_manager, require_user
from ..schema import Field, Resource
from ._common import iso, service_errors

# Info keys anyone may read (PYBOSSA's list); the rest of info is for owners and admins.
PUBLIC_INFO_KEYS = frozenset({"container", "thumbnail", "thumbnail_url", "task_presenter", "tutorial", "sched"})
# Never served, not even to owners: the hash of a project password.
HIDDEN_INFO_KEYS = frozenset({"passwd_hash"})

FIELDS = (
    Field("id", "integer"),
    Field("created", "datetime"),
    Field("updated", "datetime"),
    Field("name", "string", create=True, update=True, required=True, max_length=255),
    Field("short_name", "string", create=True, update=True, required=True, max_length=255,
          description="URL name: letters, digits, '-' and '_'"),
    Field("description", "string", create=True, update=True, max_length=255),
    Field("long_description", "string", create=True, update=True, filter=None),
    Field("owner_id", "integer", create=True, update=True,
          description="set by admins only; defaults to the caller"),
    Field("owners_ids", "array", filter=None),
    Field("category_id", "integer", create=True, update=True),
    Field("organization_id", "integer", create=True, update=True, nullable=True,
          description="set by admins only"),
    Field("info", "object", create=True, update=True, filter=None,
          description="task_presenter, tutorial, thumbnail...; non-owners see the public keys only"),
    Field("published", "boolean", description="false: a draft; publish from the project's page"),
    Field("featured", "boolean", create=True, update=True, description="set by admins only"),
    Field("paused", "boolean", create=True, update=True),
    Field("allow_anonymous_contributors", "boolean", create=True, update=True),
    Field("webhook", "string", create=True, update=True, nullable=True, filter=None,
          description="owners and admins only"),
    Field("secret_key", "string", filter=None, description="shown to the owner only; reserved"),
)


def serialize(project: Project, user) -> dict:
    full = manages(user, project)
    info = {k: v for k, v in (project.info or {}).items()
            if k not in HIDDEN_INFO_KEYS and (full or k in PUBLIC_INFO_KEYS)}
    data = {"id": project.id, "created": iso(project.created), "updated": iso(project.updated),
            "name": project.name, "short_name": project.short_name, "description": project.description,
            "long_description": project.long_description, "owner_id": project.owner_id,
            "owners_ids": [project.owner_id], "category_id": project.category_id,
            "info": info, "published": project.published, "featured": project.featured,
            "paused": project.paused, "allow_anonymous_contributors": project.allow_anonymous_contributors}
    if full:
        data["webhook"] = project.webhook
        data["organization_id"] = project.organization_id
    if user is not None and project.owner_id == user.id:
        data["secret_key"] = project.secret_key
    return links.add(data, "project", (("category", project.category_id),))


def create(user, values: dict) -> Project:
    require_user(user, "Sign in to create projects")
    with service_errors():
        return project_service.create(user, values, caller="api")


def authorize_update(project: Project, user) -> None:
    require_manager(user, project, "change this project")


def _keep_hidden_info(project: Project, values: dict) -> dict:
    """Owners never see hidden info keys, so an info they send back must not erase them; a hidden key
    sent as null removes it."""
    if not isinstance(values.get("info"), dict):
        return values
    info = dict(values["info"])
    for key in HIDDEN_INFO_KEYS:
        if key not in info and key in (project.info or {}):
            info[key] = project.info[key]
        elif key in info and info[key] is None:
            del info[key]
    return dict(values, info=info)


def update(project: Project, user, values: dict) -> Project:
    values = _keep_hidden_info(project, values)
    with service_errors():
        project_service.update(project, user, values, caller="api")
    return project


def delete(project: Project, user) -> None:
    require_manager(user, project, "delete this project")
    with service_errors():
        project_service.delete(project, user, caller="api")


RESOURCE = Resource(
    name="project", model=Project, summary="Projects: the crowdsourcing campaigns volunteers contribute to",
    fields=FIELDS, methods=frozenset({"list", "get", "create", "update", "delete"}),
    serialize=serialize, can_read=lambda project, user: can_read_project(user, project),
    create=create, authorize_update=authorize_update, update=update, delete=delete,
    protected={"published": "Publish a project with the publish action of its page (it needs a task "
                            "presenter and at least one task)"},
    reserved=frozenset({"completed", "contacted", "zip_download"}),
    public_info_keys=PUBLIC_INFO_KEYS,
)

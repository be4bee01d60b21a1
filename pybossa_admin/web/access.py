"""Who sees which project, and what of it. Drafts exist only for their owner and the admins."""
from __future__ import annotations

from flask import abort
from flask_login import current_user

from ..auth.guards import sign_in_redirect
from ..models import Project
from ..repositories import projects as project_repo

# What anyone may see of a project's info (PYBOSSA's public info keys).
PUBLIC_INFO_KEYS = ("container", "thumbnail", "thumbnail_url", "task_presenter", "tutorial", "sched")


def can_manage(project: Project) -> bool:
    return bool(current_user.is_authenticated
                and (current_user.admin or project.owner_id == current_user.id))


def visible_project(short_name: str) -> Project:
    """The project if the current user may see it; 404 for unknown projects and others' drafts."""
    project = project_repo.by_short_name(short_name)
    if project is None or (not project.published and not can_manage(project)):
        abort(404, "There is no project with that name.")
    return project


def managed_project(short_name: str):
    """(project, None) for its owner or an admin, else (None, the response that refuses)."""
    project = project_repo.by_short_name(short_name)
    if project is None:
        abort(404, "There is no project with that name.")
    if not current_user.is_authenticated:
        return None, sign_in_redirect()
    if not can_manage(project):
        if not project.published:
            abort(404, "There is no project with that name.")
        abort(403, "Only the project's owner and the administrators can do this.")
    return project, None


def project_view(project: Project, full: bool | None = None) -> dict:
    """The project as pages show it; owners and admins also get webhook and the whole info."""
    full = can_manage(project) if full is None else full
    data = project.as_dict()
    if not full:
        data.pop("webhook", None)
        data["info"] = {k: v for k, v in (project.info or {}).items() if k in PUBLIC_INFO_KEYS}
    data["has_presenter"] = project.has_presenter
    return data


def owner_view(project: Project) -> dict:
    owner = project.owner
    return {"id": owner.id, "name": owner.name, "fullname": owner.fullname} if owner else {}

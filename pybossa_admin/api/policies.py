"""Who may do what through the API. Anonymous callers are refused with 401, signed-in ones with 403."""
from __future__ import annotations

from ..extensions import db
from ..models import Project
from .errors import ApiError


def is_admin(user) -> bool:
    return bool(user is not None and user.admin)


def manages(user, project: Project | None) -> bool:
    """Owners and admins manage a project."""
    return project is not None and user is not None and (user.admin or project.owner_id == user.id)


def can_read_project(user, project: Project | None) -> bool:
    return project is not None and (project.published or manages(user, project))


def deny(user, message: str):
    if user is None:
        raise ApiError(401, message + " (send your API key)", "Unauthorized")
    raise ApiError(403, message, "Forbidden")


def require_user(user, message: str = "This needs a signed-in caller") -> None:
    if user is None:
        deny(None, message)


def require_admin(user, what: str) -> None:
    if not is_admin(user):
        deny(user, f"Only admins can {what}")


def require_manager(user, project: Project, what: str) -> None:
    if not manages(user, project):
        deny(user, f"Only the project's owner or an admin can {what}")


def project_for_write(project_id, user, what: str) -> Project:
    """The project a new object goes into, checked: it exists and the caller manages it."""
    project = db.session.get(Project, project_id)
    if project is None:
        raise ApiError(400, f"project_id: no project with id {project_id}", "BadRequest")
    require_manager(user, project, what)
    return project

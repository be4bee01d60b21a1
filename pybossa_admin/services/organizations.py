"""Organization mutations: create, rename, delete (only when empty), members and projects.

Every change is written to the operational log; moving a project in or out of an organization is
also an audit row on that project.
"""
from __future__ import annotations

import re

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import Organization, Project, User
from . import audit, events

SHORT_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,99}$")


class OrganizationError(ValueError):
    """A rule was broken; the message is safe to show. status is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


def slugify(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", (name or "").lower()).strip("-")
    return slug[:100]


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise OrganizationError("An organization needs a name.")
    if len(name) > 255:
        raise OrganizationError("Organization names are at most 255 characters.")
    return name


def _name_taken(name: str, short_name: str | None, except_id: int | None = None) -> str | None:
    clauses = [func.lower(Organization.name) == name.lower()]
    if short_name:
        clauses.append(Organization.short_name == short_name)
    query = select(Organization).where(or_(*clauses))
    if except_id is not None:
        query = query.where(Organization.id != except_id)
    clash = db.session.scalar(query.limit(1))
    if clash is None:
        return None
    if clash.name.lower() == name.lower():
        return f"An organization named {clash.name!r} already exists."
    return f"The short name {short_name!r} is already used by {clash.name!r}."


def create(name: str, by, short_name: str = "", description: str = "") -> Organization:
    name = _clean_name(name)
    short_name = (short_name or "").strip().lower() or slugify(name)
    if not SHORT_NAME_RE.match(short_name):
        raise OrganizationError("Short name: lower-case letters, digits, '-' or '_' (at most 100), "
                                "starting with a letter or digit.")
    problem = _name_taken(name, short_name)
    if problem:
        raise OrganizationError(problem, status=409)
    org = Organization(name=name, short_name=short_name, description=(description or "").strip())
    db.session.add(org)
    try:
        db.session.commit()
    except IntegrityError:  # a concurrent create won the race
        db.session.rollback()
        raise OrganizationError("That organization name or short name was just taken.", status=409) from None
    events.record("platform", "organization.created", f"{_who(by)} created organization {org.name}", user=by,
                  data={"organization_id": org.id})
    return org


def rename(org: Organization, name: str, by) -> Organization:
    name = _clean_name(name)
    if name == org.name:
        return org
    problem = _name_taken(name, None, except_id=org.id)
    if problem:
        raise OrganizationError(problem, status=409)
    old = org.name
    org.name = name
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise OrganizationError("That organization name was just taken.", status=409) from None
    events.record("platform", "organization.renamed", f"{_who(by)} renamed organization {old} to {name}",
                  user=by, data={"organization_id": org.id, "old": old, "new": name})
    return org


def counts(org_id: int) -> tuple[int, int]:
    """(members, projects) of one organization."""
    members = db.session.scalar(select(func.count()).select_from(User).where(User.organization_id == org_id))
    projects = db.session.scalar(select(func.count()).select_from(Project)
                                 .where(Project.organization_id == org_id))
    return members or 0, projects or 0


def delete(org: Organization, by) -> None:
    members, projects = counts(org.id)
    if members or projects:
        raise OrganizationError(
            f"{org.name} still has {members} member{'s' if members != 1 else ''} and {projects} "
            f"project{'s' if projects != 1 else ''}. Remove them first, then delete it.", status=409)
    name, org_id = org.name, org.id
    db.session.delete(org)
    try:
        db.session.commit()
    except IntegrityError:  # someone was added between the count and the delete
        db.session.rollback()
        raise OrganizationError(f"{name} just got a member or project; it was not deleted.", status=409) from None
    events.record("platform", "organization.deleted", f"{_who(by)} deleted organization {name}", user=by,
                  data={"organization_id": org_id})


def add_member(org: Organization, user: User, by) -> bool:
    """Put user in org (a user belongs to at most one). False when already there."""
    if user.organization_id == org.id:
        return False
    previous = user.organization_id
    user.organization_id = org.id
    db.session.commit()
    events.record("platform", "organization.member_added", f"{_who(by)} added {user.name} to {org.name}",
                  user=by, data={"organization_id": org.id, "target_user_id": user.id,
                                 "previous_organization_id": previous})
    return True


def remove_member(org: Organization, user: User, by) -> None:
    if user.organization_id != org.id:
        raise OrganizationError(f"{user.name} is not a member of {org.name}.", status=404)
    user.organization_id = None
    db.session.commit()
    events.record("platform", "organization.member_removed", f"{_who(by)} removed {user.name} from {org.name}",
                  user=by, data={"organization_id": org.id, "target_user_id": user.id})


def add_project(org: Organization, project: Project, by, caller: str = "web") -> bool:
    if project.organization_id == org.id:
        return False
    previous = project.organization_id
    project.organization_id = org.id
    audit.changed(project, by, caller, {"organization_id": previous}, {"organization_id": org.id})
    db.session.commit()
    events.record("platform", "organization.project_added",
                  f"{_who(by)} added project {project.short_name} to {org.name}", user=by,
                  data={"organization_id": org.id, "project_id": project.id})
    return True


def remove_project(org: Organization, project: Project, by, caller: str = "web") -> None:
    if project.organization_id != org.id:
        raise OrganizationError(f"Project {project.short_name} is not in {org.name}.", status=404)
    project.organization_id = None
    audit.changed(project, by, caller, {"organization_id": org.id}, {"organization_id": None})
    db.session.commit()
    events.record("platform", "organization.project_removed",
                  f"{_who(by)} removed project {project.short_name} from {org.name}", user=by,
                  data={"organization_id": org.id, "project_id": project.id})


def _who(by) -> str:
    return getattr(by, "name", None) or "system"

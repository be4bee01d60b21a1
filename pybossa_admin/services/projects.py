"""Project mutations: validate, write, audit, signal. Web, API and admin pages all come here."""
from __future__ import annotations

import copy
import re

from sqlalchemy import func, select

from .. import signals
from ..extensions import db
from ..repositories.uniqueness import taken
from ..models import Category, Project, Task, User
from . import audit

SHORT_NAME_RE = re.compile(r"^[A-Za-z0-9_-]{1,255}$")
# What an owner may change; admins may also change these.
OWNER_FIELDS = ("name", "short_name", "description", "long_description", "category_id", "info", "webhook",
                "allow_anonymous_contributors", "paused", "secret_key")
ADMIN_ONLY_FIELDS = ("featured", "owner_id", "organization_id")


class ProjectError(ValueError):
    """A rule was broken. status is the HTTP status the web and API answer with."""

    def __init__(self, message: str, status: int = 400, field: str | None = None):
        super().__init__(message)
        self.status, self.field = status, field


def snapshot(project: Project) -> dict:
    return {f: copy.deepcopy(getattr(project, f)) for f in OWNER_FIELDS + ADMIN_ONLY_FIELDS + ("published",)}


def _validate(values: dict, project: Project | None = None) -> None:
    if "name" in values:
        name = (values["name"] or "").strip() if isinstance(values["name"], str) else None
        if not name:
            raise ProjectError("name is required", field="name")
        if taken(Project.name, name, getattr(project, "id", None)):
            raise ProjectError(f"a project named {name!r} exists already", status=409, field="name")
    if "short_name" in values:
        short = values["short_name"]
        if not isinstance(short, str) or not SHORT_NAME_RE.match(short):
            raise ProjectError("short_name: letters, digits, '-' and '_' only", field="short_name")
        if taken(Project.short_name, short, getattr(project, "id", None)):
            raise ProjectError(f"the short name {short!r} is taken", status=409, field="short_name")
    if "category_id" in values and db.session.get(Category, values["category_id"]) is None:
        raise ProjectError(f"no category with id {values['category_id']}", field="category_id")
    if "info" in values and not isinstance(values["info"], dict):
        raise ProjectError("info must be a JSON object", field="info")
    if "owner_id" in values and db.session.get(User, values["owner_id"]) is None:
        raise ProjectError(f"no user with id {values['owner_id']}", field="owner_id")
    for flag in ("allow_anonymous_contributors", "paused", "featured"):
        if flag in values and not isinstance(values[flag], bool):
            raise ProjectError(f"{flag} must be true or false", field=flag)


def _check_allowed(fields, by: User) -> None:
    for name in fields:
        if name in ADMIN_ONLY_FIELDS and not getattr(by, "admin", False):
            raise ProjectError(f"only admins can set {name}", status=403, field=name)
        if name == "published":
            raise ProjectError("publish a project with the publish action (it needs a task presenter and "
                               "at least one task)", status=403, field="published")
        if name not in OWNER_FIELDS + ADMIN_ONLY_FIELDS:
            raise ProjectError(f"unknown or read-only attribute {name!r}", status=415, field=name)


def create(by: User, values: dict, caller: str = "web") -> Project:
    values = dict(values)
    values.setdefault("category_id", db.session.scalar(select(Category.id).order_by(Category.id).limit(1)))
    _check_allowed(values, by)
    _validate({"name": values.get("name"), "short_name": values.get("short_name"), **values})
    project = Project(owner_id=values.pop("owner_id", by.id), **values)
    db.session.add(project)
    db.session.flush()
    audit.created(project, by, caller)
    db.session.commit()
    signals.send(signals.project_created, project=project, by=by, caller=caller)
    return project


def update(project: Project, by: User, values: dict, caller: str = "web") -> int:
    """Apply changes; returns how many audit rows were written (0 when nothing changed)."""
    _check_allowed(values, by)
    _validate(values, project)
    before = snapshot(project)
    for name, value in values.items():
        setattr(project, name, copy.deepcopy(value))
    after = snapshot(project)
    rows = audit.changed(project, by, caller, before, after)
    db.session.commit()
    if rows:
        signals.send(signals.project_updated, project=project, by=by, caller=caller,
                     changes={k: after[k] for k in after if before[k] != after[k]})
    return rows


def delete(project: Project, by: User, caller: str = "web") -> None:
    audit.deleted(project, by, caller)
    project_id = project.id
    db.session.delete(project)
    db.session.commit()
    signals.send(signals.project_deleted, project_id=project_id, by=by, caller=caller)


def task_count(project: Project) -> int:
    return db.session.scalar(select(func.count()).select_from(Task).where(Task.project_id == project.id)) or 0


def draft_reasons(project: Project, n_tasks: int | None = None) -> list[str]:
    """Why a project cannot be published yet: empty when it can."""
    reasons = []
    if (task_count(project) if n_tasks is None else n_tasks) == 0:
        reasons.append("no tasks")
    if not project.has_presenter:
        reasons.append("no task presenter")
    return reasons


def publish(project: Project, by: User, caller: str = "web") -> None:
    if project.published:
        raise ProjectError("the project is already published", status=409)
    reasons = draft_reasons(project)
    if reasons:
        raise ProjectError("cannot publish: " + " and ".join(reasons), status=409)
    project.published = True
    audit.note(project, by, caller, "published", False, True)
    db.session.commit()
    signals.send(signals.project_updated, project=project, by=by, caller=caller, changes={"published": True})


def set_featured(project: Project, flag: bool, by: User, caller: str = "web") -> None:
    if not getattr(by, "admin", False):
        raise ProjectError("only admins can feature projects", status=403)
    update(project, by, {"featured": flag}, caller)

"""The SELECTs behind the REST API's lists: filters, keyset or offset paging, visibility and PYBOSSA's
context rule. The API parses the query string into a ListQuery; this module turns it into SQL."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import String, cast, or_, select

from ..extensions import db
from ..models import Category, Project, User


@dataclass
class ListQuery:
    equals: dict[str, object] = field(default_factory=dict)
    within: dict[str, list] = field(default_factory=dict)                      # column IN (...)
    ranges: dict[str, tuple[datetime, datetime]] = field(default_factory=dict)  # start <= column < end
    info: dict[str, str] = field(default_factory=dict)                         # info ->> key = value
    orderby: str = "id"
    desc: bool = False
    limit: int = 20
    offset: int = 0
    last_id: int | None = None
    owner_id: int | None = None  # context rule: only objects of this user's projects


@dataclass(frozen=True)
class Viewer:
    id: int | None = None
    admin: bool = False


def _readable_projects(viewer: Viewer):
    """Published projects, plus the viewer's own drafts."""
    clause = Project.published.is_(True)
    if viewer.id is not None:
        clause = or_(clause, Project.owner_id == viewer.id)
    return clause


def readable(model, viewer: Viewer):
    """The WHERE clause for rows this viewer may read (None: all of them)."""
    if viewer.admin or model is Category:
        return None
    if model is Project:
        return _readable_projects(viewer)
    if model is User:
        clause = User.restrict.is_(False)
        return or_(clause, User.id == viewer.id) if viewer.id is not None else clause
    if hasattr(model, "project_id"):
        return model.project_id.in_(select(Project.id).where(_readable_projects(viewer)))
    return None


def owned_by(model, owner_id: int):
    """PYBOSSA's context rule: an authenticated caller's lists hold its own projects' objects."""
    if model is Project:
        return Project.owner_id == owner_id
    if hasattr(model, "project_id"):
        return model.project_id.in_(select(Project.id).where(Project.owner_id == owner_id))
    return None


def info_value(model, key: str):
    # Text on both backends (JSONB ->> on PostgreSQL, json_extract on SQLite), compared as text.
    return cast(model.info[key].as_string(), String)


def list_objects(model, query: ListQuery, viewer: Viewer) -> list:
    stmt = select(model)
    for name, value in query.equals.items():
        column = getattr(model, name)
        stmt = stmt.where(column.is_(None) if value is None else column == value)
    for name, values in query.within.items():
        stmt = stmt.where(getattr(model, name).in_(values))
    for name, (start, end) in query.ranges.items():
        column = getattr(model, name)
        stmt = stmt.where(column >= start, column < end)
    for key, value in query.info.items():
        stmt = stmt.where(info_value(model, key) == value)
    for clause in (readable(model, viewer),
                   owned_by(model, query.owner_id) if query.owner_id is not None else None):
        if clause is not None:
            stmt = stmt.where(clause)
    if query.last_id is not None:
        stmt = stmt.where(model.id > query.last_id).order_by(model.id)
    else:
        column = getattr(model, query.orderby)
        stmt = stmt.order_by(column.desc() if query.desc else column.asc())
        if query.orderby != "id":
            stmt = stmt.order_by(model.id.desc() if query.desc else model.id.asc())
        stmt = stmt.offset(query.offset)
    return list(db.session.scalars(stmt.limit(query.limit)))


def get(model, object_id: int):
    return db.session.get(model, object_id)

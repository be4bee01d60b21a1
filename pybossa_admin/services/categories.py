"""Category mutations: validate, write. Admin-only; callers check the role, this module the rules."""
from __future__ import annotations

import copy
import re

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..repositories.uniqueness import taken
from ..models import Category, Project
from .errors import ServiceError

SHORT_NAME_RE = re.compile(r"^[A-Za-z0-9_-]{1,255}$")
FIELDS = ("name", "short_name", "description", "info")


class CategoryError(ServiceError):
    pass


def slug(name: str) -> str:
    """What pbclient sends as short_name: the name lowercased without spaces (kept URL-safe here)."""
    return re.sub(r"[^a-z0-9_-]", "", name.lower().replace(" ", ""))[:255]


def _validate(values: dict, category: Category | None = None) -> None:
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise CategoryError(f"unknown attribute {sorted(unknown)[0]!r}", status=415, field=sorted(unknown)[0])
    if "name" in values:
        name = values["name"].strip() if isinstance(values["name"], str) else ""
        if not name:
            raise CategoryError("name is required", field="name")
        values["name"] = name
        if taken(Category.name, name, getattr(category, "id", None)):
            raise CategoryError(f"a category named {name!r} exists already", status=409, field="name")
    if "short_name" in values:
        short = values["short_name"]
        if not isinstance(short, str) or not SHORT_NAME_RE.match(short):
            raise CategoryError("short_name: 1-255 letters, digits, '-' or '_'", field="short_name")
        if taken(Category.short_name, short, getattr(category, "id", None)):
            raise CategoryError(f"the short name {short!r} is taken", status=409, field="short_name")
    if "info" in values and not isinstance(values["info"], dict):
        raise CategoryError("info must be a JSON object", field="info")
    if "description" in values and values["description"] is None:
        values["description"] = ""


def _commit(conflict: str = "that name or short name is taken") -> None:
    try:
        db.session.commit()
    except IntegrityError:  # a concurrent writer got in between our check and our write
        db.session.rollback()
        raise CategoryError(conflict, status=409) from None


def unique_slug(name: str) -> str:
    """slug(name), or "category" when nothing URL-safe is left, with -2, -3... when it is taken."""
    base = slug(name).strip("-_") or "category"
    taken = set(db.session.scalars(select(func.lower(Category.short_name))
                                   .where(func.lower(Category.short_name).like(f"{base}%"))))
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def create(values: dict, by=None) -> Category:
    values = dict(values)
    if not values.get("short_name") and isinstance(values.get("name"), str):
        values["short_name"] = unique_slug(values["name"])
    values.setdefault("name", None)
    _validate(values)
    category = Category(**{k: copy.deepcopy(v) for k, v in values.items()})
    db.session.add(category)
    _commit()
    return category


def update(category: Category, values: dict, by=None) -> Category:
    values = dict(values)
    _validate(values, category)
    for name, value in values.items():
        setattr(category, name, copy.deepcopy(value))
    _commit()
    return category


def project_count(category: Category) -> int:
    """Every project in the category, drafts included (PYBOSSA's count forgot drafts)."""
    return db.session.scalar(select(func.count()).select_from(Project)
                             .where(Project.category_id == category.id)) or 0


def project_counts() -> dict[int, int]:
    """{category_id: number of projects, drafts included} in one query."""
    rows = db.session.execute(select(Project.category_id, func.count()).group_by(Project.category_id))
    return dict(rows.all())


def delete_refusal(category: Category) -> str | None:
    """Why the category cannot be deleted (the last one, or one still holding projects); None if it can."""
    if (db.session.scalar(select(func.count()).select_from(Category)) or 0) <= 1:
        return ("Sorry, it is not possible to delete the only available category. "
                "You can modify it instead.")
    used = project_count(category)
    if used:
        return (f"category {category.short_name!r} still holds {used} project{'s' if used != 1 else ''}; "
                "move them to another category first")
    return None


def delete(category: Category, by=None) -> None:
    # Lock the category rows (PostgreSQL; SQLite serialises writers) so two deletes cannot both pass the
    # "not the last one" check, and a project cannot be filed under this one while we look.
    db.session.execute(select(Category.id).order_by(Category.id).with_for_update()).all()
    short_name, refusal = category.short_name, delete_refusal(category)
    if refusal:
        db.session.rollback()
        raise CategoryError(refusal, status=409)
    db.session.delete(category)
    _commit(f"category {short_name!r} received a project meanwhile; it cannot be deleted")

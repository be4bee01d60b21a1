"""Read queries for the organizations pages."""
from __future__ import annotations

from sqlalchemy import func, select

from pybossa_admin.plugin import db, models

Organization, User, Project = models.Organization, models.User, models.Project


def organization_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Organization)) or 0


def listing(page: int, per_page: int) -> tuple[list[dict], int]:
    total = organization_count()
    orgs = list(db.session.scalars(select(Organization).order_by(func.lower(Organization.name))
                                   .offset((page - 1) * per_page).limit(per_page)))
    ids = [o.id for o in orgs]
    members = _grouped(User.organization_id, ids)
    projects = _grouped(Project.organization_id, ids)
    rows = [dict(o.as_dict(), members=members.get(o.id, 0), projects=projects.get(o.id, 0)) for o in orgs]
    return rows, total


def _grouped(column, ids) -> dict[int, int]:
    if not ids:
        return {}
    return dict(db.session.execute(select(column, func.count()).where(column.in_(ids)).group_by(column)).all())


def members(org_id: int, page: int, per_page: int) -> tuple[list[User], int]:
    total = db.session.scalar(select(func.count()).select_from(User).where(User.organization_id == org_id))
    rows = list(db.session.scalars(select(User).where(User.organization_id == org_id)
                                   .order_by(func.lower(User.name)).offset((page - 1) * per_page).limit(per_page)))
    return rows, total or 0


def projects(org_id: int, page: int, per_page: int) -> tuple[list[Project], int]:
    total = db.session.scalar(select(func.count()).select_from(Project).where(Project.organization_id == org_id))
    rows = list(db.session.scalars(select(Project).where(Project.organization_id == org_id)
                                   .order_by(Project.short_name).offset((page - 1) * per_page).limit(per_page)))
    return rows, total or 0


def user_by_login(login: str) -> User | None:
    login = (login or "").strip().lower()
    return db.session.scalar(select(User).where((func.lower(User.name) == login)
                                                | (func.lower(User.email_addr) == login))) if login else None


def project_by_short_name(short_name: str) -> Project | None:
    return db.session.scalar(select(Project).where(Project.short_name == (short_name or "").strip()))

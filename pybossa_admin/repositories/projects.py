from sqlalchemy import select

from ..extensions import db
from ..models import Category, Project


def featured(limit: int = 24) -> list[Project]:
    return list(db.session.scalars(select(Project).where(Project.featured.is_(True), Project.published.is_(True))
                                   .order_by(Project.updated.desc()).limit(limit)))


def categories() -> list[Category]:
    return list(db.session.scalars(select(Category).order_by(Category.name)))


def by_short_name(short_name: str) -> Project | None:
    return db.session.scalar(select(Project).where(Project.short_name == short_name))

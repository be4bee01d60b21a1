"""Read queries of the featured plugin."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from pybossa_admin.plugin import db, models

Project, Category = models.Project, models.Category


def featured_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Project).where(Project.featured.is_(True))) or 0


def published_by_category():
    """[(category, [published projects, featured first, then by name])] for every category, in one query."""
    categories = list(db.session.scalars(select(Category).order_by(Category.name)))
    grouped = {category.id: [] for category in categories}
    projects = db.session.scalars(select(Project).options(joinedload(Project.owner))
                                  .where(Project.published.is_(True))
                                  .order_by(Project.featured.desc(), Project.name))
    for project in projects:
        grouped.setdefault(project.category_id, []).append(project)
    return [(category, grouped[category.id]) for category in categories]

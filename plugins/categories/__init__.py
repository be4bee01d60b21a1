"""Built-in plugin `categories`: the categories projects are filed under."""
from sqlalchemy import func, select

from pybossa_admin.plugin import AdminCard, Plugin, db, models


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(models.Category)) or 0


def _views():
    from .views import CategoriesView
    return [CategoriesView(name="Categories", url="/admin/categories", endpoint="admin_categories", category="Projects")]


plugin = Plugin(
    name="categories",
    version="1.0.0",
    description="Categories: add, rename, describe and delete (only empty ones, never the last).",
    admin_views=_views,
    cards=(AdminCard("Categories", "admin_categories.index", "Categories that projects are filed under.",
                     count=_count),),
)

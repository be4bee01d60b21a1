"""Home and category pages."""
from __future__ import annotations

from flask import abort, request
from flask_login import current_user

from ..repositories import projects as project_repo
from ..responses import respond
from .access import project_view
from .blueprint import bp

PER_PAGE = 20


def _category_view(category, counts: dict) -> dict:
    return {**category.as_dict(), "n_projects": counts.get(category.id, 0)}


@bp.route("/")
def home():
    counts = project_repo.published_counts_by_category()
    mine = []
    if current_user.is_authenticated:
        mine = [project_view(p, full=True) for p in project_repo.owned_by(current_user.id)]
    return respond("web/home.html", title="Home",
                   featured=[project_view(p, full=False) for p in project_repo.featured()],
                   categories=[_category_view(c, counts) for c in project_repo.categories()],
                   my_projects=mine)


@bp.route("/project/category/<short_name>")
def category(short_name):
    found = project_repo.category_by_short_name(short_name)
    if found is None:
        abort(404, "There is no category with that name.")
    page = request.args.get("page", 1, type=int)
    if page < 1:
        abort(400, "page must be a positive number.")
    items, total = project_repo.published_in_category(found, page, PER_PAGE)
    if page > 1 and not items:
        abort(404, "This page of the category is empty.")
    pages = max(1, -(-total // PER_PAGE))
    counts = {found.id: total}
    return respond("web/category.html", title=found.name, category=_category_view(found, counts),
                   projects=[project_view(p, full=False) for p in items],
                   pagination={"page": page, "per_page": PER_PAGE, "total": total, "pages": pages})

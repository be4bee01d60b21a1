"""Read queries of the admin plugin: administrators, user search, counts for the cards."""
from __future__ import annotations

from sqlalchemy import func, or_, select, union

from pybossa_admin.plugin import db, models

User = models.User
SEARCH_PAGE_SIZE = 50
# Counting every hit of a broad query ("a") would scan most of the table; past this we say "1,000+".
SEARCH_COUNT_CAP = 1000


def admin_count() -> int:
    return db.session.scalar(select(func.count()).select_from(User).where(User.admin.is_(True))) or 0


def exportable_user_count() -> int:
    return db.session.scalar(select(func.count()).select_from(User).where(User.restrict.is_(False))) or 0


def admins_except(user_id: int) -> list:
    return list(db.session.scalars(select(User).where(User.admin.is_(True), User.id != user_id)
                                   .order_by(User.name)))


def like_pattern(text: str) -> str:
    """'%text%' for a case-insensitive partial match, with LIKE's wildcards taken literally."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_users(text: str, exclude_id: int, page: int = 1, per_page: int = SEARCH_PAGE_SIZE):
    """One page of users whose name or full name contains text (case-insensitive), never exclude_id.

    Cost stays bounded at a million users whatever the query: the candidates are the users whose
    name is exactly text (always kept, listed first) plus at most SEARCH_COUNT_CAP + 1 partial
    matches, found by the pg_trgm GIN indexes (ix_users_name_trgm, ix_users_fullname_trgm on
    lower(...)) for narrow queries or by a scan that stops early for broad ones. Candidates are sorted
    by name and paged. When more than SEARCH_COUNT_CAP users match, the page says so and asks for a
    narrower query instead of sorting a hundred thousand rows.

    Returns (users, has_next, total) where total counts the candidates (so it tops out just above the cap).
    """
    lowered = text.lower()
    pattern = like_pattern(text)
    exact = select(User.id).where(func.lower(User.name) == lowered, User.id != exclude_id)
    partial = (select(User.id).where(or_(func.lower(User.name).like(pattern, escape="\\"),
                                         func.lower(User.fullname).like(pattern, escape="\\")),
                                     User.id != exclude_id)
               .limit(SEARCH_COUNT_CAP + 1).subquery())
    candidates = union(exact, select(partial.c.id)).subquery()
    total = func.count().over().label("total")
    rows = db.session.execute(
        select(User, total).join(candidates, candidates.c.id == User.id)
        .order_by((func.lower(User.name) == lowered).desc(), User.name, User.id)
        .offset((page - 1) * per_page).limit(per_page + 1)).all()
    users = [row[0] for row in rows]
    if rows:
        count = rows[0][1]
    elif page == 1:
        count = 0
    else:  # past the last page: count without a page
        count = db.session.scalar(select(func.count()).select_from(candidates)) or 0
    return users[:per_page], len(users) > per_page, count

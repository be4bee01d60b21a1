"""Read queries of the admin plugin: administrators, user search, counts for the cards."""
from __future__ import annotations

from sqlalchemy import func, or_, select

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


def _search_condition(text: str, exclude_id: int):
    # lower(...) LIKE is what the pg_trgm GIN indexes ix_users_name_trgm / ix_users_fullname_trgm
    # serve on PostgreSQL, so a partial search stays fast at a million users.
    pattern = like_pattern(text)
    return (or_(func.lower(User.name).like(pattern, escape="\\"),
                func.lower(User.fullname).like(pattern, escape="\\")),
            User.id != exclude_id)


def search_users(text: str, exclude_id: int, page: int = 1, per_page: int = SEARCH_PAGE_SIZE):
    """One page of users whose name or full name contains text, never exclude_id.

    Returns (users, has_next, total) where total is capped at SEARCH_COUNT_CAP + 1."""
    where = _search_condition(text, exclude_id)
    rows = list(db.session.scalars(select(User).where(*where).order_by(User.name, User.id)
                                   .offset((page - 1) * per_page).limit(per_page + 1)))
    has_next = len(rows) > per_page
    capped = select(User.id).where(*where).limit(SEARCH_COUNT_CAP + 1).subquery()
    total = db.session.scalar(select(func.count()).select_from(capped)) or 0
    return rows[:per_page], has_next, total

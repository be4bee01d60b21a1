"""Read queries of the admin plugin: administrators, user search, counts for the cards."""
from __future__ import annotations

import functools

from sqlalchemy import Integer, bindparam, func, or_, select, union_all
from sqlalchemy import text as sql_text

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


# What a search result shows (and its JSON carries): never passwd_hash or api_key.
RESULT_FIELDS = ("id", "name", "fullname", "email_addr", "created", "locale", "admin", "pro", "enabled", "restrict")


def search_users(text: str, exclude_id: int, page: int = 1, per_page: int = SEARCH_PAGE_SIZE):
    """One page of users whose name or full name contains text (case-insensitive), never exclude_id.

    Cost stays bounded at a million users whatever the query: the candidates are the users whose
    name is exactly text (always kept, listed first) plus at most SEARCH_COUNT_CAP + 1 partial
    matches, found by the pg_trgm GIN indexes (ix_users_name_trgm, ix_users_fullname_trgm on
    lower(...)) for narrow queries or by a scan that stops early for broad ones. Candidates are sorted
    by name and paged. When more than SEARCH_COUNT_CAP users match, the page says so and asks for a
    narrower query instead of sorting a hundred thousand rows. Plain Core rows, no ORM objects: this
    runs on every keystroke-sized search.

    Returns (users as dicts, has_next, total) where total counts the candidates (it tops out just
    above the cap).
    """
    if db.engine.dialect.name == "postgresql":
        # A broad query is served by a scan that stops after SEARCH_COUNT_CAP matches. PostgreSQL starts
        # a scan where the previous one stopped (synchronized scans), so the same search could come
        # back with another set of candidates, and pages 1 and 2 disagree. From block 0, it is stable.
        db.session.execute(sql_text("SET LOCAL synchronize_seqscans = off"))
    rows = db.session.execute(_search_statement(), {
        "lowered": text.lower(), "pattern": like_pattern(text), "me": exclude_id,
        "cap": SEARCH_COUNT_CAP + 1, "page_offset": (page - 1) * per_page, "page_limit": per_page + 1}).all()
    users = [dict(zip(RESULT_FIELDS, row[:-1])) for row in rows]
    if rows:
        count = rows[0][-1]
    elif page == 1:
        count = 0
    else:  # past the last page: count without a page
        count = search_users(text, exclude_id, 1, per_page)[2]
    return users[:per_page], len(users) > per_page, count


@functools.lru_cache(maxsize=None)
def _search_statement():
    """Built once per process (with bound parameters): building it costs more than running it."""
    lowered, pattern, me = bindparam("lowered"), bindparam("pattern"), bindparam("me")
    columns = [getattr(User, name) for name in RESULT_FIELDS]
    exact = select(*columns).where(func.lower(User.name) == lowered, User.id != me)
    partial = (select(*columns).where(or_(func.lower(User.name).like(pattern, escape="\\"),
                                          func.lower(User.fullname).like(pattern, escape="\\")),
                                      func.lower(User.name) != lowered, User.id != me)
               .limit(bindparam("cap", type_=Integer)).subquery())
    # Whole rows in the candidate set (no join back to users), UNION ALL (the two parts never overlap).
    candidates = union_all(exact, select(partial)).subquery()
    c = candidates.c
    return (select(candidates, func.count().over().label("total"))
            .order_by((func.lower(c.name) == lowered).desc(), c.name, c.id)
            .offset(bindparam("page_offset", type_=Integer)).limit(bindparam("page_limit", type_=Integer)))

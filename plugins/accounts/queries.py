"""Read queries for the accounts pages, built to stay fast with a million users.

- Pages are keyset-paginated (no OFFSET): a cursor holds the last row's sort value and id.
- Rows whose sort value is NULL (never signed in) always come last, as their own segment, so that
  each segment is a plain index range scan on PostgreSQL.
- The total is exact up to COUNT_CAP; beyond that it is "more than N", or PostgreSQL's own estimate
  when nothing filters the list. Counting a million rows on every page load is what we avoid.
- A search or filter is looked up once (the pg_trgm GIN indexes of migration 0002 for searches), for
  at most COUNT_CAP + 1 keys: that gives the count, and when the matches are that few, the page is cut
  from their keys and its rows fetched by primary key. Denser matches walk the sort index instead.
- Task-run counts are fetched for the visible page only, in one grouped query.
"""
from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, func, literal, or_, select, text

from pybossa_admin.plugin import db, models

User, Organization, TaskRun = models.User, models.Organization, models.TaskRun

COUNT_CAP = 10_000
YES_NO = {"": None, "yes": True, "no": False}


@dataclass(frozen=True)
class Sort:
    label: str
    descending: bool          # the natural direction (newest first, A to Z, most task runs first)
    nullable: bool = False
    kind: str = "text"        # how a cursor value is decoded: text | time | int


SORTS = {
    "last_login": Sort("Last sign-in", descending=True, nullable=True, kind="time"),
    "name": Sort("Name", descending=False),
    "created": Sort("Created", descending=True, kind="time"),
    "task_runs": Sort("Task runs", descending=True, kind="int"),
}


class BadRequest(ValueError):
    """A query parameter is wrong; the message says which and why."""


@dataclass
class ListParams:
    q: str = ""
    active: bool | None = None
    admin: bool | None = None
    pro: bool | None = None
    organization: str = ""          # "" any, "none", or an id
    sort: str = "last_login"
    order: str = ""                 # "" natural, "asc" or "desc"
    after: str = ""
    before: str = ""
    per_page: int = 50

    @classmethod
    def from_args(cls, args, per_page: int = 50) -> "ListParams":
        params = cls(q=(args.get("q") or "").strip()[:200], per_page=per_page)
        for name in ("active", "admin", "pro"):
            value = (args.get(name) or "").strip().lower()
            if value not in YES_NO:
                raise BadRequest(f"{name} must be yes, no or empty, got {value!r}")
            setattr(params, name, YES_NO[value])
        org = (args.get("organization") or "").strip()
        if org not in ("", "none") and not org.isdigit():
            raise BadRequest(f"organization must be an id or 'none', got {org!r}")
        params.organization = org
        sort = (args.get("sort") or "last_login").strip()
        if sort not in SORTS:
            raise BadRequest(f"sort must be one of {', '.join(SORTS)}, got {sort!r}")
        params.sort = sort
        order = (args.get("order") or "").strip().lower()
        if order not in ("", "asc", "desc"):
            raise BadRequest(f"order must be asc or desc, got {order!r}")
        params.order = order
        params.after, params.before = args.get("after") or "", args.get("before") or ""
        if params.after and params.before:
            raise BadRequest("give after or before, not both")
        if args.get("per_page"):
            try:
                params.per_page = int(args["per_page"])
            except ValueError:
                raise BadRequest("per_page must be a number") from None
            if not 1 <= params.per_page <= 500:
                raise BadRequest("per_page must be between 1 and 500")
        return params

    @property
    def descending(self) -> bool:
        return SORTS[self.sort].descending if not self.order else self.order == "desc"

    @property
    def filtered(self) -> bool:
        return bool(self.q) or self.organization != "" or any(
            v is not None for v in (self.active, self.admin, self.pro))

    def as_args(self, **changes) -> dict:
        """The query-string arguments that reproduce this list (minus the cursor), with changes."""
        values = {"q": self.q, "active": _yes_no(self.active), "admin": _yes_no(self.admin),
                  "pro": _yes_no(self.pro), "organization": self.organization, "sort": self.sort,
                  "order": self.order}
        values.update(changes)
        return {k: v for k, v in values.items() if v not in ("", None)}


def _yes_no(value):
    return "" if value is None else ("yes" if value else "no")


def like_pattern(q: str) -> str:
    escaped = q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def filter_clauses(params: ListParams) -> list:
    clauses = []
    if params.q:
        pattern = like_pattern(params.q)
        # Each side matches its own pg_trgm GIN index on PostgreSQL (see migration 0002).
        clauses.append(or_(func.lower(User.name).like(pattern, escape="\\"),
                           func.lower(User.fullname).like(pattern, escape="\\"),
                           func.lower(User.email_addr).like(pattern, escape="\\")))
    for name, column in (("active", User.enabled), ("admin", User.admin), ("pro", User.pro)):
        value = getattr(params, name)
        if value is not None:
            clauses.append(column.is_(value))
    if params.organization == "none":
        clauses.append(User.organization_id.is_(None))
    elif params.organization:
        clauses.append(User.organization_id == int(params.organization))
    return clauses


# --- cursors -----------------------------------------------------------------------------------

def encode_cursor(in_null_segment: bool, value, row_id: int) -> str:
    if isinstance(value, datetime):
        value = value.isoformat()
    raw = json.dumps([1 if in_null_segment else 0, value, row_id], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(token: str, kind: str):
    try:
        padded = token + "=" * (-len(token) % 4)
        null_segment, value, row_id = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(row_id, int):
            raise ValueError
        if null_segment:
            return True, None, row_id
        if kind == "time":
            value = datetime.fromisoformat(value)
        elif kind == "int":
            value = int(value)
        elif not isinstance(value, str):
            raise ValueError
        return False, value, row_id
    except (ValueError, TypeError, binascii.Error, json.JSONDecodeError, UnicodeDecodeError):
        raise BadRequest("the page cursor is not valid; start again from the first page") from None


# --- the page ----------------------------------------------------------------------------------

@dataclass
class Page:
    rows: list[dict]
    next_cursor: str | None
    prev_cursor: str | None
    total: dict = field(default_factory=dict)


def _sort_column(sort: str):
    """(expression to order by, extra FROM for it or None)."""
    if sort == "last_login":
        return User.last_login, None
    if sort == "name":
        return func.lower(User.name), None  # matches the ix_users_lower_name expression index
    if sort == "created":
        return User.created, None
    counts = (select(TaskRun.user_id.label("user_id"), func.count().label("n"))
              .where(TaskRun.user_id.is_not(None)).group_by(TaskRun.user_id).subquery("run_counts"))
    return func.coalesce(counts.c.n, 0), counts


def _list_columns():
    return (User.id, User.name, User.fullname, User.email_addr, User.created, User.last_login, User.enabled,
            User.admin, User.pro, User.organization_id, Organization.name.label("organization"))


def _base_select(params: ListParams):
    column, counts = _sort_column(params.sort)
    stmt = (select(*_list_columns(), column.label("sort_value"))
            .outerjoin(Organization, User.organization_id == Organization.id))
    if counts is not None:
        stmt = stmt.outerjoin(counts, counts.c.user_id == User.id)
    clauses = filter_clauses(params)
    if clauses:
        stmt = stmt.where(*clauses)
    return stmt, column


def _after(column, id_column, value, row_id, desc: bool):
    """Rows strictly after (value, id) in the given direction. The plain range on the column is
    repeated on its own so PostgreSQL can use it as an index condition."""
    if desc:
        return and_(column <= value, or_(column < value, id_column < row_id))
    return and_(column >= value, or_(column > value, id_column > row_id))


def _fetch_segment(source, null_segment: bool, nullable: bool, desc: bool, cursor, limit: int):
    stmt, column, id_column = source
    if nullable:
        stmt = stmt.where(column.is_(None) if null_segment else column.is_not(None))
    if cursor is not None:
        c_null, c_value, c_id = cursor
        if null_segment:
            stmt = stmt.where(id_column < c_id if desc else id_column > c_id)
        else:
            stmt = stmt.where(_after(column, id_column, _typed(c_value, column), c_id, desc))
    order = [id_column.desc() if desc else id_column.asc()]
    if not null_segment:
        order.insert(0, column.desc() if desc else column.asc())
    return list(db.session.execute(stmt.order_by(*order).limit(limit)))


def _typed(value, column):
    return literal(value, type_=column.type) if not isinstance(value, (int, str)) else value


def _source(params: ListParams, few_matches: bool):
    """(statement, sort column, id column) to page through in SQL.

    Walking the sort index and filtering on the way is fast when matches are dense. When they are few,
    the matches are fetched first (a materialized CTE) and sorted: PostgreSQL left to itself sometimes
    walks the sort index looking for a rare match and reads most of the table."""
    stmt, column = _base_select(params)
    if not few_matches:
        return stmt, column, User.id
    matches = stmt.cte("matches").prefix_with("MATERIALIZED", dialect="postgresql")
    return select(matches), matches.c.sort_value, matches.c.id


def list_page(params: ListParams) -> Page:
    sort = SORTS[params.sort]
    token = params.after or params.before
    cursor = decode_cursor(token, sort.kind) if token else None
    if params.filtered and params.sort != "task_runs":
        # One trigram/index lookup gives both the count (capped) and, when matches are few, every
        # match's sort key: the page is then cut in Python and its rows fetched by primary key.
        keys = match_keys(params)
        if len(keys) <= COUNT_CAP:
            return _page_from_keys(params, keys, cursor)
        total = {"count": COUNT_CAP, "exact": False, "capped": True}
    else:
        total = estimate_total(params)
    source = _source(params, few_matches=params.filtered and total["exact"])
    forward = not params.before
    desc = params.descending if forward else not params.descending
    # Segment order in the direction of travel: values first, then NULLs (reversed going back).
    segments = [False, True] if sort.nullable else [False]
    if not forward:
        segments.reverse()
    if cursor is not None and sort.nullable:
        segments = segments[segments.index(cursor[0]):]
    need = params.per_page + 1
    rows = []
    for null_segment in segments:
        seg_cursor = cursor if cursor is not None and cursor[0] == null_segment else None
        rows += _fetch_segment(source, null_segment, sort.nullable, desc, seg_cursor, need - len(rows))
        if len(rows) >= need:
            break
    more = len(rows) > params.per_page
    rows = rows[:params.per_page]
    if not forward:
        rows.reverse()
    first_key = _key(rows[0]) if rows else None
    last_key = _key(rows[-1]) if rows else None
    if forward:
        next_cursor = encode_cursor(*last_key) if more and last_key else None
        prev_cursor = encode_cursor(*first_key) if cursor is not None and first_key else None
    else:
        prev_cursor = encode_cursor(*first_key) if more and first_key else None
        next_cursor = encode_cursor(*last_key) if last_key else None
    return Page(rows=_with_task_runs(rows), next_cursor=next_cursor, prev_cursor=prev_cursor, total=total)


def match_keys(params: ListParams) -> list[tuple]:
    """(in NULL segment, sort value, id) of up to COUNT_CAP + 1 matching users, unordered."""
    column, _ = _sort_column(params.sort)
    stmt = select(User.id, column).where(*filter_clauses(params)).limit(COUNT_CAP + 1)
    return [(value is None, value, user_id) for user_id, value in db.session.execute(stmt)]


def _ordered(keys: list[tuple], desc: bool) -> list[tuple]:
    """The list order: by (value, id) in the direction asked, NULL values last either way."""
    valued = sorted((k for k in keys if not k[0]), key=lambda k: (k[1], k[2]), reverse=desc)
    nulls = sorted((k for k in keys if k[0]), key=lambda k: k[2], reverse=desc)
    return valued + nulls


def _comes_after(key: tuple, other: tuple, desc: bool) -> bool:
    if key[0] != other[0]:
        return key[0]  # the NULL segment follows the valued one
    if key[0]:
        return key[2] < other[2] if desc else key[2] > other[2]
    return (key[1], key[2]) < (other[1], other[2]) if desc else (key[1], key[2]) > (other[1], other[2])


def _page_from_keys(params: ListParams, keys: list[tuple], cursor) -> Page:
    desc, n = params.descending, params.per_page
    ordered = _ordered(keys, desc)
    if params.before:
        end = 0
        while end < len(ordered) and _comes_after(cursor, ordered[end], desc):
            end += 1
        start = max(0, end - n)
        page, has_prev, has_next = ordered[start:end], start > 0, end < len(ordered)
    else:
        start = 0
        if cursor is not None:
            while start < len(ordered) and not _comes_after(ordered[start], cursor, desc):
                start += 1
        page, has_prev, has_next = ordered[start:start + n], start > 0, start + n < len(ordered)
    rows = rows_by_id([k[2] for k in page])
    return Page(rows=_with_task_runs(rows),
                next_cursor=encode_cursor(*page[-1]) if has_next and page else None,
                prev_cursor=encode_cursor(*page[0]) if has_prev and page else None,
                total={"count": len(keys), "exact": True, "capped": False})


def rows_by_id(ids: list[int]) -> list:
    """The list columns of these users, in the order given (primary-key lookups)."""
    if not ids:
        return []
    stmt = (select(*_list_columns()).outerjoin(Organization, User.organization_id == Organization.id)
            .where(User.id.in_(ids)))
    found = {row.id: row for row in db.session.execute(stmt)}
    return [found[i] for i in ids if i in found]


def _key(row):
    return row.sort_value is None, row.sort_value, row.id


def task_run_counts(user_ids) -> dict[int, int]:
    """Task runs per user for these ids only: one grouped query on the task_run.user_id index."""
    ids = list(user_ids)
    if not ids:
        return {}
    query = (select(TaskRun.user_id, func.count()).where(TaskRun.user_id.in_(ids)).group_by(TaskRun.user_id))
    return {user_id: n for user_id, n in db.session.execute(query)}


def _with_task_runs(rows) -> list[dict]:
    counts = task_run_counts(row.id for row in rows)
    out = []
    for row in rows:
        data = dict(row._mapping)
        data.pop("sort_value", None)
        data["task_runs"] = counts.get(row.id, 0)
        out.append(data)
    return out


# --- totals ------------------------------------------------------------------------------------

def table_estimate() -> int | None:
    """PostgreSQL's planner estimate of the users table size (free); None elsewhere or unknown."""
    if db.engine.dialect.name != "postgresql":
        return None
    value = db.session.scalar(text("SELECT reltuples::bigint FROM pg_class WHERE oid = 'users'::regclass"))
    return int(value) if value is not None and value >= 0 else None


def estimate_total(params: ListParams) -> dict:
    """{"count": n, "exact": bool, "capped": bool}: exact up to COUNT_CAP, bounded work beyond."""
    if not params.filtered:
        estimate = table_estimate()
        if estimate is not None and estimate > COUNT_CAP:
            return {"count": estimate, "exact": False, "capped": False}
    stmt = select(User.id)
    clauses = filter_clauses(params)
    if clauses:
        stmt = stmt.where(*clauses)
    n = db.session.scalar(select(func.count()).select_from(stmt.limit(COUNT_CAP + 1).subquery()))
    if n > COUNT_CAP:
        return {"count": COUNT_CAP, "exact": False, "capped": True}
    return {"count": n, "exact": True, "capped": False}


def estimated_user_count() -> int:
    estimate = table_estimate()
    if estimate is not None and estimate > COUNT_CAP:
        return estimate
    return db.session.scalar(select(func.count()).select_from(User)) or 0


def organizations_for_filter(limit: int = 500) -> list[dict]:
    return [{"id": i, "name": n} for i, n in
            db.session.execute(select(Organization.id, Organization.name).order_by(Organization.name).limit(limit))]


# --- one user ----------------------------------------------------------------------------------

def user_detail(user_id: int) -> dict | None:
    user = db.session.get(User, user_id)
    if user is None:
        return None
    now = models.utcnow()
    S = models.SignInSession
    sessions = list(db.session.scalars(select(S).where(S.user_id == user_id, S.revoked_at.is_(None),
                                                       S.expires > now).order_by(S.last_seen.desc()).limit(50)))
    L = models.LogEvent
    recent = list(db.session.scalars(select(L).where(L.user_id == user_id).order_by(L.id.desc()).limit(20)))
    return {"user": user, "organization": user.organization, "task_runs": task_run_counts([user_id]).get(user_id, 0),
            "sessions": sessions, "recent_events": recent}


# --- export ------------------------------------------------------------------------------------

# (column, kind): kind tells the CSV writer how to format the value (text cells are formula-escaped).
EXPORT_COLUMNS = (("id", "int"), ("name", "text"), ("fullname", "text"), ("email_addr", "text"),
                  ("organization", "text"), ("created", "time"), ("last_login", "time"), ("enabled", "bool"),
                  ("admin", "bool"), ("pro", "bool"), ("task_runs", "int"))


def export_rows(params: ListParams, batch: int = 2000):
    """Yield lists of row tuples (EXPORT_COLUMNS order), `batch` at a time, from one server-side cursor:
    never the whole list in memory. Task runs come from one aggregate joined in (the whole table, cheap
    per row) unless the filters select few users, then from a per-user count on the index."""
    selective = params.filtered and estimate_total(params)["exact"]
    if selective:
        runs = (select(func.count()).select_from(TaskRun).where(TaskRun.user_id == User.id)
                .correlate(User).scalar_subquery())
    else:
        counts = (select(TaskRun.user_id.label("user_id"), func.count().label("n"))
                  .where(TaskRun.user_id.is_not(None)).group_by(TaskRun.user_id).subquery("run_counts"))
        runs = func.coalesce(counts.c.n, 0)
    stmt = (select(User.id, User.name, User.fullname, User.email_addr, Organization.name, User.created,
                   User.last_login, User.enabled, User.admin, User.pro, runs)
            .outerjoin(Organization, User.organization_id == Organization.id))
    if not selective:
        stmt = stmt.outerjoin(counts, counts.c.user_id == User.id)
    clauses = filter_clauses(params)
    if clauses:
        stmt = stmt.where(*clauses)
    # Options on the statement, not the connection: the session's connection is shared with later writes.
    result = db.session.connection().execute(stmt.order_by(User.id).execution_options(yield_per=batch))
    for chunk in result.partitions(batch):
        yield [tuple(row) for row in chunk]

"""Read queries over the audit trail: filters, keyset pages and batched iteration for exports.

Pages are keyset pages on the primary key (ids grow with time on an append-only table), so page
1,000 costs what page 1 costs, unlike OFFSET.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from pybossa_admin.plugin import db, models

ACTIONS = ("create", "update", "delete")
CALLERS = ("web", "api", "cli", "job")


class FilterError(ValueError):
    """Bad filter input; the message is shown to the user (400)."""


@dataclass(frozen=True)
class Filters:
    action: str = ""
    attribute: str = ""
    user: str = ""
    project: str = ""          # short name; only the global view offers it

    def as_dict(self) -> dict:
        return {"action": self.action, "attribute": self.attribute, "user": self.user, "project": self.project}

    def query_args(self) -> dict:
        return {k: v for k, v in self.as_dict().items() if v}


def parse_filters(args, allow_project: bool) -> Filters:
    action = (args.get("action") or "").strip().lower()
    if action and action not in ACTIONS:
        raise FilterError(f"action must be one of {', '.join(ACTIONS)}, not {action!r}")
    attribute = (args.get("attribute") or "").strip()
    user = (args.get("user") or "").strip()
    project = (args.get("project") or "").strip() if allow_project else ""
    for name, value in (("attribute", attribute), ("user", user), ("project", project)):
        if len(value) > 255:
            raise FilterError(f"{name} is too long (255 characters at most)")
    return Filters(action, attribute, user, project)


def parse_int(args, name: str, default: int | None = None, minimum: int = 1, maximum: int | None = None):
    raw = args.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise FilterError(f"{name} must be a whole number, not {raw!r}") from None
    if value < minimum or (maximum is not None and value > maximum):
        bounds = f"between {minimum} and {maximum}" if maximum is not None else f"at least {minimum}"
        raise FilterError(f"{name} must be {bounds}")
    return value


def _filtered(stmt, project_id: int | None, filters: Filters):
    log = models.AuditLog
    if project_id is not None:
        stmt = stmt.where(log.project_id == project_id)
    if filters.project:
        # The project's id uses an index; the stored short name still finds rows of deleted projects.
        project_id = db.session.scalar(select(models.Project.id)
                                       .where(func.lower(models.Project.short_name) == filters.project.lower()))
        if project_id is not None:
            stmt = stmt.where(log.project_id == project_id)
        else:
            stmt = stmt.where(func.lower(log.project_short_name) == filters.project.lower())
    if filters.action:
        stmt = stmt.where(log.action == filters.action)
    if filters.attribute:
        stmt = stmt.where(log.attribute == filters.attribute)
    if filters.user:
        # Rows keep the name the user had then; match the account (by id, indexed) or the stored name
        # (for "system" rows and deleted accounts).
        user_id = db.session.scalar(select(models.User.id).where(func.lower(models.User.name) == filters.user.lower()))
        if user_id is not None:
            stmt = stmt.where(log.user_id == user_id)
        else:
            stmt = stmt.where(func.lower(log.user_name) == filters.user.lower())
    return stmt


@dataclass
class Page:
    rows: list
    per_page: int
    newer: int | None      # pass as ?after= to get the newer page
    older: int | None      # pass as ?before= to get the older page


def page(project_id: int | None, filters: Filters, per_page: int, before: int | None = None,
         after: int | None = None) -> Page:
    """Newest first. `before=id` gives the rows older than id; `after=id` the rows newer than id."""
    log = models.AuditLog
    stmt = _filtered(select(log), project_id, filters)
    if after is not None:
        rows = list(db.session.scalars(stmt.where(log.id > after).order_by(log.id.asc()).limit(per_page + 1)))
        has_newer = len(rows) > per_page
        rows = list(reversed(rows[:per_page]))
        has_older = _exists(stmt.where(log.id <= after))
        older = rows[-1].id if rows else after + 1
        return Page(rows, per_page, rows[0].id if has_newer and rows else None, older if has_older else None)
    if before is not None:
        stmt_window = stmt.where(log.id < before)
    else:
        stmt_window = stmt
    rows = list(db.session.scalars(stmt_window.order_by(log.id.desc()).limit(per_page + 1)))
    has_older = len(rows) > per_page
    rows = rows[:per_page]
    has_newer = before is not None and _exists(stmt.where(log.id >= before))
    newer = (rows[0].id if rows else before - 1) if has_newer else None
    return Page(rows, per_page, newer, rows[-1].id if has_older and rows else None)


def _exists(stmt) -> bool:
    return db.session.scalar(select(stmt.with_only_columns(models.AuditLog.id).limit(1).exists())) or False


def iter_rows(project_id: int | None, filters: Filters, batch: int = 1000):
    """Every matching row, newest first, fetched in keyset batches so memory stays constant."""
    log = models.AuditLog
    stmt = _filtered(select(log), project_id, filters).order_by(log.id.desc()).limit(batch)
    last = None
    while True:
        chunk = list(db.session.scalars(stmt if last is None else stmt.where(log.id < last)))
        if not chunk:
            return
        for row in chunk:
            yield row
            db.session.expunge(row)  # keep the identity map from growing during a long export
        last = chunk[-1].id
        if len(chunk) < batch:
            return


def attributes(project_id: int, limit: int = 200) -> list[str]:
    """Attribute names seen in one project (the filter's suggestions). Not offered across all projects:
    a DISTINCT over the whole table would read all of it on every page."""
    log = models.AuditLog
    stmt = select(log.attribute).where(log.project_id == project_id).distinct().order_by(log.attribute).limit(limit)
    return list(db.session.scalars(stmt))


def count_since(since) -> int:
    log = models.AuditLog
    return db.session.scalar(select(func.count()).select_from(log).where(log.created >= since)) or 0

"""Reading the operational log: filters parsed from the query string, keyset pages by id."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import delete, func, select

from pybossa_admin.plugin import db, models

CHANNELS = ("platform", "auth", "api", "jobs", "startup")
ALL = "all"
LEVELS = ("debug", "info", "warning", "error", "critical")
DEFAULT_LIMIT = 50
MAX_LIMIT = 200
LogEvent = models.LogEvent


class FilterError(ValueError):
    """A filter value is not understood; the message is safe to show."""


@dataclass
class LogFilter:
    channel: str = "platform"
    level: str = ""
    event: str = ""
    user: str = ""
    q: str = ""
    since: date | None = None
    until: date | None = None
    before: int | None = None    # keyset cursor: rows with a smaller id (older)
    after: int | None = None     # keyset cursor: rows with a larger id (newer)
    limit: int = DEFAULT_LIMIT
    problems: list = field(default_factory=list)

    def as_args(self, **changes) -> dict:
        """The query-string arguments that reproduce this filter (for links), with changes applied."""
        args = {"channel": self.channel, "level": self.level, "event": self.event, "user": self.user,
                "q": self.q, "since": self.since.isoformat() if self.since else "",
                "until": self.until.isoformat() if self.until else "",
                "limit": self.limit if self.limit != DEFAULT_LIMIT else ""}
        args.update(changes)
        return {k: v for k, v in args.items() if v not in ("", None)}

    def as_dict(self) -> dict:
        return {"channel": self.channel, "level": self.level or None, "event": self.event or None,
                "user": self.user or None, "q": self.q or None,
                "since": self.since.isoformat() if self.since else None,
                "until": self.until.isoformat() if self.until else None,
                "before": self.before, "after": self.after, "limit": self.limit}


def _day(name: str, raw: str) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise FilterError(f"{name}: expected a date like 2024-05-31, got {raw!r}") from None


def _cursor(name: str, raw: str) -> int | None:
    if not raw:
        return None
    if not raw.strip().isdigit():
        raise FilterError(f"{name}: expected a row id (a positive integer), got {raw!r}")
    return int(raw)


def parse(args) -> LogFilter:
    """A LogFilter from request.args; raises FilterError with a message for bad values."""
    channel = (args.get("channel") or "platform").strip().lower()
    if channel not in CHANNELS + (ALL,):
        raise FilterError(f"channel: expected one of {', '.join(CHANNELS + (ALL,))}, got {channel!r}")
    level = (args.get("level") or "").strip().lower()
    if level and level not in LEVELS:
        raise FilterError(f"level: expected one of {', '.join(LEVELS)}, got {level!r}")
    raw_limit = (args.get("limit") or "").strip()
    if raw_limit and not raw_limit.isdigit():
        raise FilterError(f"limit: expected a number from 1 to {MAX_LIMIT}, got {raw_limit!r}")
    limit = int(raw_limit) if raw_limit else DEFAULT_LIMIT
    if not 1 <= limit <= MAX_LIMIT:
        raise FilterError(f"limit: expected a number from 1 to {MAX_LIMIT}, got {limit}")
    found = LogFilter(channel=channel, level=level, event=(args.get("event") or "").strip()[:100],
                      user=(args.get("user") or "").strip()[:254], q=(args.get("q") or "").strip()[:200],
                      since=_day("since", args.get("since", "")), until=_day("until", args.get("until", "")),
                      before=_cursor("before", args.get("before", "")), after=_cursor("after", args.get("after", "")),
                      limit=limit)
    if found.since and found.until and found.since > found.until:
        raise FilterError("since must not be after until")
    return found


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.utc)


def _conditions(f: LogFilter) -> list:
    where = []
    if f.channel != ALL:
        where.append(LogEvent.channel == f.channel)
    if f.level:
        where.append(LogEvent.level == f.level)
    if f.event:
        # "signin" matches signin.success and signin.failure; an exact name matches itself.
        where.append((LogEvent.event == f.event) | LogEvent.event.startswith(f.event + ".", autoescape=True))
    if f.user:
        by_name = func.lower(LogEvent.user_name) == f.user.lower()
        where.append(by_name | (LogEvent.user_id == int(f.user)) if f.user.isdigit() else by_name)
    if f.q:
        where.append(LogEvent.message.icontains(f.q, autoescape=True))
    if f.since:
        where.append(LogEvent.created >= _start_of(f.since))
    if f.until:  # inclusive: the whole of that day
        where.append(LogEvent.created < _start_of(f.until + timedelta(days=1)))
    return where


@dataclass
class Page:
    rows: list
    newer: int | None    # pass as ?after= for the newer page
    older: int | None    # pass as ?before= for the older page


def page(f: LogFilter) -> Page:
    """Newest first. Keyset pagination on the primary key: constant cost at any depth."""
    stmt = select(LogEvent).where(*_conditions(f))
    if f.after is not None:
        # Walking towards newer rows: the closest ones above the cursor, then shown newest first.
        rows = list(db.session.scalars(stmt.where(LogEvent.id > f.after).order_by(LogEvent.id.asc())
                                       .limit(f.limit + 1)))
        has_newer = len(rows) > f.limit
        rows = list(reversed(rows[:f.limit]))
        has_older = bool(rows) and _exists(f, LogEvent.id < rows[-1].id)
    else:
        if f.before is not None:
            stmt = stmt.where(LogEvent.id < f.before)
        rows = list(db.session.scalars(stmt.order_by(LogEvent.id.desc()).limit(f.limit + 1)))
        has_older = len(rows) > f.limit
        rows = rows[:f.limit]
        has_newer = bool(rows) and f.before is not None and _exists(f, LogEvent.id > rows[0].id)
    return Page(rows=rows, newer=rows[0].id if has_newer else None, older=rows[-1].id if has_older else None)


def _exists(f: LogFilter, condition) -> bool:
    return db.session.scalar(select(LogEvent.id).where(*_conditions(f), condition).limit(1)) is not None


def event_names(channel: str, recent: int = 2000) -> list[str]:
    """Event names seen among the channel's newest rows (the filter's suggestions): bounded cost at any size."""
    newest = select(LogEvent.event).order_by(LogEvent.id.desc()).limit(recent)
    if channel != ALL:
        newest = newest.where(LogEvent.channel == channel)
    names = newest.subquery()
    return list(db.session.scalars(select(names.c.event).distinct().order_by(names.c.event).limit(100)))


def trim(max_rows: int) -> dict[str, int]:
    """Keep at most max_rows per channel (the newest); returns how many rows each channel lost."""
    removed = {}
    for channel in CHANNELS:
        boundary = db.session.scalar(select(LogEvent.id).where(LogEvent.channel == channel)
                                     .order_by(LogEvent.id.desc()).offset(max_rows).limit(1))
        if boundary is None:
            removed[channel] = 0
            continue
        result = db.session.execute(delete(LogEvent).where(LogEvent.channel == channel, LogEvent.id <= boundary))
        removed[channel] = result.rowcount or 0
    db.session.commit()
    return removed

"""Grouping timestamps by UTC calendar day, in SQL that SQLite and PostgreSQL both run.

`utc_day(column)` compiles to `date(column)` on SQLite (which stores our timestamps as naive UTC text)
and to `CAST(timezone('UTC', column) AS DATE)` on PostgreSQL. A bare `CAST(column AS DATE)` of a
timestamptz would use the session's TimeZone, so a server set to Europe/Madrid would file a run at
23:30 UTC under the next day.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement
from sqlalchemy.types import Date


class utc_day(FunctionElement):  # noqa: N801 (reads like the SQL function it stands for)
    type = Date()
    name = "utc_day"
    inherit_cache = True


@compiles(utc_day)
def _utc_day_default(element, compiler, **kw):
    return f"date({compiler.process(element.clauses, **kw)})"


@compiles(utc_day, "postgresql")
def _utc_day_postgresql(element, compiler, **kw):
    return f"CAST(timezone('UTC', {compiler.process(element.clauses, **kw)}) AS DATE)"


def as_day(value) -> str:
    """The 'YYYY-MM-DD' label of what utc_day returned (a date on PostgreSQL, text on SQLite)."""
    if isinstance(value, datetime):
        return (value.astimezone(timezone.utc) if value.tzinfo else value).strftime("%Y-%m-%d")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)[:10]


def window(now: datetime, days: int = 7) -> tuple[datetime, datetime, list[str]]:
    """The last `days` UTC calendar days up to today: (start, end, labels oldest first)."""
    today = now.astimezone(timezone.utc).date()
    first = today - timedelta(days=days - 1)
    start = datetime.combine(first, time.min, tzinfo=timezone.utc)
    end = datetime.combine(today + timedelta(days=1), time.min, tzinfo=timezone.utc)
    return start, end, [(first + timedelta(days=i)).isoformat() for i in range(days)]

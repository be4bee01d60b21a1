"""The stored dashboard: one Snapshot(kind="dashboard") row per UTC day, the newest one shown."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from pybossa_admin.plugin import db, models

KIND = "dashboard"


def latest():
    snapshot = models.Snapshot
    return db.session.scalar(select(snapshot).where(snapshot.kind == KIND)
                             .order_by(snapshot.created.desc(), snapshot.id.desc()).limit(1))


def save(data: dict, now=None, keep_days: int = 30):
    """Store today's figures (replacing an earlier run of the same day) and prune old days."""
    now = now or models.utcnow()
    snapshot = models.Snapshot
    day = now.date()
    for attempt in (1, 2):
        row = db.session.scalar(select(snapshot).where(snapshot.kind == KIND, snapshot.day == day))
        if row is None:
            row = snapshot(kind=KIND, day=day)
            db.session.add(row)
        row.data, row.created = data, now
        try:
            db.session.commit()
            break
        except IntegrityError:  # another refresh inserted today's row first: update that one
            db.session.rollback()
            if attempt == 2:
                raise
    db.session.execute(delete(snapshot).where(snapshot.kind == KIND, snapshot.day < day - timedelta(days=keep_days)))
    db.session.commit()
    return row


def age_seconds(row, now=None) -> int:
    return max(0, int(((now or models.utcnow()) - row.created).total_seconds()))


def humanize(seconds: int) -> str:
    if seconds < 60:
        return "just now"
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            n = seconds // size
            return f"{n} {unit}{'s' if n != 1 else ''} ago"
    return "just now"

"""Importable job functions for the jobs tests (a worker process imports them by dotted path)."""
from pybossa_admin.extensions import db
from pybossa_admin.services import events


def record_event(message: str) -> int:
    row = events.record("jobs", "test.job", message)
    db.session.commit()
    return row.id


def count_to(n: int) -> int:
    return sum(range(n + 1))

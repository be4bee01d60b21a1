"""Helpers shared by the resource modules."""
from __future__ import annotations

from contextlib import contextmanager

from ...extensions import db
from ...services.errors import ServiceError
from ...services.projects import ProjectError
from ..errors import ApiError


@contextmanager
def service_errors():
    """Turn a broken rule reported by a service into the API's error (same status, same message)."""
    try:
        yield
    except (ServiceError, ProjectError) as exc:
        db.session.rollback()
        cls = "AttributeError" if exc.status == 415 else None
        raise ApiError(exc.status, str(exc), cls) from None


def iso(value):
    return value.isoformat() if value is not None else None

"""Core's own periodic jobs: housekeeping on the maintenance queue."""
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete

from ..extensions import db
from ..models import LogEvent, OneTimeToken, SignInSession, utcnow
from . import PeriodicJob

CORE_PERIODIC_JOBS = (
    PeriodicJob("core.housekeeping", "pybossa_admin.jobs.core_jobs.housekeeping", "maintenance", 24 * 3600),
)


def housekeeping() -> dict:
    """Apply log retention and drop expired sessions and tokens. Idempotent."""
    now = utcnow()
    keep = now - timedelta(days=current_app.config["LOG_RETENTION_DAYS"])
    removed = {
        "log_events": db.session.execute(delete(LogEvent).where(LogEvent.created < keep)).rowcount,
        "sessions": db.session.execute(delete(SignInSession).where(SignInSession.expires < now - timedelta(days=1)))
        .rowcount,
        "tokens": db.session.execute(delete(OneTimeToken).where(OneTimeToken.expires < now - timedelta(days=1)))
        .rowcount,
    }
    db.session.commit()
    return removed

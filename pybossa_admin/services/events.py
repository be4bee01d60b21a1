"""The operational log (platform, auth, api, jobs, startup). Never pass secrets in `data`."""
from __future__ import annotations

from flask import has_request_context, request
from flask_login import current_user

from ..extensions import db
from ..models import LogEvent

CHANNELS = ("platform", "auth", "api", "jobs", "startup")


def client_ip() -> str | None:
    return request.remote_addr if has_request_context() else None


def record(channel: str, event: str, message: str = "", *, level: str = "info", user=None,
           user_name: str | None = None, data: dict | None = None, commit: bool = True) -> LogEvent:
    if channel not in CHANNELS:
        raise ValueError(f"unknown log channel {channel!r}")
    if user is None and has_request_context() and getattr(current_user, "is_authenticated", False):
        user = current_user
    row = LogEvent(channel=channel, event=event, message=message[:2000], level=level,
                   user_id=getattr(user, "id", None), user_name=user_name or getattr(user, "name", None),
                   data=data or {})
    if has_request_context():
        row.ip = request.remote_addr
        row.user_agent = (request.user_agent.string or "")[:255]
    db.session.add(row)
    if commit:
        db.session.commit()
    return row

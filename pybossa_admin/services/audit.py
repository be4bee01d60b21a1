"""The audit trail, written here in the service layer so web, API and CLI are covered alike.

Rows are append-only (the model refuses updates and deletes). Values are stored as text:
booleans as true/false, None as an empty string, dicts and lists as JSON. Secret attributes are
recorded as changed with both values withheld (NULL).
"""
from __future__ import annotations

import json

from ..extensions import db
from ..models import AuditLog, Project

SECRET_ATTRIBUTES = frozenset({"secret_key", "passwd_hash", "password", "api_key", "webhook_secret"})
CALLERS = ("web", "api", "cli", "job")


def as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return str(value)


def _row(project: Project, by, caller: str, action: str, attribute: str, old, new) -> AuditLog:
    if caller not in CALLERS:
        raise ValueError(f"unknown caller {caller!r}")
    secret = attribute in SECRET_ATTRIBUTES
    return AuditLog(project_id=project.id, project_short_name=project.short_name,
                    user_id=getattr(by, "id", None), user_name=getattr(by, "name", None) or "system",
                    action=action, caller=caller, attribute=attribute,
                    old_value=None if secret else as_text(old), new_value=None if secret else as_text(new))


def created(project: Project, by, caller: str) -> None:
    db.session.add(_row(project, by, caller, "create", "project", "Nothing", "New project"))


def deleted(project: Project, by, caller: str) -> None:
    db.session.add(_row(project, by, caller, "delete", "project", "Saved", "Deleted"))


def changed(project: Project, by, caller: str, before: dict, after: dict) -> int:
    """One row per changed attribute; `info` is split into one row per added, changed or removed key."""
    count = 0
    for attribute in sorted(set(before) | set(after)):
        old, new = before.get(attribute), after.get(attribute)
        if attribute == "info":
            old, new = old or {}, new or {}
            for key in sorted(set(old) | set(new)):
                if old.get(key) != new.get(key) or (key in old) != (key in new):
                    db.session.add(_row(project, by, caller, "update", key, old.get(key), new.get(key)))
                    count += 1
        elif old != new:
            db.session.add(_row(project, by, caller, "update", attribute, old, new))
            count += 1
    return count


def note(project: Project, by, caller: str, attribute: str, old, new, action: str = "update") -> None:
    """An explicit event that is not a column change (e.g. task runs purged)."""
    db.session.add(_row(project, by, caller, action, attribute, old, new))

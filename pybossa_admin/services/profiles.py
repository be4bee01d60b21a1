"""What users may change about themselves through the API: display fields only.

Roles (admin, pro), the enabled flag, restrict, the API key, the password and the sign-in
identifiers (name, e-mail) are never changed here; they have their own guarded flows
(services.users for roles, the account pages for the rest)."""
from __future__ import annotations

import copy
import re

from .. import signals
from ..extensions import db
from ..models import User
from .errors import ServiceError

FIELDS = ("fullname", "locale", "info")
LOCALE_RE = re.compile(r"^[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8})?$")


class ProfileError(ServiceError):
    pass


def update(user: User, values: dict, by=None) -> User:
    unknown = set(values) - set(FIELDS)
    if unknown:
        name = sorted(unknown)[0]
        raise ProfileError(f"{name} cannot be changed through this call", status=403, field=name)
    if "fullname" in values:
        if not isinstance(values["fullname"], str) or not values["fullname"].strip():
            raise ProfileError("fullname must be a non-empty string", field="fullname")
        values = dict(values, fullname=values["fullname"].strip())
    if "locale" in values and (not isinstance(values["locale"], str) or not LOCALE_RE.match(values["locale"])):
        raise ProfileError("locale must look like 'en' or 'pt_BR'", field="locale")
    if "info" in values and not isinstance(values["info"], dict):
        raise ProfileError("info must be a JSON object", field="info")
    changes = {k: v for k, v in values.items() if getattr(user, k) != v}
    for name, value in changes.items():
        setattr(user, name, copy.deepcopy(value))
    db.session.commit()
    if changes:
        signals.send(signals.user_updated, user=user, changes=changes)
    return user

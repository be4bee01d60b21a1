"""Result mutations: owners (and admins) store their aggregated answer in a result's info."""
from __future__ import annotations

import copy

from ..extensions import db
from ..models import Result
from .errors import ServiceError

UPDATE_FIELDS = ("info",)


class ResultError(ServiceError):
    pass


def update(result: Result, values: dict, by=None) -> Result:
    unknown = set(values) - set(UPDATE_FIELDS)
    if unknown:
        name = sorted(unknown)[0]
        raise ResultError(f"attribute {name!r} of a result is set by the platform", status=415, field=name)
    if "info" in values:  # any JSON value: the owner's aggregation format is theirs to choose
        result.info = copy.deepcopy(values["info"])
    db.session.commit()
    return result

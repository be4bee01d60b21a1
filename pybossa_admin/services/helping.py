"""Helping material mutations (project owners and admins; callers check who)."""
from __future__ import annotations

import copy
from urllib.parse import urlparse

from ..extensions import db
from ..models import HelpingMaterial, Project
from .errors import ServiceError

FIELDS = ("info", "media_url", "priority")


class HelpingError(ServiceError):
    pass


def _validate(values: dict) -> None:
    unknown = set(values) - set(FIELDS)
    if unknown:
        name = sorted(unknown)[0]
        raise HelpingError(f"attribute {name!r} cannot be set on helping material", status=415, field=name)
    if "info" in values and not isinstance(values["info"], dict):
        raise HelpingError("info must be a JSON object", field="info")
    url = values.get("media_url")
    if url is not None:
        if not isinstance(url, str) or urlparse(url).scheme not in ("http", "https"):
            raise HelpingError("media_url must be an http(s) URL", field="media_url")
    if "priority" in values:
        value = values["priority"]
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise HelpingError("priority must be a number", field="priority")


def create(project: Project, values: dict, by=None) -> HelpingMaterial:
    values = dict(values)
    _validate(values)
    material = HelpingMaterial(project_id=project.id, **{k: copy.deepcopy(v) for k, v in values.items()})
    material.info = material.info if material.info is not None else {}
    db.session.add(material)
    db.session.commit()
    return material


def update(material: HelpingMaterial, values: dict, by=None) -> HelpingMaterial:
    _validate(values)
    for name, value in values.items():
        setattr(material, name, copy.deepcopy(value))
    db.session.commit()
    return material


def delete(material: HelpingMaterial, by=None) -> None:
    db.session.delete(material)
    db.session.commit()

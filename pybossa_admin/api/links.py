"""PYBOSSA's HATEOAS strings: every object has `link` (itself) and, when it has parents, `links`."""
from __future__ import annotations

from flask import request


def _href(kind: str, object_id) -> str:
    return f"{request.host_url}api/{kind}/{object_id}"


def link(kind: str, object_id) -> str:
    return f"<link rel='self' title='{kind}' href='{_href(kind, object_id)}'/>"


def parent(kind: str, object_id) -> str:
    return f"<link rel='parent' title='{kind}' href='{_href(kind, object_id)}'/>"


def add(data: dict, kind: str, parents: tuple[tuple[str, object], ...] = ()) -> dict:
    data["link"] = link(kind, data["id"])
    if parents:
        data["links"] = [parent(k, i) for k, i in parents if i is not None]
    return data

"""The API's views, generated from the resource definitions: thin (parse -> service -> serialize)."""
from __future__ import annotations

import json

from flask import Blueprint, Response, g, jsonify, request
from flask_login import current_user

from ..extensions import db
from ..models import Project
from ..repositories import api_queries
from ..services import contributions
from . import openapi, volunteer
from .errors import ApiError
from .query import MAX_LIMIT, MAX_SKIP, parse_list_query
from .schema import INT_RANGE, check_payload
from .resources import RESOURCES
from .resources._common import service_errors
from .resources.task import serialize as serialize_task

bp = Blueprint("api", __name__, url_prefix="/api")
JSON_TYPES = ("application/json",)


def caller():
    """The authenticated User (API key or session), or None."""
    return current_user._get_current_object() if current_user.is_authenticated else None


def viewer_of(user) -> api_queries.Viewer:
    return api_queries.Viewer(id=user.id if user else None, admin=bool(user and user.admin))


def json_body() -> dict:
    """The request's JSON object, or a 4xx saying what is wrong with it."""
    if request.mimetype not in JSON_TYPES and not request.mimetype.endswith("+json"):
        if request.mimetype.startswith("multipart/"):
            raise ApiError(415, "File uploads are not supported: host the file and send its URL (media_url) "
                                "in a JSON body (Content-Type: application/json)", "UnsupportedMediaType")
        raise ApiError(415, "Send a JSON body with Content-Type: application/json", "UnsupportedMediaType")
    raw = request.get_data(cache=True)  # raises 413 past MAX_CONTENT_LENGTH
    try:
        payload = json.loads(raw or b"null", parse_constant=_no_constant)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError(400, f"Malformed JSON: {exc}", "ValueError") from None
    except RecursionError:
        raise ApiError(400, "Malformed JSON: nested too deeply", "ValueError") from None
    if not isinstance(payload, dict):
        raise ApiError(400, "The body must be a JSON object", "ValueError")
    if _has_nul(payload):
        raise ApiError(400, "Strings must not contain NUL (\\u0000) characters", "ValueError")
    return payload


def _no_constant(name: str):
    # NaN and Infinity are not JSON, and PostgreSQL refuses them in JSON columns.
    raise ValueError(f"{name} is not a JSON value")


def _has_nul(value) -> bool:
    """PostgreSQL text and JSON cannot hold NUL characters: refuse them instead of failing with a 500."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def in_range(object_id: int) -> bool:
    return INT_RANGE[0] <= object_id <= INT_RANGE[1]


def load(resource, object_id: int):
    obj = api_queries.get(resource.model, object_id) if in_range(object_id) else None
    if obj is None:
        raise ApiError(404, f"No {resource.name} with id {object_id}", "NotFound")
    return obj


def refuse_read(user, resource) -> None:
    if user is None:
        raise ApiError(401, f"This {resource.name} is not public (send your API key)", "Unauthorized")
    raise ApiError(403, f"You cannot read this {resource.name}", "Forbidden")


def make_views(resource):
    def list_view():
        g.api_target = resource.name
        user = caller()
        query = parse_list_query(resource, request.args, user)
        objects = api_queries.list_objects(resource.model, query, viewer_of(user))
        return jsonify([resource.serialize(obj, user) for obj in objects])

    def get_view(oid: int):
        g.api_target = resource.name
        user = caller()
        obj = load(resource, oid)
        if not resource.can_read(obj, user):
            refuse_read(user, resource)
        return jsonify(resource.serialize(obj, user))

    def create_view():
        g.api_target = resource.name
        user = caller()
        values = check_payload(resource, json_body(), "create")
        obj = resource.create(user, values)
        return jsonify(resource.serialize(obj, user))

    def update_view(oid: int):
        g.api_target = resource.name
        user = caller()
        obj = load(resource, oid)
        resource.authorize_update(obj, user)
        values = check_payload(resource, json_body(), "update", current=resource.serialize(obj, user))
        if values:
            obj = resource.update(obj, user, values)
        return jsonify(resource.serialize(obj, user))

    def delete_view(oid: int):
        g.api_target = resource.name
        user = caller()
        resource.delete(load(resource, oid), user)
        return Response(status=204)

    return {"list": list_view, "get": get_view, "create": create_view, "update": update_view,
            "delete": delete_view}


def register_resources():
    for name, resource in RESOURCES.items():
        views = make_views(resource)
        methods = resource.methods
        collection = [m for m, action in (("GET", "list"), ("POST", "create")) if action in methods]
        item = [m for m, action in (("GET", "get"), ("PUT", "update"), ("DELETE", "delete")) if action in methods]

        def collection_view(_views=views):
            return _views["create"]() if request.method == "POST" else _views["list"]()

        def item_view(oid, _views=views):
            action = {"GET": "get", "HEAD": "get", "PUT": "update", "DELETE": "delete"}[request.method]
            return _views[action](oid)

        bp.add_url_rule(f"/{name}", endpoint=name, view_func=collection_view, methods=collection,
                        strict_slashes=False)
        bp.add_url_rule(f"/{name}/<int:oid>", endpoint=f"{name}_item", view_func=item_view, methods=item,
                        strict_slashes=False)


register_resources()


@bp.route("/project/<int:project_id>/newtask")
@bp.route("/<int:project_id>/newtask", endpoint="newtask_short")  # PYBOSSA's older path
def newtask(project_id: int):
    """The next task(s) for the caller: ?limit=N (max 100) for a batch, ?offset=N to skip some."""
    g.api_target = "newtask"
    user = caller()
    limit = _int_arg("limit", 1)
    offset = _int_arg("offset", 0)
    with service_errors():
        project = db.session.get(Project, project_id) if in_range(project_id) else None
        tasks = contributions.next_tasks(project, volunteer.current(user),
                                         limit=min(limit, MAX_LIMIT), offset=offset)
    data = [serialize_task(task, user) for task in tasks]
    if limit > 1:
        return jsonify(data)
    return jsonify(data[0] if data else {})


def _int_arg(name: str, default: int) -> int:
    text = request.args.get(name)
    if text is None or text == "":
        return default
    try:
        value = int(text)
    except ValueError:
        raise ApiError(400, f"{name} must be a whole number, got {text!r}", "ValueError") from None
    if value < 0:
        raise ApiError(400, f"{name} must be at least 0", "ValueError")
    return min(value, MAX_SKIP)


@bp.route("/openapi.json")
def openapi_document():
    g.api_target = "openapi"
    return jsonify(openapi.document(RESOURCES))

"""The OpenAPI 3 document of the API, generated from the resource definitions (schema.Resource), so it
cannot drift from what the views accept."""
from __future__ import annotations

from flask import current_app

from .query import DEFAULT_LIMIT, MAX_LIMIT
from .schema import TYPES, Resource

RATE_HEADERS = {
    "X-RateLimit-Limit": "Requests allowed per window",
    "X-RateLimit-Remaining": "Requests left in the current window",
    "X-RateLimit-Reset": "When the window ends (UTC epoch seconds)",
}
ERRORS = {
    400: "Malformed JSON, reserved keys in the payload, a missing attribute or a bad query parameter",
    401: "Anonymous caller where an API key is needed, or an invalid API key",
    403: "The caller may not do this (or the attribute cannot be changed through the API)",
    404: "No such object",
    409: "Conflict: a name taken, a duplicate answer, a completed task, a category in use",
    413: "Body too large",
    415: "Not JSON, unknown attribute, wrong type or bad filter value",
    429: "Rate limit exceeded",
}
OPERATION_ERRORS = {
    "list": (400, 401, 415, 429), "get": (401, 403, 404, 429),
    "create": (400, 401, 403, 404, 409, 413, 415, 429), "update": (400, 401, 403, 404, 409, 413, 415, 429),
    "delete": (401, 403, 404, 409, 429),
}


def _title(resource: Resource) -> str:
    return resource.name.capitalize()


def _property(field, read_only: bool) -> dict:
    schema = dict(TYPES[field.type])
    if field.nullable:
        schema["nullable"] = True
    if field.max_length:
        schema["maxLength"] = field.max_length
    if read_only:
        schema["readOnly"] = True
    if field.description:
        schema["description"] = field.description
    return schema


def _schemas(resource: Resource) -> dict:
    name = _title(resource)
    schemas = {name: {"type": "object", "description": resource.summary, "properties": {
        **{f.name: _property(f, not (f.create or f.update)) for f in resource.fields},
        "link": {"type": "string", "readOnly": True, "description": "HATEOAS link to this object"},
        "links": {"type": "array", "items": {"type": "string"}, "readOnly": True,
                  "description": "HATEOAS links to parent objects"},
    }}}
    if "create" in resource.methods:
        schemas[name + "Create"] = {
            "type": "object",
            "properties": {f.name: _property(f, False) for f in resource.fields if f.create},
            "required": [f.name for f in resource.fields if f.required and f.create],
        }
    if "update" in resource.methods:
        schemas[name + "Update"] = {
            "type": "object",
            "description": "Partial update. Attributes sent back unchanged (ids, links) are ignored.",
            "properties": {f.name: _property(f, False) for f in resource.fields if f.update},
        }
    return schemas


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _responses(ok: dict, action: str) -> dict:
    responses = {code: {"$ref": f"#/components/responses/E{code}"} for code in OPERATION_ERRORS[action]}
    responses.update(ok)
    return {str(k): v for k, v in responses.items()}


def _ok(description: str, schema: dict | None) -> dict:
    body = {"description": description, "headers": {h: {"$ref": f"#/components/headers/{h}"}
                                                    for h in RATE_HEADERS}}
    if schema is not None:
        body["content"] = {"application/json": {"schema": schema}}
    return body


def _list_parameters(resource: Resource) -> list[dict]:
    params = [
        {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 0, "maximum": MAX_LIMIT,
                                                     "default": DEFAULT_LIMIT},
         "description": f"At most {MAX_LIMIT} (larger values are lowered)"},
        {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0}},
        {"name": "last_id", "in": "query", "schema": {"type": "integer"},
         "description": "Keyset paging: objects with id > last_id, by id (offset and orderby are ignored)"},
        {"name": "orderby", "in": "query", "schema": {"type": "string", "default": "id", "enum": [
            f.name for f in resource.fields if f.filter]}},
        {"name": "desc", "in": "query", "schema": {"type": "boolean"}},
    ]
    if resource.context_rule:
        params.append({"name": "all", "in": "query", "schema": {"type": "integer", "enum": [0, 1]},
                       "description": "Authenticated callers get their own projects' objects unless all=1"})
    if resource.info_filter:
        params.append({"name": "info", "in": "query", "schema": {"type": "string"},
                       "description": "key::value|key2::value2 on top-level info keys"
                                      + (" (admins only)" if resource.info_filter == "admin" else "")})
    for f in resource.fields:
        if not f.filter:
            continue
        schema = {"type": "string", "description": "YYYY, YYYY-MM or YYYY-MM-DD"} if f.type == "datetime" \
            else dict(TYPES[f.type])
        params.append({"name": f.name, "in": "query", "schema": schema, "description": "Equality filter"
                       + (" (admins only)" if f.filter == "admin" else "")
                       + ("; [1,2,3] for a list" if f.type == "integer" else "")})
    return params


def _paths(resource: Resource) -> dict:
    name, title = resource.name, _title(resource)
    collection, item = {}, {}
    tag = [name]
    if "list" in resource.methods:
        collection["get"] = {"tags": tag, "summary": f"List {name}s", "operationId": f"list_{name}",
                             "parameters": _list_parameters(resource),
                             "responses": _responses({200: _ok(f"{title} objects", {"type": "array",
                                                                                    "items": _ref(title)})},
                                                     "list")}
    if "create" in resource.methods:
        collection["post"] = {"tags": tag, "summary": f"Create a {name}", "operationId": f"create_{name}",
                              "description": resource.body_note or resource.summary,
                              "requestBody": {"required": True, "content": {"application/json": {
                                  "schema": _ref(title + "Create")}}},
                              "responses": _responses({200: _ok(f"The new {name}", _ref(title))}, "create")}
    id_param = [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}]
    if "get" in resource.methods:
        item["get"] = {"tags": tag, "summary": f"Get a {name}", "operationId": f"get_{name}",
                       "responses": _responses({200: _ok(f"The {name}", _ref(title))}, "get")}
    if "update" in resource.methods:
        item["put"] = {"tags": tag, "summary": f"Update a {name} (partial)", "operationId": f"update_{name}",
                       "requestBody": {"required": True, "content": {"application/json": {
                           "schema": _ref(title + "Update")}}},
                       "responses": _responses({200: _ok(f"The updated {name}", _ref(title))}, "update")}
    if "delete" in resource.methods:
        item["delete"] = {"tags": tag, "summary": f"Delete a {name}", "operationId": f"delete_{name}",
                          "responses": _responses({204: _ok("Deleted (empty body)", None)}, "delete")}
    paths = {}
    if collection:
        paths[f"/api/{name}"] = collection
    if item:
        paths[f"/api/{name}/{{id}}"] = {"parameters": id_param, **item}
    return paths


def _newtask_path() -> dict:
    return {"/api/project/{project_id}/newtask": {"get": {
        "tags": ["taskrun"], "summary": "The next task for the caller (registered or anonymous)",
        "operationId": "newtask",
        "description": "Never a task the caller answered, never a completed task; highest priority_0 first. "
                       "An empty object when none is left; a list when limit > 1. Anonymous callers get a "
                       "cookie that identifies them (with their address) when they answer.",
        "parameters": [
            {"name": "project_id", "in": "path", "required": True, "schema": {"type": "integer"}},
            {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT,
                                                         "default": 1}},
            {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0, "default": 0}},
        ],
        "responses": _responses({200: _ok("A task, {} or a list of tasks", {"oneOf": [
            _ref("Task"), {"type": "object", "maxProperties": 0}, {"type": "array", "items": _ref("Task")}]})},
            "get"),
    }}}


def document(resources: dict[str, Resource]) -> dict:
    schemas = {"Error": {"type": "object", "required": ["action", "status", "status_code", "target",
                                                        "exception_cls", "exception_msg"],
                         "properties": {"action": {"type": "string", "example": "GET"},
                                        "status": {"type": "string", "enum": ["failed"]},
                                        "status_code": {"type": "integer"},
                                        "target": {"type": "string", "example": "project"},
                                        "exception_cls": {"type": "string", "example": "NotFound"},
                                        "exception_msg": {"type": "string"}}}}
    paths = {}
    for resource in resources.values():
        schemas.update(_schemas(resource))
        paths.update(_paths(resource))
    paths.update(_newtask_path())
    paths["/api/openapi.json"] = {"get": {"tags": ["meta"], "summary": "This document", "operationId": "openapi",
                                          "security": [], "responses": {"200": {"description": "OpenAPI 3"}}}}
    limit, window = current_app.config["API_RATE_LIMIT"], current_app.config["API_RATE_WINDOW"]
    return {
        "openapi": "3.0.3",
        "info": {"title": "pybossa-admin REST API", "version": current_app.extensions["pybossa_admin"]["version"],
                 "description": "PYBOSSA's API dialect (pybossa-client and pbs work unchanged). "
                                f"Rate limit: {limit} requests per {window} s per account or address; "
                                "every response carries X-RateLimit-* headers."},
        "servers": [{"url": "/"}],
        "tags": [{"name": r.name, "description": r.summary} for r in resources.values()],
        "security": [{}, {"api_key": []}, {"authorization": []}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "api_key": {"type": "apiKey", "in": "query", "name": "api_key"},
                "authorization": {"type": "apiKey", "in": "header", "name": "Authorization",
                                  "description": "The raw API key, or 'Bearer <key>'"},
            },
            "headers": {h: {"description": d, "schema": {"type": "integer"}} for h, d in RATE_HEADERS.items()},
            "responses": {f"E{code}": {"description": text, "content": {"application/json": {
                "schema": _ref("Error")}}} for code, text in ERRORS.items()},
        },
    }

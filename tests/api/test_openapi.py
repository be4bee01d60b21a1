"""The OpenAPI document: generated from the resource definitions, it matches the routes and the JSON."""
from __future__ import annotations

import re

from pybossa_admin.api.resources import RESOURCES

from .. import factories

FLASK_TO_OPENAPI = re.compile(r"<(?:int:)?(\w+)>")


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def test_document_is_served_and_self_consistent(app, api):
    response = api.get("/api/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    doc = response.get_json()
    assert doc["openapi"].startswith("3.") and doc["info"]["version"]
    for ref in set(_refs(doc)):
        _, section, name = ref.rsplit("/", 2)
        assert name in doc["components"][section], ref
    assert {"api_key", "authorization"} == set(doc["components"]["securitySchemes"])
    error = doc["components"]["schemas"]["Error"]
    assert set(error["required"]) == {"action", "status", "status_code", "target", "exception_cls",
                                      "exception_msg"}


def test_every_api_route_and_method_is_documented(app, api):
    doc = api.get("/api/openapi.json").get_json()
    documented = {(path, method.upper()) for path, item in doc["paths"].items() for method in item
                  if method != "parameters"}
    routed = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/") or rule.rule == "/api/<int:project_id>/newtask":
            continue  # the short newtask path is PYBOSSA's legacy alias of the documented one
        path = FLASK_TO_OPENAPI.sub(lambda m: "{id}" if m.group(1) == "oid" else "{%s}" % m.group(1), rule.rule)
        routed |= {(path, m) for m in rule.methods - {"HEAD", "OPTIONS"}}
    assert routed == documented


def test_schemas_describe_what_the_api_serves(app, api, admin_user):
    owner = factories.user(name="schemer")
    project = factories.project(owner=owner)
    task = factories.task(project)
    factories.task_run(task, user=owner)
    doc = api.get("/api/openapi.json").get_json()
    for name in ("project", "category", "task", "taskrun", "user"):
        rows = api.get(f"/api/{name}", key=owner.api_key, all=1).get_json()
        assert rows, name
        properties = set(doc["components"]["schemas"][name.capitalize()]["properties"])
        for row in rows:
            assert set(row) <= properties, (name, set(row) - properties)
    for resource in RESOURCES.values():
        schema = doc["components"]["schemas"][resource.name.capitalize()]
        for field in resource.fields:
            read_only = not (field.create or field.update)
            assert schema["properties"][field.name].get("readOnly", False) == read_only, (resource.name, field)
        if "create" in resource.methods:
            create = doc["components"]["schemas"][resource.name.capitalize() + "Create"]
            assert set(create["required"]) == {f.name for f in resource.fields if f.required}
        list_params = {p["name"] for p in doc["paths"][f"/api/{resource.name}"]["get"]["parameters"]}
        assert {f.name for f in resource.fields if f.filter} <= list_params
        assert {"limit", "offset", "last_id", "orderby", "desc"} <= list_params
    user_filters = {p["name"] for p in doc["paths"]["/api/user"]["get"]["parameters"]}
    assert "api_key" not in user_filters and "passwd_hash" not in user_filters

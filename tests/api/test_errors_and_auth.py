"""Error shape, status codes, API-key authentication, rate limit, and the API's operational log."""
from __future__ import annotations

from pybossa_admin.models import LogEvent

from .. import factories
from .conftest import assert_error


def test_error_shape_for_unknown_object_and_unknown_resource(api):
    body = assert_error(api.get("/api/project/999"), 404, "NotFound", target="project")
    assert body["action"] == "GET"
    assert_error(api.get("/api/nothing"), 404, "NotFound", target="nothing")
    assert_error(api.get("/api/project/abc"), 404, target="project")


def test_api_key_in_query_or_authorization_header(api, owner, project):
    draft = factories.project(owner=owner, published=False, short_name="draft1")
    # a draft is readable by its owner only, whichever way the key travels
    assert_error(api.get(f"/api/project/{draft.id}"), 401, "Unauthorized")
    assert api.get(f"/api/project/{draft.id}", key=owner.api_key).status_code == 200
    assert api.get(f"/api/project/{draft.id}", headers={"Authorization": owner.api_key}).status_code == 200
    assert api.get(f"/api/project/{draft.id}",
                   headers={"Authorization": f"Bearer {owner.api_key}"}).status_code == 200


def test_invalid_key_is_401_and_disabled_account_is_403(api, app, owner):
    body = assert_error(api.get("/api/project", key="not-a-key"), 401, "Unauthorized")
    assert "invalid api key" in body["exception_msg"].lower()
    assert_error(api.get("/api/project", headers={"Authorization": "nope"}), 401)
    owner.enabled = False
    from pybossa_admin.extensions import db
    db.session.commit()
    assert_error(api.get("/api/project", key=owner.api_key), 403, "Forbidden", contains="deactivated")
    assert_error(api.post("/api/project", {"name": "N", "short_name": "n"}, key=owner.api_key), 403)


def test_method_not_allowed(api, admin_user, volunteer):
    key = admin_user.api_key
    body = assert_error(api.post("/api/user", {"name": "x"}, key=key), 405, "MethodNotAllowed", target="user")
    assert body["action"] == "POST"
    response = api.delete(f"/api/user/{volunteer.id}", key=key)
    assert_error(response, 405)
    assert "PUT" in response.headers["Allow"]
    assert_error(api.put("/api/taskrun/1", {"info": {}}, key=key), 405)
    assert_error(api.post("/api/result", {"info": {}}, key=key), 405)
    assert_error(api.put("/api/project", {"name": "x"}, key=key), 405)


def test_bad_bodies(app, make_app, api, owner):
    key = owner.api_key
    assert_error(api.call("POST", "/api/project", key=key, data="{nope", content_type="application/json"), 400,
                 contains="malformed json")
    assert_error(api.call("POST", "/api/project", key=key, data="[1, 2]", content_type="application/json"), 400,
                 contains="json object")
    assert_error(api.call("POST", "/api/project", key=key, data="name=x", content_type="text/plain"), 415,
                 contains="application/json")
    assert_error(api.call("POST", "/api/project", key=key, data=b"\xff\xfe", content_type="application/json"),
                 400)
    assert_error(api.post("/api/project", {"name": "N", "short_name": "n", "colour": "red"}, key=key), 415,
                 "AttributeError", contains="colour")
    assert_error(api.post("/api/project", {"name": 5, "short_name": "n"}, key=key), 415, "TypeError",
                 contains="name: expected string")
    assert_error(api.post("/api/project", {"name": "N" * 300, "short_name": "n"}, key=key), 415, "ValueError")
    assert_error(api.post("/api/project", {"name": "N", "short_name": "n", "id": 5}, key=key), 400,
                 "BadRequest", contains="reserved keys in payload: id")
    assert_error(api.post("/api/project", {"short_name": "n"}, key=key), 400, contains="name")


def test_oversized_body_is_413(make_app):
    from .conftest import Api
    small = make_app(MAX_CONTENT_LENGTH=2048)
    with small.app_context():
        owner = factories.user(name="big")
        response = Api(small).post("/api/project", {"name": "N", "short_name": "n", "long_description": "x" * 5000},
                                   key=owner.api_key)
        assert_error(response, 413, "RequestEntityTooLarge")


def test_rate_limit_headers_and_429(make_app):
    from .conftest import Api
    limited = make_app(API_RATE_LIMIT=3, API_RATE_WINDOW=60)
    with limited.app_context():
        user = factories.user(name="hasty")
        api = Api(limited)
        first = api.get("/api/project", key=user.api_key)
        assert first.headers["X-RateLimit-Limit"] == "3"
        assert first.headers["X-RateLimit-Remaining"] == "2"
        assert int(first.headers["X-RateLimit-Reset"]) > 0
        head = api.head("/api/task", key=user.api_key)  # pbs reads the budget with HEAD; it is not spent
        assert head.status_code == 200 and head.headers["X-RateLimit-Remaining"] == "2"
        api.get("/api/project", key=user.api_key)
        api.get("/api/project", key=user.api_key)
        refused = api.get("/api/project", key=user.api_key)
        assert_error(refused, 429, "TooManyRequests")
        assert refused.headers["X-RateLimit-Remaining"] == "0"
        assert int(refused.headers["Retry-After"]) >= 1
        assert_error(api.get("/api/project", key=user.api_key), 429)
        # another caller (anonymous: by address) has its own budget
        assert api.get("/api/project").status_code == 200
        # only the first refusal of the window is logged
        logged = [e for e in LogEvent.query.filter_by(channel="api").all() if e.data.get("status") == 429]
        assert len(logged) == 1


def test_errors_are_logged_without_secrets(api, owner):
    api.get("/api/project/404404", key=owner.api_key)
    api.get("/api/project", key="wrong-secret-key")
    events = LogEvent.query.filter_by(channel="api", event="api.error").order_by(LogEvent.id).all()
    assert [e.data["status"] for e in events] == [404, 401]
    assert events[0].data == {"status": 404, "endpoint": "/api/project/404404", "method": "GET"}
    assert events[0].level == "warning" and events[0].user_id == owner.id
    for event in events:
        text = repr(event.as_dict())
        assert owner.api_key not in text and "wrong-secret-key" not in text


def test_unexpected_error_is_a_500_in_api_shape(api, owner, monkeypatch):
    from pybossa_admin.repositories import api_queries

    def boom(*args, **kwargs):
        raise RuntimeError("kaboom")
    monkeypatch.setattr(api_queries, "get", boom)
    body = assert_error(api.get("/api/project/1", key=owner.api_key), 500, "InternalServerError")
    assert "kaboom" not in body["exception_msg"]
    event = LogEvent.query.filter_by(channel="api").one()
    assert event.level == "error" and event.data["status"] == 500


def test_session_user_is_authenticated_too(app, user_client, user):
    # the contribute page calls the API with the browser session (no key, no CSRF token: JSON only)
    response = user_client.raw.get("/api/user/%d" % user.id)
    assert response.get_json()["api_key"] == user.api_key


def test_other_users_see_only_public_user_fields(api, volunteer, owner):
    data = api.get("/api/user", key=owner.api_key).get_json()
    assert {u["name"] for u in data} >= {"vol", "root"}
    others = [u for u in data if u["name"] != "owner"]
    assert others and all(set(u) == {"id", "name", "locale", "link"} for u in others)


def test_inputs_the_database_would_choke_on_are_4xx(api, owner, project):
    key = owner.api_key
    raw = {"key": key, "content_type": "application/json"}
    assert_error(api.call("POST", "/api/project", data="[" * 100000, **raw), 400, contains="nested")
    assert_error(api.call("POST", "/api/project", data='{"name": NaN, "short_name": "n"}', **raw), 400)
    assert_error(api.post("/api/project", {"name": "N\u0000", "short_name": "n"}, key=key), 400, contains="NUL")
    assert_error(api.post("/api/project", {"name": "N", "short_name": "n", "info": {"k\u0000": 1}}, key=key),
                 400, contains="NUL")
    assert_error(api.post("/api/task", {"project_id": 2**40, "info": {}}, key=key), 415, "TypeError")
    assert_error(api.get("/api/task", project_id=str(2**40)), 415, "ValueError")
    assert_error(api.get("/api/task", priority_0="nan"), 415, "ValueError")
    assert_error(api.get("/api/project", name="a\u0000b"), 400, contains="NUL")
    assert_error(api.get("/api/project", key="bad\u0000key"), 401)
    assert_error(api.get(f"/api/project/{2**70}"), 404)
    assert_error(api.get(f"/api/project/{2**70}/newtask"), 404)
    assert api.get("/api/task", offset=str(2**80)).get_json() == []
    assert api.get(f"/api/project/{project.id}/newtask", offset=str(2**80)).get_json() == {}

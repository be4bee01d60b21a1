"""API test helpers: a raw client (no CSRF, like pbclient) that authenticates with API keys."""
from __future__ import annotations

import pytest

from .. import factories


class Api:
    def __init__(self, app):
        self.app = app
        self.client = app.test_client()

    def call(self, method, path, key=None, json=None, headers=None, data=None, content_type=None, **params):
        if key is not None:
            params["api_key"] = key
        kwargs = {"method": method, "query_string": params, "headers": headers or {}}
        if json is not None:
            kwargs["json"] = json
        if data is not None:
            kwargs["data"] = data
        if content_type is not None:
            kwargs["content_type"] = content_type
        return self.client.open(path, **kwargs)

    def get(self, path, key=None, **params):
        return self.call("GET", path, key=key, **params)

    def head(self, path, key=None, **params):
        return self.call("HEAD", path, key=key, **params)

    def post(self, path, json=None, key=None, **kwargs):
        return self.call("POST", path, key=key, json=json, **kwargs)

    def put(self, path, json=None, key=None, **kwargs):
        return self.call("PUT", path, key=key, json=json, **kwargs)

    def delete(self, path, key=None, **kwargs):
        return self.call("DELETE", path, key=key, **kwargs)


def assert_error(response, status, exception_cls=None, target=None, contains=None):
    """The response is PYBOSSA's error JSON with this status."""
    assert response.status_code == status, (response.status_code, response.get_data(as_text=True)[:400])
    body = response.get_json()
    assert body["status"] == "failed" and body["status_code"] == status
    assert set(body) == {"action", "status", "status_code", "target", "exception_cls", "exception_msg"}
    if exception_cls:
        assert body["exception_cls"] == exception_cls, body
    if target:
        assert body["target"] == target, body
    if contains:
        assert contains.lower() in body["exception_msg"].lower(), body
    return body


@pytest.fixture
def api(app):
    return Api(app)


@pytest.fixture
def owner(app, admin_user):
    return factories.user(name="owner")


@pytest.fixture
def volunteer(app, admin_user):
    return factories.user(name="vol")


@pytest.fixture
def project(owner):
    return factories.project(owner=owner, name="Birds", short_name="birds")

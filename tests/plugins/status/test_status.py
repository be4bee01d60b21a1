"""The status page: database, Redis, queues, versions, packages, environment, configuration, sessions."""
import importlib.metadata
import os

import pytest
from sqlalchemy import select

from pybossa_admin.extensions import db
from pybossa_admin.models import LogEvent, SignInSession

from ...conftest import BACKEND, REDIS_URL, Client

PAGE = "/admin/status/"


def _data(client, url=PAGE):
    response = client.get_json(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_json()


def test_anonymous_and_non_admin_are_refused(client, user_client):
    assert client.get(PAGE).status_code == 302
    assert user_client.get(PAGE).status_code == 403
    assert user_client.get_json(PAGE).status_code == 403
    assert user_client.post("/admin/status/sessions/1/revoke").status_code == 403


def test_database_section(admin_client):
    database = _data(admin_client)["database"]
    assert database["backend"] == BACKEND and database["reachable"] is True
    assert database["version"] and database["size_bytes"] > 0 and database["size"]
    html = admin_client.get(PAGE).get_data(as_text=True)
    assert 'id="status-database"' in html and database["version"] in html


def test_redis_queues_and_workers(app, admin_client):
    data = _data(admin_client)
    assert [q["name"] for q in data["queues"]] == ["high", "medium", "low", "maintenance"]
    assert all(q["queued"] == 0 for q in data["queues"])
    if REDIS_URL:
        assert data["redis"]["mode"] == "server" and data["redis"]["reachable"] is True
        assert data["redis"]["used_memory"] and data["redis"]["version"]
        from rq import Worker

        from pybossa_admin.jobs import get_queue, get_redis
        get_queue("low").enqueue("os.getcwd")
        worker = Worker([get_queue("low")], connection=get_redis(), name="status-test-worker")
        worker.register_birth()
        try:
            data = _data(admin_client)
            assert next(q for q in data["queues"] if q["name"] == "low")["queued"] == 1
            (shown,) = [w for w in data["workers"] if w["name"] == "status-test-worker"]
            assert shown["queues"] == ["low"]
        finally:
            worker.register_death()
    else:
        assert data["redis"]["mode"] == "embedded" and "embedded" in data["redis"]["note"].lower()
        assert data["workers"] == []
        assert "the embedded queue runs jobs inline" in admin_client.get(PAGE).get_data(as_text=True)


def test_embedded_limits_are_stated_only_on_the_embedded_default(admin_client):
    limits = _data(admin_client)["embedded_limits"]
    html = admin_client.get(PAGE).get_data(as_text=True)
    if REDIS_URL:
        assert not any("inline" in line for line in limits)
    else:
        assert any("run inline" in line for line in limits)
        assert any("No retries" in line for line in limits)
        assert any("No delayed or periodic jobs" in line for line in limits)
        assert any("One process only" in line for line in limits)
        assert 'id="embedded-limits"' in html
    assert any("SQLite" in line for line in limits) is (BACKEND == "sqlite")


def test_versions_and_plugins(app, admin_client):
    data = _data(admin_client)
    assert data["versions"]["platform"] == app.extensions["pybossa_admin"]["version"]
    assert {"name": "Flask", "version": importlib.metadata.version("Flask")} in data["versions"]["packages"]
    plugins = {p["name"]: p for p in data["plugins"]}
    assert plugins["status"] == {"name": "status", "version": "1.0.0", "status": "loaded"}


def test_packages_are_searchable(admin_client):
    everything = _data(admin_client)["packages"]
    assert len(everything) > 20
    flask = _data(admin_client, PAGE + "?q=FLASK")["packages"]
    names = {p["name"] for p in flask}
    assert "Flask" in names and all("flask" in n.lower() for n in names)
    row = next(p for p in flask if p["name"] == "Flask")
    assert row["version"] == importlib.metadata.version("Flask") and os.path.isdir(row["location"])
    assert _data(admin_client, PAGE + "?q=no-such-package-xyz")["packages"] == []
    html = admin_client.get(PAGE + "?q=flask-admin").get_data(as_text=True)
    assert "Flask-Admin" in html and importlib.metadata.version("Flask-Admin") in html


def test_environment_is_an_allowlist_with_secrets_masked(make_app, admin_user, monkeypatch):
    monkeypatch.setenv("PYBOSSA_ADMIN_FOO_SECRET", "xyz123-env-secret")
    monkeypatch.setenv("PYBOSSA_ADMIN_SERVER_NAME_FOR_LINKS", "admin.example.org")
    monkeypatch.setenv("UNLISTED_THING", "not-for-your-eyes-42")
    monkeypatch.setenv("LANG", "C.UTF-8")
    app = make_app()
    with app.app_context():
        c = Client(app)
        c.signin(admin_user)
        env = {e["name"]: e["value"] for e in _data(c)["environment"]}
        assert env["PYBOSSA_ADMIN_FOO_SECRET"] == "***"
        assert env["PYBOSSA_ADMIN_SERVER_NAME_FOR_LINKS"] == "admin.example.org"
        assert env["LANG"] == "C.UTF-8"
        assert "UNLISTED_THING" not in env
        body = c.get(PAGE).get_data(as_text=True) + c.get_json(PAGE).get_data(as_text=True)
        assert "xyz123-env-secret" not in body and "not-for-your-eyes-42" not in body


def test_configuration_is_masked(make_app, admin_user):
    app = make_app(SECRET_KEY="planted-secret-key-0123456789", FOO_API_TOKEN="tok-planted-98765",
                   SERVER_NAME_FOR_LINKS="https://admin.example.org")
    with app.app_context():
        c = Client(app)
        c.signin(admin_user)
        config = {row["name"]: row for row in _data(c)["configuration"]}
        assert config["SECRET_KEY"]["value"] == "***" and config["SECRET_KEY"]["kind"] == "core"
        assert config["FOO_API_TOKEN"]["value"] == "***" and config["FOO_API_TOKEN"]["source"] == "override"
        assert config["SERVER_NAME_FOR_LINKS"]["value"] == "https://admin.example.org"
        assert config["ACCOUNTS_PER_PAGE"]["kind"] == "plugin accounts"
        assert "***" in config["DATABASE_URL"]["value"]
        body = c.get(PAGE).get_data(as_text=True) + c.get_json(PAGE).get_data(as_text=True)
        assert "planted-secret-key-0123456789" not in body and "tok-planted-98765" not in body


def test_sessions_are_listed_and_revocable(app, admin_client, user, client_for):
    joe = client_for()
    joe.signin(user)
    assert joe.get("/admin/").status_code == 403
    sessions = _data(admin_client)["sessions"]
    joe_session = next(s for s in sessions if s["user_name"] == "joe")
    assert {"ip", "user_agent", "created", "last_seen", "expires"} <= set(joe_session)
    assert "token_hash" not in joe_session
    assert f'id="session-{joe_session["id"]}"' in admin_client.get(PAGE).get_data(as_text=True)

    assert admin_client.get(f"/admin/status/sessions/{joe_session['id']}/revoke").status_code == 405
    assert admin_client.post(f"/admin/status/sessions/{joe_session['id']}/revoke", csrf=False).status_code == 400
    response = admin_client.post(f"/admin/status/sessions/{joe_session['id']}/revoke")
    assert response.status_code == 302
    assert joe.get("/admin/").status_code == 302  # signed out
    assert db.session.get(SignInSession, joe_session["id"]).revoked_at is not None
    event = db.session.scalar(select(LogEvent).where(LogEvent.event == "session.revoked"))
    assert event.data["target_user_id"] == user.id
    assert all(s["id"] != joe_session["id"] for s in _data(admin_client)["sessions"])
    again = admin_client.post(f"/admin/status/sessions/{joe_session['id']}/revoke?response_format=json")
    assert "already ended" in again.get_json()["flash"]
    assert admin_client.post("/admin/status/sessions/999999/revoke").status_code == 404


@pytest.mark.parametrize("value,expected", [
    ("postgresql://admin:hunter2pw@db.example:5432/pb", "postgresql://admin:***@db.example:5432/pb"),
    ("redis://:redispass99@cache:6379/0", "redis://:***@cache:6379/0"),
    ("sqlite:////var/lib/pybossa.db", "sqlite:////var/lib/pybossa.db"),
])
def test_passwords_inside_urls_are_masked(value, expected):
    from pybossa_admin.services import masking
    assert masking.mask_url(value) == expected


def test_index_cards_of_the_operations_plugins(admin_client, user, client_for):
    from pybossa_admin.services import organizations
    organizations.create("Card Org", None)
    client_for().signin(user)
    cards = {c["plugin"]: c for c in admin_client.get_json("/admin/").get_json()["cards"]
             if c["plugin"] in ("accounts", "organizations", "plugins", "status")}
    assert cards["accounts"]["count"] == 2 and cards["accounts"]["endpoint"] == "accounts.index"
    assert cards["organizations"]["count"] == 1
    assert cards["plugins"]["count"] == 0  # plugins that failed to load
    assert cards["status"]["count"] == 2   # open sign-in sessions: root's and joe's

"""Accounts: register, sign in and out, password hashing, API keys, disabled users, last_login,
sign-in rate limits and CSRF on the account forms."""
from __future__ import annotations

import re

import pytest
from flask import g
from flask_login import current_user
from sqlalchemy import select

from pybossa_admin.extensions import db
from pybossa_admin.models import LogEvent, SignInSession, User
from pybossa_admin.services import users as user_service

from .. import factories

PASSWORD = "a long enough password"


def _register(client, name, password=PASSWORD, **extra):
    data = {"name": name, "fullname": name.title(), "email_addr": f"{name}@example.org", "password": password}
    data.update(extra)
    return client.post("/account/register", data)


def _user(name) -> User:
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.name == name))


def test_register_hashes_the_password_and_gives_an_api_key(client):
    response = _register(client, "ada")
    assert response.status_code == 302
    ada = _user("ada")
    assert ada.passwd_hash and PASSWORD not in ada.passwd_hash
    assert ada.passwd_hash.split(":")[0] in ("scrypt", "pbkdf2")
    assert ada.check_password(PASSWORD) and not ada.check_password(PASSWORD + "x")
    assert re.fullmatch(r"[0-9a-f]{40}", ada.api_key)
    _register(client_for_new(client), "bob")
    assert _user("bob").api_key != ada.api_key
    assert "passwd_hash" not in ada.as_dict() and "api_key" not in ada.as_dict()


def client_for_new(client):
    from ..conftest import Client
    return Client(client.app)


def test_first_registered_user_is_admin_and_the_second_is_not(client):
    response = _register(client, "first")
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/")
    assert client.get("/admin/").status_code == 200  # signed in, and admin
    second = client_for_new(client)
    assert _register(second, "second").status_code == 302
    assert _user("first").admin is True
    assert _user("second").admin is False
    assert second.get("/admin/").status_code == 403


@pytest.mark.parametrize("field, value, message", [
    ("name", "joe", "That user name is taken."),
    ("email_addr", "JOE@example.org", "That e-mail address is already registered."),
    ("password", "short", "Passwords need at least 8 characters."),
    ("name", "no spaces please", "User name:"),
])
def test_register_refuses_bad_input_with_a_message(client, user, field, value, message):
    data = {"name": "newbie", "fullname": "New", "email_addr": "newbie@example.org", "password": PASSWORD}
    data[field] = value
    response = client.post("/account/register?response_format=json", data)
    assert response.status_code == 400
    errors = response.get_json()["form"]["errors"]
    assert any(text.startswith(message) for text in errors[field]), errors
    assert _user("newbie") is None


def test_signin_records_last_login_and_a_session(client, user):
    assert user.last_login is None
    response = client.post("/account/signin", {"name": "joe", "password": factories.PASSWORD})
    assert response.status_code == 302
    joe = _user("joe")
    assert joe.last_login is not None
    rows = db.session.scalars(select(SignInSession).where(SignInSession.user_id == joe.id)).all()
    assert len(rows) == 1 and rows[0].revoked_at is None
    assert client.get_json("/account/signin").status_code == 200


def test_signin_by_email_and_json(client, user):
    response = client.post("/account/signin?response_format=json",
                           {"name": "JOE@example.org", "password": factories.PASSWORD})
    assert response.status_code == 200
    assert response.get_json()["next"] == "/"


def test_signin_refuses_offsite_next(client, user):
    response = client.post("/account/signin", {"name": "joe", "password": factories.PASSWORD,
                                               "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"


def test_wrong_password_is_refused(client, user):
    response = client.post("/account/signin?response_format=json", {"name": "joe", "password": "nope nope"})
    assert response.status_code == 401
    assert response.get_json()["flash"] == "Wrong user name or password."
    assert _user("joe").last_login is None


def test_disabled_user_cannot_sign_in(client, admin_user, user):
    user_service.set_enabled(user, False, by=admin_user)
    response = client.post("/account/signin?response_format=json",
                           {"name": "joe", "password": factories.PASSWORD})
    assert response.status_code == 403
    assert "deactivated" in response.get_json()["flash"]
    assert client.get("/admin/").status_code == 302  # still anonymous


def test_disabling_ends_open_sessions(user_client, admin_user, user):
    assert user_client.get("/admin/").status_code == 403  # signed in
    user_service.set_enabled(user, False, by=admin_user)
    assert user_client.get("/admin/").status_code == 302  # the session is gone


def _api_user(app, url, **kwargs):
    """Who the request loader finds for url (g cleared: the test's app context is reused)."""
    g.__dict__.clear()
    with app.test_request_context(url, **kwargs):
        return (current_user.id if current_user.is_authenticated else None), g.get("api_auth_error")


def test_api_key_authenticates_only_the_api_and_not_when_disabled(app, admin_user, user):
    assert _api_user(app, f"/api/project?api_key={user.api_key}") == (user.id, None)
    assert _api_user(app, "/api/project", headers={"Authorization": f"Bearer {user.api_key}"}) == (user.id, None)
    assert _api_user(app, f"/admin/?api_key={user.api_key}")[0] is None  # admin pages need a session
    assert _api_user(app, "/api/project", headers={"Authorization": "Bearer wrong"}) == (None, (401, "Invalid API key"))
    user_service.set_enabled(user, False, by=admin_user)
    assert _api_user(app, f"/api/project?api_key={user.api_key}") == (None, (403, "This account is deactivated"))


def test_signout_is_post_only(user_client):
    assert user_client.get("/account/signout").status_code == 405
    assert user_client.get("/admin/").status_code == 403  # still signed in
    assert user_client.post("/account/signout", csrf=False).status_code == 400
    assert user_client.get("/admin/").status_code == 403
    response = user_client.post("/account/signout")
    assert response.status_code == 302
    assert user_client.get("/admin/").status_code == 302
    rows = db.session.scalars(select(SignInSession)).all()
    assert rows and all(row.revoked_at is not None for row in rows)


def test_signin_rate_limit_per_account(client, user):
    for _ in range(5):  # SIGNIN_MAX_FAILURES_PER_ACCOUNT
        assert client.post("/account/signin", {"name": "joe", "password": "wrong guess"}).status_code == 401
    response = client.post("/account/signin?response_format=json",
                           {"name": "joe", "password": factories.PASSWORD})
    assert response.status_code == 429  # even the right password waits
    assert "Too many failed sign-in attempts" in response.get_json()["flash"]
    html = client.post("/account/signin", {"name": "JOE", "password": factories.PASSWORD})
    assert html.status_code == 429 and "Too many failed sign-in attempts" in html.get_data(as_text=True)
    # Another account from the same client is not locked by joe's failures.
    other = factories.user(name="ann")
    assert client.post("/account/signin", {"name": other.name, "password": factories.PASSWORD}).status_code == 302
    events = db.session.scalars(select(LogEvent.event).where(LogEvent.channel == "auth")).all()
    assert events.count("signin.failure") == 5 and "signin.throttled" in events


def test_signin_rate_limit_per_ip(make_app):
    from ..conftest import Client
    app = make_app(SIGNIN_MAX_FAILURES_PER_IP=3)
    with app.app_context():
        target = factories.user(name="target")
        client = Client(app)
        for name in ("a1", "a2", "a3"):  # three different accounts, one IP
            assert client.post("/account/signin", {"name": name, "password": "wrong"}).status_code == 401
        response = client.post("/account/signin", {"name": target.name, "password": factories.PASSWORD})
        assert response.status_code == 429
        other_ip = client.raw.post("/account/signin", data={"name": target.name, "password": factories.PASSWORD,
                                                            "csrf_token": client.csrf_token()},
                                   environ_base={"REMOTE_ADDR": "127.0.0.9"})
        assert other_ip.status_code == 302
        db.session.remove()


@pytest.mark.parametrize("path", ["/account/signin", "/account/register", "/account/signout",
                                  "/account/bootstrap", "/account/reset-password"])
def test_account_forms_need_csrf(client, path):
    response = client.post(path, {"name": "x", "password": "y" * 12, "email_addr": "x@example.org",
                                  "token": "t"}, csrf=False)
    assert response.status_code == 400
    assert "security token" in response.get_data(as_text=True)


def test_account_pages_render_a_csrf_token(client):
    for path in ("/account/signin", "/account/register"):
        page = client.get(path).get_data(as_text=True)
        assert 'name="csrf_token"' in page, path

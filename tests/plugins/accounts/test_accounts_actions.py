"""Per-user actions: activate/deactivate, roles, reset link, sign out everywhere; the detail page."""
import logging
import re

import pytest
from flask import g, jsonify
from flask_login import current_user
from sqlalchemy import select

from pybossa_admin.extensions import db
from pybossa_admin.models import AuditLog, LogEvent, OneTimeToken, SignInSession, User

from ... import factories


def url(user, action=""):
    return f"/admin/accounts/{user.id}" + (f"/{action}" if action else "")


def events(name):
    return list(db.session.scalars(select(LogEvent).where(LogEvent.event == name)))


def signed_in(client) -> bool:
    """True while the client's session is alive: a signed-in non-admin gets 403 on /admin/, anonymous 302."""
    return client.get("/admin/").status_code != 302


@pytest.fixture
def api_probe_app(make_app):
    """An app with a tiny /api route that answers who the API key belongs to (the real API may not exist)."""
    app = make_app()

    @app.route("/api/_whoami")
    def whoami():
        if current_user.is_authenticated:
            return jsonify(name=current_user.name)
        status, message = getattr(g, "api_auth_error", (401, "no key"))
        return jsonify(error=message), status
    return app


def test_detail_page_html_and_json(admin_client, user):
    html = admin_client.get(url(user)).get_data(as_text=True)
    assert "joe@example.org" in html and 'id="deactivate"' in html and 'id="generate-reset-link"' in html
    data = admin_client.get_json(url(user)).get_json()
    assert data["user"]["name"] == "joe" and data["task_runs"] == 0
    assert "passwd_hash" not in data["user"] and "api_key" not in data["user"]
    assert "reset-link" in data["actions"]
    assert admin_client.get("/admin/accounts/999999").status_code == 404


def test_actions_are_post_only_and_need_csrf(admin_client, user):
    assert admin_client.get(url(user, "deactivate")).status_code == 405
    assert admin_client.post(url(user, "deactivate"), csrf=False).status_code == 400
    db.session.refresh(user)
    assert user.enabled is True
    assert admin_client.post(url(user, "explode")).status_code == 404
    assert admin_client.post("/admin/accounts/999999/deactivate").status_code == 404


def test_deactivate_ends_sessions_refuses_sign_in_and_api(api_probe_app):
    from tests.conftest import Client
    with api_probe_app.app_context():
        admin = factories.user(name="root", admin=True)
        joe = factories.user(name="joe")
        admin_client, joe_client = Client(api_probe_app), Client(api_probe_app)
        admin_client.signin(admin)
        joe_client.signin(joe)
        assert signed_in(joe_client)
        probe = f"/api/_whoami?api_key={joe.api_key}"
        assert joe_client.raw.get(probe).get_json() == {"name": "joe"}

        response = admin_client.post(url(joe, "deactivate"))
        assert response.status_code == 302 and response.headers["Location"].endswith(url(joe))
        db.session.expire_all()
        assert db.session.get(User, joe.id).enabled is False
        # Open sessions end at once: the very next request is anonymous.
        assert not signed_in(joe_client)
        assert db.session.scalar(select(SignInSession).where(SignInSession.user_id == joe.id,
                                                             SignInSession.revoked_at.is_(None))) is None
        # Sign-in refused, with a message.
        refused = Client(api_probe_app).post("/account/signin", {"name": "joe", "password": factories.PASSWORD})
        assert refused.status_code == 403 and "deactivated" in refused.get_data(as_text=True)
        # API refused with the same key that worked a moment ago.
        api = Client(api_probe_app).raw.get(probe)
        assert api.status_code == 403 and "deactivated" in api.get_data(as_text=True)
        assert len(events("user.deactivated")) == 1
        assert "root deactivated joe" in events("user.deactivated")[0].message

        assert admin_client.post(url(joe, "activate")).status_code == 302
        assert len(events("user.activated")) == 1
        Client(api_probe_app).signin(joe)
        assert Client(api_probe_app).raw.get(probe).get_json() == {"name": "joe"}


def test_json_callers_get_next_and_flash(admin_client, user):
    response = admin_client.post(url(user, "grant-pro") + "?response_format=json")
    assert response.status_code == 200
    body = response.get_json()
    assert body["next"] == url(user) and "pro" in body["flash"]
    db.session.refresh(user)
    assert user.pro is True


def test_roles(admin_client, user):
    for action, field, value in [("grant-admin", "admin", True), ("revoke-admin", "admin", False),
                                 ("grant-pro", "pro", True), ("revoke-pro", "pro", False)]:
        assert admin_client.post(url(user, action)).status_code == 302
        db.session.refresh(user)
        assert getattr(user, field) is value
    names = {e.event for e in db.session.scalars(select(LogEvent).where(LogEvent.event.like("user.%")))}
    assert {"user.admin_granted", "user.admin_revoked", "user.pro_granted", "user.pro_revoked"} <= names


def test_self_and_last_admin_guards(admin_client, admin_user):
    for action, needle in [("revoke-admin", "own admin role"), ("deactivate", "own account")]:
        response = admin_client.post(url(admin_user, action))
        assert response.status_code == 400
        assert needle in response.get_data(as_text=True)
        json_response = admin_client.post(url(admin_user, action) + "?response_format=json")
        assert json_response.status_code == 400 and needle in json_response.get_json()["flash"]
    db.session.refresh(admin_user)
    assert admin_user.admin and admin_user.enabled


def test_an_admin_can_demote_another_while_one_admin_remains(app, admin_client, admin_user):
    other = factories.user(name="second", admin=True)
    other_client = type(admin_client)(app)
    other_client.signin(other)
    assert other_client.post(url(admin_user, "revoke-admin")).status_code == 302   # two admins: fine
    response = admin_client.post(url(other, "revoke-admin"))
    assert response.status_code == 403  # root is no longer an admin at all
    db.session.refresh(other)
    db.session.refresh(admin_user)
    assert other.admin and not admin_user.admin


def test_sign_out_everywhere(app, admin_client, user):
    first, second = type(admin_client)(app), type(admin_client)(app)
    first.signin(user)
    second.signin(user)
    assert signed_in(first) and signed_in(second)
    response = admin_client.post(url(user, "sign-out-everywhere") + "?response_format=json")
    assert "2 sessions ended" in response.get_json()["flash"]
    assert not signed_in(first) and not signed_in(second)
    assert signed_in(admin_client)
    assert events("user.signed_out_everywhere")[0].data["sessions"] == 2


def test_reset_link_is_shown_once_works_once_and_is_never_stored_or_logged(app, admin_client, user, client_for,
                                                                          caplog):
    caplog.set_level(logging.DEBUG)
    response = admin_client.post(url(user, "reset-link"))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    match = re.search(r'id="reset-link" value="([^"]+)"', html)
    assert match, html[-2000:]
    link = match.group(1)
    assert "/account/reset-password#" in link
    token = link.split("#", 1)[1]
    assert len(token) >= 32
    # Never in a cookie, the operational log, the audit log, or the process log.
    assert token not in " ".join(response.headers.getlist("Set-Cookie"))
    for row in db.session.scalars(select(LogEvent)):
        assert token not in repr(row.as_dict())
    for row in db.session.scalars(select(AuditLog)):
        assert token not in repr(row.as_dict())
    stored = db.session.scalar(select(OneTimeToken).where(OneTimeToken.user_id == user.id))
    assert stored.kind == "reset" and token not in stored.token_hash
    assert (stored.expires - stored.created).total_seconds() == pytest.approx(3600, abs=5)
    assert events("password_reset.issued")
    # Shown once: the page after does not carry it.
    assert token not in admin_client.get(url(user)).get_data(as_text=True)

    visitor = client_for()
    assert visitor.get("/account/reset-password").status_code == 200
    done = visitor.post("/account/reset-password", {"token": token, "password": "a brand new password"})
    assert done.status_code == 302
    visitor.signin(user, password="a brand new password")
    assert events("password_reset.used")
    again = client_for().post("/account/reset-password", {"token": token, "password": "another password 2"})
    assert again.status_code == 403
    for row in db.session.scalars(select(LogEvent)):
        assert token not in repr(row.as_dict())
    assert token not in caplog.text


def test_reset_link_in_json(admin_client, user):
    response = admin_client.post(url(user, "reset-link") + "?response_format=json")
    assert response.status_code == 200
    body = response.get_json()
    assert "#" in body["reset_link"] and "shown only once" in body["flash"]


def test_no_reset_link_for_a_deactivated_user(admin_client, user):
    admin_client.post(url(user, "deactivate"))
    response = admin_client.post(url(user, "reset-link"))
    assert response.status_code == 400
    assert db.session.scalar(select(OneTimeToken).where(OneTimeToken.user_id == user.id)) is None

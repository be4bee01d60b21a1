"""Better than PYBOSSA on purpose: no self-granted roles, no leaked secrets, featured for admins only."""
from __future__ import annotations

import json

import pytest

from pybossa_admin.extensions import db
from pybossa_admin.models import User

from .. import factories
from .conftest import assert_error

ESCALATIONS = [
    {"admin": True}, {"pro": True}, {"enabled": False}, {"restrict": True}, {"api_key": "f" * 40},
    {"passwd_hash": "pbkdf2:sha256:1$x$y"}, {"password": "new password!"}, {"name": "root2"},
    {"email_addr": "me@evil.example"}, {"fullname": "Me", "admin": True},
]


@pytest.mark.parametrize("payload", ESCALATIONS, ids=lambda p: ",".join(p))
def test_users_cannot_escalate_themselves(api, volunteer, payload):
    before = {c: getattr(volunteer, c) for c in ("admin", "pro", "enabled", "restrict", "api_key", "passwd_hash",
                                                 "name", "email_addr", "fullname")}
    response = api.put(f"/api/user/{volunteer.id}", payload, key=volunteer.api_key)
    assert_error(response, 403, "Forbidden")
    assert "is not changed through the api" in response.get_json()["exception_msg"].lower()
    db.session.expire_all()
    fresh = db.session.get(User, volunteer.id)
    assert {c: getattr(fresh, c) for c in before} == before


@pytest.mark.parametrize("payload", [{"admin": True}, {"pro": True}, {"enabled": False}, {"api_key": "a" * 40}])
def test_admins_do_not_use_the_api_for_roles_either(api, admin_user, volunteer, payload):
    assert_error(api.put(f"/api/user/{volunteer.id}", payload, key=admin_user.api_key), 403)
    db.session.expire_all()
    assert db.session.get(User, volunteer.id).admin is False


def test_header_key_cannot_escalate_either(api, volunteer):
    response = api.call("PUT", f"/api/user/{volunteer.id}", json={"admin": True},
                        headers={"Authorization": volunteer.api_key})
    assert_error(response, 403)


def test_users_may_change_display_fields_of_themselves_only(api, volunteer, owner, admin_user):
    response = api.put(f"/api/user/{volunteer.id}", {"fullname": "Val Unteer", "locale": "pt_BR",
                                                     "info": {"avatar": "a.png"}}, key=volunteer.api_key)
    assert response.status_code == 200
    data = response.get_json()
    assert data["fullname"] == "Val Unteer" and data["locale"] == "pt_BR"
    assert "passwd_hash" not in data and data["api_key"] == volunteer.api_key  # own key, to oneself
    assert_error(api.put(f"/api/user/{volunteer.id}", {"fullname": "Hacked"}, key=owner.api_key), 403)
    assert_error(api.put(f"/api/user/{volunteer.id}", {"fullname": "Hacked"}), 401)
    assert_error(api.put(f"/api/user/{volunteer.id}", {"locale": "not a locale"}, key=volunteer.api_key), 400)
    by_admin = api.put(f"/api/user/{volunteer.id}", {"fullname": "Set By Admin"}, key=admin_user.api_key)
    assert by_admin.status_code == 200 and "api_key" not in by_admin.get_json()
    # the whole object sent back unchanged (roles, key and all) is not an escalation
    echo = api.get(f"/api/user/{volunteer.id}", key=volunteer.api_key).get_json()
    assert api.put(f"/api/user/{volunteer.id}", echo, key=volunteer.api_key).status_code == 200


def test_password_hash_and_api_keys_never_leave_except_own_key(api, app, volunteer, owner, admin_user):
    secrets = {u.name: (u.api_key, u.passwd_hash) for u in (volunteer, owner, admin_user)}

    def leaked(body, allowed_key=None):
        text = json.dumps(body)
        found = []
        for name, (key, password_hash) in secrets.items():
            if key in text and key != allowed_key:
                found.append(f"{name} api_key")
            if password_hash in text:
                found.append(f"{name} passwd_hash")
        return found

    callers = {"anonymous": None, "vol": volunteer, "owner": owner, "root": admin_user}
    for label, caller in callers.items():
        key = caller.api_key if caller else None
        own = caller.api_key if caller else None
        listed = api.get("/api/user", key=key, limit=100).get_json()
        assert "passwd_hash" not in json.dumps(listed)
        assert leaked(listed, own) == [], label
        for target in (volunteer, owner, admin_user):
            body = api.get(f"/api/user/{target.id}", key=key).get_json()
            assert leaked(body, own) == [], (label, target.name)
            assert ("api_key" in body) == (caller is not None and caller.id == target.id)
        assert leaked(api.get("/api/openapi.json").get_json()) == []


def test_only_admins_feature_projects(api, owner, admin_user):
    project = factories.project(owner=owner, short_name="shiny")
    assert_error(api.put(f"/api/project/{project.id}", {"featured": True}, key=owner.api_key), 403,
                 contains="admins")
    assert_error(api.post("/api/project", {"name": "Self", "short_name": "self", "featured": True},
                          key=owner.api_key), 403)
    db.session.expire_all()
    assert project.featured is False
    response = api.put(f"/api/project/{project.id}", {"featured": True}, key=admin_user.api_key)
    assert response.status_code == 200 and response.get_json()["featured"] is True
    # owners sending the featured flag back unchanged (pbclient.update_project) is fine
    assert api.put(f"/api/project/{project.id}", {"featured": True, "description": "ok"},
                   key=owner.api_key).status_code == 200


def test_projects_cannot_be_given_away_or_published_through_the_api(api, owner, volunteer):
    project = factories.project(owner=owner, published=False, short_name="mine")
    assert_error(api.put(f"/api/project/{project.id}", {"owner_id": volunteer.id}, key=owner.api_key), 403)
    assert_error(api.put(f"/api/project/{project.id}", {"published": True}, key=owner.api_key), 403)
    assert_error(api.post("/api/project", {"name": "For You", "short_name": "foryou", "owner_id": volunteer.id},
                          key=owner.api_key), 403)
    db.session.expire_all()
    assert (project.owner_id, project.published) == (owner.id, False)


def test_volunteers_cannot_forge_who_answered(api, project, volunteer, owner):
    task = factories.task(project)
    for forged in ({"user_id": owner.id}, {"user_ip": "10.0.0.1"}, {"anon_id": "x"}, {"id": 99},
                   {"finish_time": "2020-01-01T00:00:00"}):
        assert_error(api.post("/api/taskrun", dict(forged, task_id=task.id, info={}), key=volunteer.api_key), 400)
    assert api.get("/api/taskrun", all=1).get_json() == []

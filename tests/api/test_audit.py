"""The audit trail of projects changed through the API (written by services.projects, caller 'api')."""
from __future__ import annotations

import json

from pybossa_admin.models import AuditLog

from .. import factories


def rows():
    return AuditLog.query.order_by(AuditLog.id).all()


def test_create_update_delete_are_audited(api, owner):
    key = owner.api_key
    pid = api.post("/api/project", {"name": "Moths", "short_name": "moths", "info": {"sched": "default"}},
                   key=key).get_json()["id"]
    [created] = rows()
    assert (created.action, created.caller, created.attribute, created.old_value, created.new_value) == \
        ("create", "api", "project", "Nothing", "New project")
    assert (created.project_id, created.project_short_name, created.user_id, created.user_name) == \
        (pid, "moths", owner.id, "owner")
    assert created.created is not None

    response = api.put(f"/api/project/{pid}", {"description": "Night flyers", "paused": True,
                                               "info": {"sched": "breadth_first", "tutorial": "<p>hi</p>"}},
                       key=key)
    assert response.status_code == 200
    update_rows = [r for r in rows() if r.action == "update"]
    assert {(r.attribute, r.old_value, r.new_value) for r in update_rows} == {
        ("description", "", "Night flyers"),
        ("paused", "false", "true"),
        ("sched", "default", "breadth_first"),     # one row per changed info key...
        ("tutorial", "", "<p>hi</p>"),            # ...and per added one
    }
    assert all(r.caller == "api" and r.user_id == owner.id for r in update_rows)

    # removed info keys are recorded too (PYBOSSA forgot them)
    api.put(f"/api/project/{pid}", {"info": {"sched": "breadth_first"}}, key=key)
    removed = rows()[-1]
    assert (removed.attribute, removed.old_value, removed.new_value) == ("tutorial", "<p>hi</p>", "")

    # nothing changed, nothing written
    count = len(rows())
    api.put(f"/api/project/{pid}", {"info": {"sched": "breadth_first"}, "paused": True}, key=key)
    assert len(rows()) == count

    assert api.delete(f"/api/project/{pid}", key=key).status_code == 204
    deleted = rows()[-1]
    assert (deleted.action, deleted.caller, deleted.old_value, deleted.new_value, deleted.project_id) == \
        ("delete", "api", "Saved", "Deleted", pid)


def test_secret_attributes_are_recorded_without_values(api, owner):
    project = factories.project(owner=owner, short_name="locked")
    response = api.put(f"/api/project/{project.id}",
                       {"info": {"task_presenter": "<p>Answer me</p>", "passwd_hash": "pbkdf2:sha256:1$s$h",
                                 "webhook_secret": "whsec-123"}}, key=owner.api_key)
    assert response.status_code == 200
    secret_rows = {r.attribute: r for r in rows() if r.attribute in ("passwd_hash", "webhook_secret")}
    assert set(secret_rows) == {"passwd_hash", "webhook_secret"}
    for row in secret_rows.values():
        assert row.old_value is None and row.new_value is None and row.caller == "api"
    text = json.dumps([r.as_dict() for r in rows()])
    assert "pbkdf2" not in text and "whsec-123" not in text


def test_refused_changes_write_nothing(api, owner, volunteer, admin_user):
    project = factories.project(owner=owner, short_name="quiet")
    api.put(f"/api/project/{project.id}", {"description": "x"}, key=volunteer.api_key)   # 403
    api.put(f"/api/project/{project.id}", {"featured": True}, key=owner.api_key)          # 403
    api.put(f"/api/project/{project.id}", {"name": 7}, key=owner.api_key)                 # 415
    api.put(f"/api/project/{project.id}", {"category_id": 999}, key=owner.api_key)        # 400
    assert rows() == []
    api.put(f"/api/project/{project.id}", {"featured": True}, key=admin_user.api_key)
    [row] = rows()
    assert (row.attribute, row.old_value, row.new_value, row.user_name, row.caller) == \
        ("featured", "false", "true", "root", "api")

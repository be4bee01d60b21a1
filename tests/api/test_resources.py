"""Create, read, update, delete on every resource, and who may do it."""
from __future__ import annotations

from pybossa_admin.extensions import db
from pybossa_admin.models import Category, HelpingMaterial, Project, Result, Task, TaskRun

from .. import factories
from .conftest import assert_error


def test_project_crud_by_owner(api, owner, volunteer):
    key = owner.api_key
    created = api.post("/api/project", {"name": "Moths", "short_name": "moths", "description": "Count moths",
                                        "info": {"task_presenter": "<p>?</p>"}}, key=key)
    assert created.status_code == 200, created.get_json()
    data = created.get_json()
    assert data["owner_id"] == owner.id and data["owners_ids"] == [owner.id]
    assert data["published"] is False and data["link"].endswith(f"/api/project/{data['id']}'/>")
    pid = data["id"]
    assert api.get(f"/api/project/{pid}", key=key).get_json()["name"] == "Moths"
    updated = api.put(f"/api/project/{pid}", {"description": "Count all moths", "paused": True}, key=key)
    assert updated.status_code == 200 and updated.get_json()["description"] == "Count all moths"
    assert updated.get_json()["paused"] is True
    # another user may neither change nor delete it
    assert_error(api.put(f"/api/project/{pid}", {"description": "mine"}, key=volunteer.api_key), 403)
    assert_error(api.put(f"/api/project/{pid}", {"description": "mine"}), 401)
    assert_error(api.delete(f"/api/project/{pid}", key=volunteer.api_key), 403)
    assert_error(api.delete(f"/api/project/{pid}"), 401)
    deleted = api.delete(f"/api/project/{pid}", key=key)
    assert deleted.status_code == 204 and deleted.get_data() == b""
    assert db.session.get(Project, pid) is None
    assert_error(api.delete(f"/api/project/{pid}", key=key), 404)


def test_project_rules(api, owner, project, admin_user):
    key = owner.api_key
    assert_error(api.post("/api/project", {"name": "N", "short_name": "n"}), 401)
    assert_error(api.post("/api/project", {"name": "Birds", "short_name": "birds2"}, key=key), 409)
    assert_error(api.post("/api/project", {"name": "N", "short_name": "bad name!"}, key=key), 400)
    assert_error(api.post("/api/project", {"name": "N", "short_name": "n", "category_id": 999}, key=key), 400)
    for reserved in ("id", "created", "updated", "secret_key", "completed", "contacted"):
        assert_error(api.put(f"/api/project/{project.id}", {reserved: "x"}, key=key), 400, "BadRequest",
                     contains=reserved)
    assert_error(api.put(f"/api/project/{project.id}", {"published": False}, key=key), 403, contains="publish")
    assert_error(api.put(f"/api/project/{project.id}", {"owner_id": admin_user.id}, key=key), 403)
    # admins may change any project
    response = api.put(f"/api/project/{project.id}", {"name": "Birds of Prey"}, key=admin_user.api_key)
    assert response.status_code == 200 and response.get_json()["name"] == "Birds of Prey"


def test_project_put_of_a_whole_object_changes_only_what_changed(api, owner, project):
    # pbclient.update_project sends the object it read (minus PYBOSSA's reserved keys), links and all
    key = owner.api_key
    data = api.get(f"/api/project/{project.id}", key=key).get_json()
    for name in ("id", "created", "updated", "published", "secret_key"):
        data.pop(name)
    data["long_description"] = "Longer"
    response = api.put(f"/api/project/{project.id}", data, key=key)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["long_description"] == "Longer"
    # unchanged reserved keys sent back are not changes either (pbclient.update_category does that)
    again = api.get(f"/api/project/{project.id}", key=key).get_json()
    assert api.put(f"/api/project/{project.id}", again, key=key).status_code == 200


def test_non_owners_see_public_project_fields(api, owner, project, volunteer):
    project.info = {"task_presenter": "<p>x</p>", "private_note": "n", "passwd_hash": "h"}
    project.webhook, project.secret_key = "https://hook.example/x", "s3cr3t"
    db.session.commit()
    public = api.get(f"/api/project/{project.id}", key=volunteer.api_key).get_json()
    assert public["info"] == {"task_presenter": "<p>x</p>"}
    assert "webhook" not in public and "secret_key" not in public
    mine = api.get(f"/api/project/{project.id}", key=owner.api_key).get_json()
    assert mine["info"] == {"task_presenter": "<p>x</p>", "private_note": "n"}  # never the password hash
    assert mine["webhook"] == "https://hook.example/x" and mine["secret_key"] == "s3cr3t"


def test_owner_put_of_info_keeps_the_hidden_password_hash(api, owner, project):
    project.info = {"task_presenter": "<p>x</p>", "passwd_hash": "h"}
    db.session.commit()
    response = api.put(f"/api/project/{project.id}", {"info": {"task_presenter": "<p>y</p>"}}, key=owner.api_key)
    assert response.status_code == 200
    db.session.expire_all()
    assert db.session.get(Project, project.id).info == {"task_presenter": "<p>y</p>", "passwd_hash": "h"}


def test_category_crud_admin_only(api, admin_user, owner):
    body = {"name": "Space Rocks", "short_name": "spacerocks", "description": "Meteorites"}
    assert_error(api.post("/api/category", body), 401)
    assert_error(api.post("/api/category", body, key=owner.api_key), 403, contains="admins")
    created = api.post("/api/category", body, key=admin_user.api_key)
    assert created.status_code == 200
    cid = created.get_json()["id"]
    assert_error(api.post("/api/category", body, key=admin_user.api_key), 409)
    default_short = api.post("/api/category", {"name": "Deep Sea"}, key=admin_user.api_key).get_json()
    assert default_short["short_name"] == "deepsea"
    assert_error(api.put(f"/api/category/{cid}", {"description": "x"}, key=owner.api_key), 403)
    updated = api.put(f"/api/category/{cid}", {"description": "Stones from space"}, key=admin_user.api_key)
    assert updated.get_json()["description"] == "Stones from space"
    # PYBOSSA answers 400 to pbclient.update_category (it sends the id back); unchanged ids are fine here
    whole = dict(updated.get_json(), description="Falling stones")
    assert api.put(f"/api/category/{cid}", whole, key=admin_user.api_key).get_json()["description"] == \
        "Falling stones"
    assert_error(api.put(f"/api/category/{cid}", {"id": cid + 1}, key=admin_user.api_key), 400)
    assert_error(api.delete(f"/api/category/{cid}", key=owner.api_key), 403)
    assert api.delete(f"/api/category/{cid}", key=admin_user.api_key).status_code == 204
    assert db.session.get(Category, cid) is None


def test_deleting_a_category_in_use_is_409(api, admin_user, owner):
    category = factories.category(name="Used")
    factories.project(owner=owner, category_id=category.id, published=False, short_name="draftincat")
    body = assert_error(api.delete(f"/api/category/{category.id}", key=admin_user.api_key), 409, "Conflict")
    assert "1 project" in body["exception_msg"]
    assert db.session.get(Category, category.id) is not None


def test_task_crud_by_owner_only(api, owner, volunteer, project):
    key = owner.api_key
    payload = {"project_id": project.id, "info": {"url": "http://x/1.jpg"}, "n_answers": 3, "priority_0": 0.5,
               "quorum": 0, "calibration": 0}
    assert_error(api.post("/api/task", payload), 401)
    assert_error(api.post("/api/task", payload, key=volunteer.api_key), 403)
    assert_error(api.post("/api/task", dict(payload, project_id=999), key=key), 400, contains="no project")
    assert_error(api.post("/api/task", dict(payload, priority_0=2), key=key), 400, contains="priority_0")
    assert_error(api.post("/api/task", dict(payload, n_answers=0), key=key), 400, contains="n_answers")
    assert_error(api.post("/api/task", dict(payload, state="completed"), key=key), 400, contains="state")
    created = api.post("/api/task", payload, key=key)
    assert created.status_code == 200, created.get_json()
    task = created.get_json()
    assert task["state"] == "ongoing" and task["links"][0].endswith(f"/api/project/{project.id}'/>")
    tid = task["id"]
    assert_error(api.put(f"/api/task/{tid}", {"n_answers": 5}, key=volunteer.api_key), 403)
    assert_error(api.put(f"/api/task/{tid}", {"project_id": project.id + 1}, key=key), 400)
    assert api.put(f"/api/task/{tid}", {"n_answers": 5}, key=key).get_json()["n_answers"] == 5
    assert_error(api.delete(f"/api/task/{tid}", key=volunteer.api_key), 403)
    assert api.delete(f"/api/task/{tid}", key=key).status_code == 204
    assert db.session.get(Task, tid) is None


def test_deleting_a_task_removes_its_runs_and_result(api, owner, project, volunteer):
    task = factories.task(project, n_answers=1)
    run = factories.task_run(task, user=volunteer)
    db.session.add(Result(project_id=project.id, task_id=task.id, task_run_ids=[run.id]))
    db.session.commit()
    assert api.delete(f"/api/task/{task.id}", key=owner.api_key).status_code == 204
    db.session.expire_all()
    assert TaskRun.query.count() == 0 and Result.query.count() == 0


def test_taskrun_delete_by_author_or_admin(api, project, volunteer, owner, admin_user):
    task = factories.task(project)
    run = factories.task_run(task, user=volunteer)
    other = factories.task_run(task, user=owner)
    assert_error(api.delete(f"/api/taskrun/{run.id}"), 401)
    assert_error(api.delete(f"/api/taskrun/{run.id}", key=owner.api_key), 403)
    assert api.delete(f"/api/taskrun/{run.id}", key=volunteer.api_key).status_code == 204
    assert api.delete(f"/api/taskrun/{other.id}", key=admin_user.api_key).status_code == 204
    assert TaskRun.query.count() == 0


def test_result_update_by_owner_only(api, project, owner, volunteer):
    task = factories.task(project, n_answers=1)
    run = factories.task_run(task, user=volunteer)
    result = Result(project_id=project.id, task_id=task.id, task_run_ids=[run.id])
    db.session.add(result)
    db.session.commit()
    assert api.get(f"/api/result/{result.id}").get_json()["task_run_ids"] == [run.id]
    assert_error(api.put(f"/api/result/{result.id}", {"info": {"answer": "yes"}}, key=volunteer.api_key), 403)
    assert_error(api.put(f"/api/result/{result.id}", {"task_run_ids": []}, key=owner.api_key), 400)
    updated = api.put(f"/api/result/{result.id}", {"info": {"answer": "yes"}}, key=owner.api_key)
    assert updated.status_code == 200 and updated.get_json()["info"] == {"answer": "yes"}
    assert_error(api.delete(f"/api/result/{result.id}", key=owner.api_key), 405)


def test_helping_material(api, project, owner, volunteer):
    body = {"project_id": project.id, "info": {"caption": "A heron"}, "media_url": "https://img.example/h.jpg"}
    assert_error(api.post("/api/helpingmaterial", body, key=volunteer.api_key), 403)
    assert_error(api.post("/api/helpingmaterial", dict(body, media_url="javascript:alert(1)"), key=owner.api_key),
                 400, contains="media_url")
    created = api.post("/api/helpingmaterial", body, key=owner.api_key)
    assert created.status_code == 200
    hid = created.get_json()["id"]
    assert [m["id"] for m in api.get("/api/helpingmaterial", project_id=project.id).get_json()] == [hid]
    assert api.put(f"/api/helpingmaterial/{hid}", {"priority": 2}, key=owner.api_key).get_json()["priority"] == 2
    upload = api.call("POST", "/api/helpingmaterial", key=owner.api_key, data={"project_id": str(project.id)},
                      content_type="multipart/form-data")
    assert_error(upload, 415, contains="media_url")
    assert api.delete(f"/api/helpingmaterial/{hid}", key=owner.api_key).status_code == 204
    assert HelpingMaterial.query.count() == 0

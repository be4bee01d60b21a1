"""The contribution flow: newtask -> taskrun -> task completed -> result."""
from __future__ import annotations

from pybossa_admin import signals
from pybossa_admin.extensions import db
from pybossa_admin.models import Result, Task, TaskRun

from .. import factories
from .conftest import Api, assert_error


def test_full_flow_registered_volunteers(app, api, project, volunteer, owner):
    task = factories.task(project, n_answers=2)
    got = api.get(f"/api/project/{project.id}/newtask", key=volunteer.api_key).get_json()
    assert got["id"] == task.id
    first = api.post("/api/taskrun", {"project_id": project.id, "task_id": task.id, "info": {"answer": "heron"}},
                     key=volunteer.api_key)
    assert first.status_code == 200, first.get_json()
    run = first.get_json()
    assert run["user_id"] == volunteer.id and run["finish_time"] and "user_ip" not in run
    stored = db.session.get(TaskRun, run["id"])
    assert stored.user_ip == "127.0.0.1" and stored.anon_id is None
    # the volunteer never gets a task they answered
    assert api.get(f"/api/project/{project.id}/newtask", key=volunteer.api_key).get_json() == {}
    db.session.expire_all()
    assert db.session.get(Task, task.id).state == "ongoing" and Result.query.count() == 0
    second = api.post("/api/taskrun", {"task_id": task.id, "info": {"answer": "egret"}}, key=owner.api_key)
    assert second.status_code == 200
    db.session.expire_all()
    assert db.session.get(Task, task.id).state == "completed"
    result = Result.query.one()
    assert result.task_id == task.id and result.task_run_ids == [run["id"], second.get_json()["id"]]
    assert api.get("/api/result", project_id=project.id).get_json()[0]["task_run_ids"] == result.task_run_ids
    # a completed task is never served, and takes no more answers
    third = factories.user(name="late")
    assert api.get(f"/api/project/{project.id}/newtask", key=third.api_key).get_json() == {}
    assert_error(api.post("/api/taskrun", {"task_id": task.id, "info": {}}, key=third.api_key), 409,
                 contains="completed")
    assert TaskRun.query.count() == 2


def test_duplicate_answers_are_refused(api, project, volunteer):
    task = factories.task(project, n_answers=5)
    assert api.post("/api/taskrun", {"task_id": task.id, "info": 1}, key=volunteer.api_key).status_code == 200
    body = assert_error(api.post("/api/taskrun", {"task_id": task.id, "info": 2}, key=volunteer.api_key), 409,
                        "Conflict")
    assert "already answered" in body["exception_msg"]
    assert TaskRun.query.count() == 1


def test_anonymous_identity_is_cookie_plus_address(app, project):
    task = factories.task(project, n_answers=10)
    browser = Api(app)
    served = browser.get(f"/api/project/{project.id}/newtask")
    assert served.get_json()["id"] == task.id
    assert "pba_volunteer=" in served.headers["Set-Cookie"] and "HttpOnly" in served.headers["Set-Cookie"]
    assert browser.post("/api/taskrun", {"task_id": task.id, "info": "a"}).status_code == 200
    run = TaskRun.query.one()
    assert run.user_id is None and run.user_ip == "127.0.0.1" and len(run.anon_id) == 40
    # same cookie, same address: the same volunteer
    assert browser.get(f"/api/project/{project.id}/newtask").get_json() == {}
    assert_error(browser.post("/api/taskrun", {"task_id": task.id, "info": "b"}), 409)
    # same cookie from another address: another volunteer (a copied cookie speaks for nobody else)
    moved = browser.client.post("/api/taskrun", json={"task_id": task.id, "info": "c"},
                                environ_base={"REMOTE_ADDR": "198.51.100.9"})
    assert moved.status_code == 200
    # another browser at the first address: another volunteer too
    assert Api(app).post("/api/taskrun", {"task_id": task.id, "info": "d"}).status_code == 200
    # a forged cookie is ignored (a new identity is issued)
    forged = Api(app)
    forged.client.set_cookie("pba_volunteer", "forged.value")
    response = forged.post("/api/taskrun", {"task_id": task.id, "info": "e"})
    assert response.status_code == 200 and "pba_volunteer=" in response.headers["Set-Cookie"]
    assert TaskRun.query.count() == 4
    assert len({r.anon_id for r in TaskRun.query.all()}) == 4


def test_projects_that_want_registered_volunteers(api, owner, volunteer):
    closed = factories.project(owner=owner, short_name="members", allow_anonymous_contributors=False)
    task = factories.task(closed)
    assert_error(api.get(f"/api/project/{closed.id}/newtask"), 401, contains="registered")
    assert_error(api.post("/api/taskrun", {"task_id": task.id, "info": {}}), 401)
    assert api.post("/api/taskrun", {"task_id": task.id, "info": {}}, key=volunteer.api_key).status_code == 200


def test_paused_draft_and_unknown_projects_are_refused(api, owner, volunteer):
    paused = factories.project(owner=owner, short_name="paused", paused=True)
    draft = factories.project(owner=owner, short_name="draft", published=False)
    paused_task, draft_task = factories.task(paused), factories.task(draft)
    key = volunteer.api_key
    assert_error(api.get(f"/api/project/{paused.id}/newtask", key=key), 403, contains="paused")
    assert_error(api.post("/api/taskrun", {"task_id": paused_task.id, "info": {}}, key=key), 403, contains="paused")
    assert_error(api.get(f"/api/project/{draft.id}/newtask", key=key), 403, contains="draft")
    assert_error(api.post("/api/taskrun", {"task_id": draft_task.id, "info": {}}, key=key), 403, contains="draft")
    # owners preview their draft's tasks but cannot answer before publishing
    assert api.get(f"/api/project/{draft.id}/newtask", key=owner.api_key).get_json()["id"] == draft_task.id
    assert_error(api.post("/api/taskrun", {"task_id": draft_task.id, "info": {}}, key=owner.api_key), 403)
    assert_error(api.get("/api/project/9999/newtask", key=key), 404, target="newtask")
    assert_error(api.post("/api/taskrun", {"task_id": 9999, "info": {}}, key=key), 404)
    assert TaskRun.query.count() == 0


def test_bad_answers(api, project, owner, volunteer):
    other = factories.project(owner=owner, short_name="elsewhere")
    task = factories.task(project)
    key = volunteer.api_key
    assert_error(api.post("/api/taskrun", {"info": {}}, key=key), 400, contains="task_id")
    assert_error(api.post("/api/taskrun", {"task_id": "1", "info": {}}, key=key), 415, "TypeError")
    assert_error(api.post("/api/taskrun", {"task_id": task.id, "project_id": other.id, "info": {}}, key=key), 400,
                 contains="belongs to project")
    assert_error(api.post("/api/taskrun", {"task_id": task.id, "external_uid": "x" * 300}, key=key), 415)
    assert TaskRun.query.count() == 0


def test_newtask_order_batches_and_offset(api, project, volunteer):
    low = factories.task(project, priority_0=0.0)
    high = factories.task(project, priority_0=1.0)
    mid_a = factories.task(project, priority_0=0.5)
    mid_b = factories.task(project, priority_0=0.5)
    url = f"/api/project/{project.id}/newtask"
    key = volunteer.api_key
    assert api.get(url, key=key).get_json()["id"] == high.id
    assert api.get(url, key=key, offset=1).get_json()["id"] == mid_a.id
    assert [t["id"] for t in api.get(url, key=key, limit=10).get_json()] == [high.id, mid_a.id, mid_b.id, low.id]
    assert [t["id"] for t in api.get(url, key=key, limit=2, offset=2).get_json()] == [mid_b.id, low.id]
    assert api.get(f"/api/{project.id}/newtask", key=key).get_json()["id"] == high.id  # PYBOSSA's old path
    assert_error(api.get(url, key=key, limit="many"), 400)


def test_changing_n_answers_completes_or_reopens(api, project, owner, volunteer):
    task = factories.task(project, n_answers=3)
    factories.task_run(task, user=volunteer)
    factories.task_run(task, user=owner)
    response = api.put(f"/api/task/{task.id}", {"n_answers": 2}, key=owner.api_key)
    assert response.get_json()["state"] == "completed"
    assert Result.query.one().task_id == task.id
    response = api.put(f"/api/task/{task.id}", {"n_answers": 4}, key=owner.api_key)
    assert response.get_json()["state"] == "ongoing"
    third = factories.user(name="third")
    fourth = factories.user(name="fourth")
    assert api.post("/api/taskrun", {"task_id": task.id, "info": {}}, key=third.api_key).status_code == 200
    assert api.post("/api/taskrun", {"task_id": task.id, "info": {}}, key=fourth.api_key).status_code == 200
    db.session.expire_all()
    result = Result.query.one()  # the same result, now listing the four answers
    assert len(result.task_run_ids) == 4 and db.session.get(Task, task.id).state == "completed"


def test_signals_are_sent(app, api, project, volunteer, owner):
    task = factories.task(project, n_answers=2)
    heard = []
    created = lambda sender, **kw: heard.append(("run", kw["task_run"].task_id, kw["volunteer"].user_id))  # noqa
    completed = lambda sender, **kw: heard.append(("done", kw["task"].id, kw["result"].task_id))  # noqa
    signals.task_run_created.connect(created, sender=app)
    signals.task_completed.connect(completed, sender=app)
    try:
        api.post("/api/taskrun", {"task_id": task.id, "info": {}}, key=volunteer.api_key)
        api.post("/api/taskrun", {"task_id": task.id, "info": {}}, key=owner.api_key)
    finally:
        signals.task_run_created.disconnect(created, sender=app)
        signals.task_completed.disconnect(completed, sender=app)
    assert heard == [("run", task.id, volunteer.id), ("run", task.id, owner.id), ("done", task.id, task.id)]

"""The real pybossa-client library (pbclient) against a live server on loopback."""
from __future__ import annotations

import pbclient
import pytest
import requests

from pybossa_admin.extensions import db
from pybossa_admin.models import Project, Result, Task, TaskRun
from pybossa_admin.services import projects as project_service

from ..browser_support import live_server  # noqa: F401  (fixture)

pytestmark = pytest.mark.live


@pytest.fixture
def pb(live_server):
    pbclient.set("endpoint", live_server.url)
    yield pbclient
    pbclient._opts.clear()


def as_user(pb, user):
    pb.set("api_key", user.api_key)


def test_pbclient_project_lifecycle(pb, live_server, admin_user, owner):
    # admin creates a category
    as_user(pb, admin_user)
    category = pb.create_category("Night Sky", "Things in the night sky")
    assert isinstance(category, pbclient.Category), category
    assert category.short_name == "nightsky"
    assert pb.find_category(short_name="nightsky")[0].id == category.id
    category.description = "Stars and planets"
    assert pb.update_category(category).description == "Stars and planets"  # PYBOSSA answers 400 here
    assert [c.id for c in pb.get_categories(limit=20, last_id=0)][-1] == category.id

    # the owner creates a project and its tasks
    as_user(pb, owner)
    project = pb.create_project("Meteor Watch", "meteors", "Spot meteors")
    assert isinstance(project, pbclient.Project), project
    assert project.owner_id == owner.id and project.published is False
    pid = project.id  # update_project strips the reserved keys (id included) from the object it is given
    project.long_description = "Watch the sky and report meteors"
    project.category_id = category.id
    project.info["task_presenter"] = "<div>Is there a meteor?</div>"
    updated = pb.update_project(project)
    assert isinstance(updated, pbclient.Project), updated
    assert updated.info["task_presenter"] == "<div>Is there a meteor?</div>"
    assert updated.category_id == category.id

    created = [pb.create_task(pid, {"image": f"https://img.example/{i}.jpg"}, n_answers=2,
                              priority_0=i / 10) for i in range(7)]
    assert all(isinstance(t, pbclient.Task) for t in created), created
    pages, last_id = [], None
    while True:
        page = pb.get_tasks(pid, limit=3, last_id=last_id) if last_id else pb.get_tasks(pid, limit=3)
        if not page:
            break
        pages.append([t.id for t in page])
        last_id = page[-1].id
    assert [len(p) for p in pages] == [3, 3, 1]
    assert sum(pages, []) == [t.id for t in created]

    # find (the owner's own projects, and pbs's all=1 form)
    assert [p.id for p in pb.find_project(short_name="meteors")] == [pid]
    assert [p.id for p in pb.find_project(short_name="meteors", all=1)] == [pid]
    assert [t.id for t in pb.find_tasks(pid, info="image::https://img.example/3.jpg")] == [created[3].id]
    assert pb.get_project(pid).name == "Meteor Watch"

    task = created[0]
    task.n_answers = 4
    assert pb.update_task(task).n_answers == 4
    assert pb.delete_task(created[-1].id) is True
    assert len(pb.get_tasks(pid, limit=100, last_id=0)) == 6

    # errors come back as PYBOSSA error dicts (pbclient returns them, it does not raise)
    refused = pb.create_project("Meteor Watch", "meteors2", "same name")
    assert refused["status"] == "failed" and refused["status_code"] == 409
    as_user(pb, admin_user)
    in_use = pb.delete_category(category.id)
    assert in_use["status_code"] == 409 and in_use["target"] == "category"

    # pbs reads its budget from HEAD /api/task
    head = requests.head(f"{live_server.url}/api/task", params={"api_key": owner.api_key}, timeout=10)
    assert head.status_code == 200 and int(head.headers["X-RateLimit-Remaining"]) > 0
    assert {"X-RateLimit-Limit", "X-RateLimit-Reset"} <= set(head.headers)

    # delete
    as_user(pb, owner)
    assert pb.delete_project(pid) is True
    assert pb.get_project(pid)["status_code"] == 404
    as_user(pb, admin_user)
    assert pb.delete_category(category.id) is True
    db.session.expire_all()
    assert db.session.get(Project, pid) is None and Task.query.count() == 0


def test_pbclient_full_contribution(pb, live_server, owner, volunteer, admin_user):
    as_user(pb, owner)
    project = pb.create_project("Heron Count", "herons", "Count herons")
    pid = project.id
    project.info["task_presenter"] = "<div>How many herons?</div>"
    pb.update_project(project)
    task = pb.create_task(pid, {"image": "https://img.example/herons.jpg"}, n_answers=2)
    db.session.expire_all()
    project_service.publish(db.session.get(Project, pid), owner, caller="web")  # the web's publish action

    answers = {}
    for person in (volunteer, owner):
        # pbclient has no newtask/taskrun calls: a volunteer's client uses plain HTTP for those
        url = f"{live_server.url}/api/project/{pid}/newtask"
        served = requests.get(url, params={"api_key": person.api_key}, timeout=10).json()
        assert served["id"] == task.id
        posted = requests.post(f"{live_server.url}/api/taskrun", params={"api_key": person.api_key}, timeout=10,
                               json={"project_id": pid, "task_id": task.id, "info": {"herons": 3}})
        assert posted.status_code == 200, posted.text
        answers[person.id] = posted.json()["id"]
        assert requests.get(url, params={"api_key": person.api_key}, timeout=10).json() == {}

    # the task is completed and has its result
    [done] = pb.find_tasks(pid, id=task.id)
    assert done.state == "completed"
    runs = pb.get_taskruns(pid, limit=10, last_id=0)
    assert sorted(r.id for r in runs) == sorted(answers.values())
    assert {r.user_id for r in pb.find_taskruns(pid, task_id=task.id)} == {volunteer.id, owner.id}
    [result] = pb.get_results(pid, limit=10, last_id=0)
    assert result.task_id == task.id and sorted(result.task_run_ids) == sorted(answers.values())
    rid = result.id  # update_result strips the reserved keys (id included) from the object it is given
    result.info = {"herons": 3}
    assert pb.update_result(result).info == {"herons": 3}
    assert [r.id for r in pb.find_results(pid, task_id=task.id)] == [rid]

    # a late answer is refused, and nothing was lost or doubled
    late = requests.post(f"{live_server.url}/api/taskrun", json={"task_id": task.id, "info": {}},
                         params={"api_key": admin_user.api_key}, timeout=10)
    assert late.status_code == 409 and late.json()["status"] == "failed"
    db.session.expire_all()
    assert TaskRun.query.count() == 2 and Result.query.count() == 1

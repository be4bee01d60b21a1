"""List semantics: filters, paging, ordering, info filters, all=1 and the context rule."""
from __future__ import annotations

from datetime import datetime, timezone

from pybossa_admin.extensions import db

from .. import factories
from .conftest import assert_error


def ids(response):
    assert response.status_code == 200, response.get_data(as_text=True)
    data = response.get_json()
    assert isinstance(data, list)  # pbclient raises TypeError on anything else
    return [row["id"] for row in data]


def test_limit_default_max_offset_and_last_id(api, project):
    tasks = [factories.task(project) for _ in range(105)]
    all_ids = [t.id for t in tasks]
    assert ids(api.get("/api/task")) == all_ids[:20]
    assert ids(api.get("/api/task", limit=500)) == all_ids[:100]
    assert ids(api.get("/api/task", limit=5, offset=10)) == all_ids[10:15]
    assert ids(api.get("/api/task", limit=5, last_id=all_ids[101])) == all_ids[102:105]
    # keyset paging ignores offset and orderby
    assert ids(api.get("/api/task", limit=2, last_id=all_ids[0], offset=50, orderby="priority_0",
                       desc="true")) == all_ids[1:3]
    for bad in ({"limit": "x"}, {"limit": -1}, {"offset": "1.5"}, {"last_id": "abc"}):
        assert_error(api.get("/api/task", **bad), 400, "ValueError")


def test_equality_filters_orderby_desc(api, project, owner):
    other = factories.project(owner=owner, short_name="other")
    low = factories.task(project, priority_0=0.1, n_answers=2)
    high = factories.task(project, priority_0=0.9, n_answers=5)
    elsewhere = factories.task(other, priority_0=0.5, n_answers=2)
    assert ids(api.get("/api/task", project_id=project.id)) == [low.id, high.id]
    assert ids(api.get("/api/task", n_answers=2)) == [low.id, elsewhere.id]
    assert ids(api.get("/api/task", project_id=project.id, n_answers=5)) == [high.id]
    assert ids(api.get("/api/task", orderby="priority_0", desc="true")) == [high.id, elsewhere.id, low.id]
    assert ids(api.get("/api/task", orderby="priority_0")) == [low.id, elsewhere.id, high.id]
    assert ids(api.get("/api/task", project_id=f"[{project.id},{other.id}]")) == [low.id, high.id, elsewhere.id]
    assert ids(api.get("/api/project", short_name="other")) == [other.id]
    assert ids(api.get("/api/project", published="true", short_name="birds")) == [project.id]
    assert ids(api.get("/api/task", state="completed")) == []


def test_bad_filters_are_415(api, project, admin_user):
    assert_error(api.get("/api/task", colour="red"), 415, "AttributeError", contains="colour")
    assert_error(api.get("/api/task", project_id="one"), 415, "ValueError")
    assert_error(api.get("/api/task", project_id="[1,'a']"), 415, "ValueError")
    assert_error(api.get("/api/project", featured="maybe"), 415, "ValueError")
    assert_error(api.get("/api/task", orderby="nothing"), 415, "AttributeError")
    assert_error(api.get("/api/task", created="last week"), 415, "ValueError")
    assert_error(api.get("/api/task", created="2024-13"), 415, "ValueError")
    # secrets are neither filters nor sort keys (they would be oracles)
    assert_error(api.get("/api/project", secret_key="s"), 415)
    assert_error(api.get("/api/user", passwd_hash="x"), 415)
    assert_error(api.get("/api/user", orderby="api_key", key=admin_user.api_key), 415)
    assert_error(api.get("/api/task", info="no-separator"), 400)


def test_created_prefix_filter(api, project):
    old = factories.task(project, created=datetime(2015, 5, 3, 12, tzinfo=timezone.utc))
    newer = factories.task(project, created=datetime(2016, 1, 1, tzinfo=timezone.utc))
    assert ids(api.get("/api/task", created="2015")) == [old.id]
    assert ids(api.get("/api/task", created="2015-05")) == [old.id]
    assert ids(api.get("/api/task", created="2015-05-03")) == [old.id]
    assert ids(api.get("/api/task", created="2015-05-04")) == []
    assert ids(api.get("/api/task", created="2016")) == [newer.id]


def test_info_filters(api, project, owner):
    a = factories.task(project, info={"kind": "bird", "n": 5})
    b = factories.task(project, info={"kind": "bird", "n": 6})
    factories.task(project, info={"kind": "fish"})
    assert ids(api.get("/api/task", info="kind::bird")) == [a.id, b.id]
    assert ids(api.get("/api/task", info="kind::bird|n::6")) == [b.id]
    assert ids(api.get("/api/task", info="kind::cat")) == []
    project.info = {"task_presenter": "<p>x</p>", "sched": "default", "passwd_hash": "h"}
    db.session.commit()
    assert ids(api.get("/api/project", info="sched::default")) == [project.id]
    # non-public project info keys: only in the owner's own lists
    assert_error(api.get("/api/project", info="passwd_hash::h"), 415, contains="not public")
    assert_error(api.get("/api/project", info="passwd_hash::h", all=1, key=owner.api_key), 415)
    assert ids(api.get("/api/project", info="passwd_hash::h", key=owner.api_key)) == [project.id]


def test_context_rule_and_all(api, project, owner, volunteer):
    theirs = factories.project(owner=volunteer, short_name="theirs")
    mine_task, their_task = factories.task(project), factories.task(theirs)
    # anonymous callers see everything readable
    assert ids(api.get("/api/project")) == [project.id, theirs.id]
    # an authenticated caller sees its own projects' objects...
    assert ids(api.get("/api/project", key=owner.api_key)) == [project.id]
    assert ids(api.get("/api/task", key=owner.api_key)) == [mine_task.id]
    assert ids(api.get("/api/task", key=volunteer.api_key)) == [their_task.id]
    # ...unless all=1
    assert ids(api.get("/api/project", key=owner.api_key, all=1)) == [project.id, theirs.id]
    assert ids(api.get("/api/task", key=owner.api_key, all="1")) == [mine_task.id, their_task.id]
    # categories and users are not project objects
    assert len(ids(api.get("/api/category", key=owner.api_key))) == 2


def test_drafts_are_listed_for_their_owner_and_admins_only(api, owner, volunteer, admin_user):
    draft = factories.project(owner=owner, published=False, short_name="drafty")
    draft_task = factories.task(draft)
    assert ids(api.get("/api/project", all=1, key=volunteer.api_key)) == []
    assert ids(api.get("/api/project")) == []
    assert ids(api.get("/api/task")) == []
    assert ids(api.get("/api/project", key=owner.api_key)) == [draft.id]
    assert ids(api.get("/api/task", key=owner.api_key)) == [draft_task.id]
    assert ids(api.get("/api/project", all=1, key=admin_user.api_key)) == [draft.id]
    assert_error(api.get(f"/api/task/{draft_task.id}", key=volunteer.api_key), 403)
    assert_error(api.get(f"/api/task/{draft_task.id}"), 401)


def test_user_filters(api, admin_user, volunteer):
    hidden = factories.user(name="hidden", restrict=True)
    assert ids(api.get("/api/user", name="vol")) == [volunteer.id]
    assert ids(api.get("/api/user", name="hidden")) == []
    assert_error(api.get(f"/api/user/{hidden.id}", key=volunteer.api_key), 403)
    assert api.get(f"/api/user/{hidden.id}", key=hidden.api_key).status_code == 200
    # e-mail, roles and info are filters for admins only (no "is this address registered?" oracle)
    assert_error(api.get("/api/user", email_addr="vol@example.org", key=volunteer.api_key), 415)
    assert_error(api.get("/api/user", admin="true"), 415)
    assert_error(api.get("/api/user", info="a::b", key=volunteer.api_key), 415)
    assert ids(api.get("/api/user", email_addr="vol@example.org", key=admin_user.api_key)) == [volunteer.id]
    assert ids(api.get("/api/user", admin="true", key=admin_user.api_key)) == [admin_user.id]
    assert ids(api.get("/api/user", name="hidden", key=admin_user.api_key)) == [hidden.id]


def test_taskrun_filters_and_privacy(api, project, volunteer, admin_user):
    task = factories.task(project)
    registered = factories.task_run(task, user=volunteer)
    anonymous = factories.task_run(task, anon_id="a" * 40, user_ip="192.0.2.7")
    assert ids(api.get("/api/taskrun", user_id=volunteer.id)) == [registered.id]
    assert ids(api.get("/api/taskrun", user_id="null")) == [anonymous.id]
    rows = api.get("/api/taskrun").get_json()
    assert all("user_ip" not in r and "anon_id" not in r for r in rows)
    assert_error(api.get("/api/taskrun", user_ip="192.0.2.7"), 415)
    admin_rows = api.get("/api/taskrun", user_ip="192.0.2.7", key=admin_user.api_key, all=1).get_json()
    assert [r["id"] for r in admin_rows] == [anonymous.id] and admin_rows[0]["user_ip"] == "192.0.2.7"
    assert all("anon_id" not in r for r in admin_rows)

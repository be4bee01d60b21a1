"""Point 9: /admin/projects lists every project; admins edit and delete any project, audited as theirs."""
import pytest
from sqlalchemy import event

from pybossa_admin.extensions import db
from pybossa_admin.models import AuditLog, Category, Project, Task

from ... import factories


@pytest.fixture
def data(app, admin_user):
    alice, bob = factories.user(name="alice"), factories.user(name="bob")
    biology = factories.category(name="Biology")
    live = factories.project(owner=alice, name="Galaxy Zoo", short_name="galaxy", featured=True)
    for _ in range(3):
        task = factories.task(project=live)
    factories.task_run(task=task, user=alice)
    factories.task_run(task=task, user=bob)
    empty_draft = factories.project(owner=bob, name="Empty Draft", short_name="empty", published=False,
                                    presenter=False, category_id=biology.id)
    tasks_no_presenter = factories.project(owner=bob, name="Tasks Only", short_name="tasksonly", published=False,
                                           presenter=False)
    factories.task(project=tasks_no_presenter)
    return {"alice": alice, "bob": bob, "biology": biology, "live": live, "empty": empty_draft,
            "tasks_only": tasks_no_presenter}


def _list(client, query=""):
    return client.get_json("/admin/projects" + query).get_json()


def test_anonymous_and_non_admin_are_refused(client, user_client, data):
    pid = data["live"].id
    for url in ("/admin/projects", f"/admin/projects/update/{pid}", f"/admin/projects/del/{pid}"):
        response = client.get(url)
        assert response.status_code == 302 and "/account/signin" in response.headers["Location"]
        assert user_client.get(url).status_code == 403
        assert user_client.get_json(url).get_json()["code"] == 403
    assert user_client.post(f"/admin/projects/del/{pid}").status_code == 403
    assert user_client.post(f"/admin/projects/update/{pid}", {"name": "Mine now"}).status_code == 403
    assert db.session.get(Project, pid).name == "Galaxy Zoo"


def test_list_every_project_with_owner_category_state_and_counts(admin_client, data):
    listing = _list(admin_client)
    assert listing["total"] == 3 and listing["template"] == "projects/index.html"
    rows = {r["short_name"]: r for r in listing["projects"]}
    live, empty, tasks_only = rows["galaxy"], rows["empty"], rows["tasksonly"]
    assert live["owner"]["name"] == "alice" and live["category"]["short_name"] == "thinking"
    assert (live["status"], live["featured"], live["n_tasks"], live["n_task_runs"]) == ("published", True, 3, 2)
    assert live["draft_reasons"] == []
    assert (empty["status"], empty["category"]["name"]) == ("draft", "Biology")
    assert empty["draft_reasons"] == ["no tasks", "no task presenter"]
    assert tasks_only["draft_reasons"] == ["no task presenter"] and tasks_only["n_tasks"] == 1
    assert live["created"] and live["updated"]
    html = admin_client.get("/admin/projects").get_data(as_text=True)
    assert "no tasks, no task presenter" in html and "Galaxy Zoo" in html and "badge-warning" in html


def test_search_filter_and_sort(admin_client, data):
    names = lambda q: [r["short_name"] for r in _list(admin_client, q)["projects"]]  # noqa: E731
    assert names("?q=GALAX") == ["galaxy"]
    assert names("?q=only") == ["tasksonly"]
    assert sorted(names("?status=draft")) == ["empty", "tasksonly"]
    assert names("?status=published") == ["galaxy"]
    assert names("?featured=yes") == ["galaxy"]
    assert sorted(names("?featured=no")) == ["empty", "tasksonly"]
    assert names(f"?category={data['biology'].id}") == ["empty"]
    assert names("?status=draft&category=%d" % data["biology"].id) == ["empty"]
    assert names("?sort=name&dir=asc") == ["empty", "galaxy", "tasksonly"]
    assert names("?sort=tasks&dir=desc") == ["galaxy", "tasksonly", "empty"]
    assert names("?sort=task_runs&dir=desc")[0] == "galaxy"
    assert names("?sort=owner&dir=asc")[0] == "galaxy"
    assert names("?sort=category&dir=asc") == ["empty", "galaxy", "tasksonly"]   # ties by id


@pytest.mark.parametrize("query", ["?status=secret", "?featured=maybe", "?sort=passwd", "?dir=up",
                                   "?page=0", "?page=x", "?category=abc"])
def test_bad_filters_are_400(admin_client, data, query):
    response = admin_client.get_json("/admin/projects" + query)
    assert response.status_code == 400 and response.get_json()["description"]


def test_pagination(admin_client, data, monkeypatch):
    from plugins.projects import queries
    monkeypatch.setattr(queries, "PAGE_SIZE", 2)
    first = _list(admin_client, "?sort=name&dir=asc")
    second = _list(admin_client, "?sort=name&dir=asc&page=2")
    assert (first["pages"], len(first["projects"]), len(second["projects"])) == (2, 2, 1)
    assert second["projects"][0]["short_name"] == "tasksonly"
    html = admin_client.get("/admin/projects?sort=name&dir=asc").get_data(as_text=True)
    assert 'id="next-page" href="/admin/projects?sort=name&amp;dir=asc&amp;page=2"' in html


def test_listing_runs_a_fixed_number_of_queries(admin_client, data, app):
    def count_queries():
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert admin_client.get_json("/admin/projects").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(statements)
    few = count_queries()
    for n in range(8):
        project = factories.project(owner=data["bob"], published=False, presenter=False)
        factories.task(project=project)
    assert count_queries() == few                      # no query per project (no N+1)


def test_edit_any_project_audited_as_the_admin(admin_client, admin_user, data):
    pid = data["live"].id
    form = admin_client.get_json(f"/admin/projects/update/{pid}").get_json()["form"]
    assert form["fields"]["owner"] == "alice" and form["csrf"]
    response = admin_client.post(f"/admin/projects/update/{pid}", {
        "name": "Galaxy Zoo 2", "description": "New words", "category_id": str(data["biology"].id),
        "owner": "BOB", "paused": "y", "info": '{"task_presenter": "<p>v2</p>", "sched": "default"}'})
    assert response.status_code == 302 and response.headers["Location"] == "/admin/projects"
    db.session.expire_all()
    project = db.session.get(Project, pid)
    assert (project.name, project.description, project.category_id, project.owner_id) == (
        "Galaxy Zoo 2", "New words", data["biology"].id, data["bob"].id)
    assert project.paused is True and project.featured is False          # the unchecked box un-features
    assert project.info == {"task_presenter": "<p>v2</p>", "sched": "default"}
    rows = AuditLog.query.filter_by(project_id=pid, action="update").all()
    assert {r.attribute for r in rows} == {"name", "description", "category_id", "owner_id", "paused", "featured",
                                           "task_presenter", "sched"}
    assert {(r.user_id, r.caller) for r in rows} == {(admin_user.id, "web")}
    assert "Project updated" in admin_client.get("/admin/projects").get_data(as_text=True)


def test_edit_with_a_partial_json_body(admin_client, data):
    pid = data["live"].id
    response = admin_client.post(f"/admin/projects/update/{pid}", json={"paused": True},
                                 query_string={"response_format": "json"})
    assert response.status_code == 200 and response.get_json()["next"] == "/admin/projects"
    db.session.expire_all()
    project = db.session.get(Project, pid)
    assert project.paused is True and project.featured is True and project.name == "Galaxy Zoo"


@pytest.mark.parametrize("change,field,status", [
    ({"info": "{not json"}, "info", 400),
    ({"info": "[1, 2]"}, "info", 400),
    ({"owner": "nobody"}, "owner", 400),
    ({"name": ""}, "name", 400),
    ({"name": "Tasks Only"}, "name", 409),
])
def test_edit_errors_are_shown_on_the_field(admin_client, data, change, field, status):
    pid = data["live"].id
    values = {"name": "Galaxy Zoo", "description": "x", "category_id": str(data["live"].category_id),
              "owner": "alice", "featured": "y", "info": "{}"}
    values.update(change)
    response = admin_client.post(f"/admin/projects/update/{pid}", values, query_string={"response_format": "json"})
    assert response.status_code == status
    assert response.get_json()["form"]["errors"][field]
    db.session.expire_all()
    assert db.session.get(Project, pid).name == "Galaxy Zoo"
    assert AuditLog.query.filter_by(project_id=pid, action="update").count() == 0


def test_a_draft_cannot_be_featured_from_the_edit_page(admin_client, data):
    pid = data["empty"].id
    response = admin_client.post(f"/admin/projects/update/{pid}", json={"featured": True},
                                 query_string={"response_format": "json"})
    assert response.status_code == 400 and response.get_json()["form"]["errors"]["featured"]


def test_edit_unknown_and_csrf(admin_client, data):
    assert admin_client.get("/admin/projects/update/999").status_code == 404
    assert admin_client.get_json("/admin/projects/update/999").get_json()["error"] == "Project.id 999 not found"
    pid = data["live"].id
    assert admin_client.post(f"/admin/projects/update/{pid}", {"name": "No token"}, csrf=False).status_code == 400


def test_delete_any_project(admin_client, admin_user, data):
    pid = data["live"].id
    page = admin_client.get_json(f"/admin/projects/del/{pid}").get_json()
    assert (page["n_tasks"], page["n_task_runs"], page["n_results"]) == (3, 2, 0)
    assert admin_client.post(f"/admin/projects/del/{pid}", csrf=False).status_code == 400
    response = admin_client.post(f"/admin/projects/del/{pid}")
    assert response.status_code == 302 and response.headers["Location"] == "/admin/projects"
    assert "Project deleted!" in admin_client.get("/admin/projects").get_data(as_text=True)
    assert db.session.get(Project, pid) is None and Task.query.filter_by(project_id=pid).count() == 0
    row = AuditLog.query.filter_by(project_id=pid, action="delete").one()
    assert (row.user_id, row.caller) == (admin_user.id, "web")
    assert admin_client.post("/admin/projects/del/999").status_code == 404
    assert Category.query.count() == 3

"""/admin/auditlog: every project's rows for admins, with a project filter."""
from pybossa_admin.services import projects as project_service

from ... import factories


def test_anonymous_and_non_admin_are_refused(client, user_client, app):
    response = client.get("/admin/auditlog/")
    assert response.status_code == 302 and "/account/signin" in response.headers["Location"]
    assert user_client.get("/admin/auditlog/").status_code == 403
    assert user_client.get_json("/admin/auditlog/").status_code == 403
    assert user_client.get("/admin/auditlog/export?format=csv").status_code == 403


def test_admin_sees_all_projects_newest_first(admin_client, admin_user, app):
    a = factories.project(short_name="apple")
    b = factories.project(short_name="banana")
    project_service.update(a, admin_user, {"description": "first"})
    project_service.update(b, admin_user, {"description": "second"})
    html = admin_client.get("/admin/auditlog/").get_data(as_text=True)
    assert "<th>Project</th>" in html and "apple" in html and "banana" in html
    data = admin_client.get_json("/admin/auditlog/").get_json()
    assert data["template"] == "audit/admin_auditlog.html"
    assert [log["project_short_name"] for log in data["logs"]] == ["banana", "apple"]


def test_project_filter(admin_client, admin_user, app):
    a = factories.project(short_name="apple")
    b = factories.project(short_name="banana")
    project_service.update(a, admin_user, {"description": "first"})
    project_service.update(b, admin_user, {"description": "second"})
    data = admin_client.get_json("/admin/auditlog/?project=Apple").get_json()
    assert [log["new_value"] for log in data["logs"]] == ["first"]
    assert data["filters"]["project"] == "Apple"
    assert admin_client.get_json("/admin/auditlog/?project=nothing").get_json()["logs"] == []


def test_admin_menu_and_card(admin_client, admin_user, app):
    project = factories.project(short_name="apple")
    project_service.update(project, admin_user, {"description": "x"})
    data = admin_client.get_json("/admin/").get_json()
    card = next(c for c in data["cards"] if c["plugin"] == "audit")
    assert card["count"] == 1
    assert 'href="/admin/auditlog/"' in admin_client.get("/admin/").get_data(as_text=True)


def test_project_filter_finds_rows_of_deleted_projects(admin_client, admin_user, app):
    project = factories.project(short_name="gone")
    project_service.update(project, admin_user, {"description": "before"})
    project_service.delete(project, admin_user)
    data = admin_client.get_json("/admin/auditlog/?project=gone").get_json()
    assert [log["action"] for log in data["logs"]] == ["delete", "update"]

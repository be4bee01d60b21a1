"""/project/<short_name>/auditlog: who may read it, what it shows, filters and pages (PYBOSSA behaviour 35)."""
from pybossa_admin.services import projects as project_service

from ... import factories


def _changes(project, by, n=3):
    for i in range(n):
        project_service.update(project, by, {"description": f"Description {i}"}, caller="web")


def test_anonymous_is_sent_to_sign_in(client, app):
    project = factories.project(short_name="apple")
    response = client.get("/project/apple/auditlog")
    assert response.status_code == 302
    assert "/account/signin" in response.headers["Location"]
    response = client.get_json("/project/apple/auditlog")
    assert response.status_code == 302
    assert project.id


def test_non_pro_owner_gets_403(client, app):
    owner = factories.user(name="owner")
    factories.project(owner=owner, short_name="apple")
    client.signin(owner)
    assert client.get("/project/apple/auditlog").status_code == 403
    response = client.get_json("/project/apple/auditlog")
    assert response.status_code == 403
    assert response.get_json()["code"] == 403


def test_pro_user_who_does_not_own_gets_403(client, app):
    factories.project(short_name="apple")
    pro = factories.user(name="pro", pro=True)
    client.signin(pro)
    assert client.get("/project/apple/auditlog").status_code == 403


def test_pro_owner_and_admin_get_200(client, admin_client, app):
    owner = factories.user(name="owner", pro=True)
    project = factories.project(owner=owner, short_name="apple")
    _changes(project, owner, 2)
    client.signin(owner)
    html = client.get("/project/apple/auditlog").get_data(as_text=True)
    for column in ("When", "Action", "Source", "Attribute", "Who", "Old value", "New value"):
        assert f"<th>{column}</th>" in html
    assert "Description 1" in html and "(you)" in html
    data = admin_client.get_json("/project/apple/auditlog").get_json()
    assert data["template"] == "audit/project_auditlog.html"
    assert [log["new_value"] for log in data["logs"]] == ["Description 1", "Description 0"]
    assert data["project"]["short_name"] == "apple"


def test_unknown_project_is_404(admin_client):
    assert admin_client.get("/project/nope/auditlog").status_code == 404
    assert admin_client.get_json("/project/nope/auditlog").get_json()["code"] == 404


def test_only_rows_of_that_project(admin_client, admin_user, app):
    a = factories.project(short_name="apple")
    b = factories.project(short_name="banana")
    _changes(a, admin_user, 2)
    _changes(b, admin_user, 1)
    data = admin_client.get_json("/project/apple/auditlog").get_json()
    assert {log["project_short_name"] for log in data["logs"]} == {"apple"}
    assert len(data["logs"]) == 2


def test_filters_by_action_attribute_and_user(admin_client, admin_user, app):
    owner = factories.user(name="owner", pro=True)
    project = factories.project(owner=owner, short_name="apple")
    project_service.update(project, owner, {"name": "Apple 2"})
    project_service.update(project, admin_user, {"description": "changed by root"})
    project_service.update(project, owner, {"info": {"task_presenter": "<p>x</p>", "sched": "depth_first"}})
    from pybossa_admin.services import audit
    audit.note(project, admin_user, "web", "project", "Saved", "Deleted", action="delete")
    from pybossa_admin.extensions import db
    db.session.commit()

    def logs(query):
        return admin_client.get_json(f"/project/apple/auditlog?{query}").get_json()["logs"]

    assert [log["attribute"] for log in logs("action=delete")] == ["project"]
    assert [log["new_value"] for log in logs("attribute=sched")] == ["depth_first"]
    assert {log["user_name"] for log in logs("user=OWNER")} == {"owner"}
    assert len(logs("user=owner")) == 3
    assert [log["attribute"] for log in logs("user=root&action=update")] == ["description"]


def test_bad_filter_is_400_with_a_message(admin_client, app):
    factories.project(short_name="apple")
    response = admin_client.get_json("/project/apple/auditlog?action=drop")
    assert response.status_code == 400
    assert "action must be one of" in response.get_json()["description"]
    assert admin_client.get("/project/apple/auditlog?per_page=abc").status_code == 400
    assert admin_client.get("/project/apple/auditlog?per_page=100000").status_code == 400
    assert admin_client.get("/project/apple/auditlog?before=1&after=2").status_code == 400


def test_keyset_pages_newest_first(admin_client, admin_user, app):
    project = factories.project(short_name="apple")
    _changes(project, admin_user, 7)
    first = admin_client.get_json("/project/apple/auditlog?per_page=3").get_json()
    assert [log["new_value"] for log in first["logs"]] == ["Description 6", "Description 5", "Description 4"]
    assert first["newer_url"] is None and first["older_url"]
    second = admin_client.get_json(first["older_url"]).get_json()
    assert [log["new_value"] for log in second["logs"]] == ["Description 3", "Description 2", "Description 1"]
    third = admin_client.get_json(second["older_url"]).get_json()
    assert [log["new_value"] for log in third["logs"]] == ["Description 0"]
    assert third["older_url"] is None
    back = admin_client.get_json(third["newer_url"]).get_json()
    assert [log["new_value"] for log in back["logs"]] == ["Description 3", "Description 2", "Description 1"]
    assert "per_page=3" in back["newer_url"]


def test_secret_values_are_withheld(admin_client, admin_user, app):
    project = factories.project(short_name="apple")
    project_service.update(project, admin_user, {"secret_key": "s3cr3t-value"})
    response = admin_client.get("/project/apple/auditlog")
    html = response.get_data(as_text=True)
    assert "(withheld)" in html and "s3cr3t-value" not in html
    data = admin_client.get_json("/project/apple/auditlog").get_data(as_text=True)
    assert "s3cr3t-value" not in data

"""Organizations: create, rename, delete only when empty, members and projects."""
import pytest
from sqlalchemy import select

from pybossa_admin.extensions import db
from pybossa_admin.models import AuditLog, LogEvent, Organization, Project, User
from pybossa_admin.services import organizations as service

from ... import factories

BASE = "/admin/organizations"


@pytest.fixture
def org(app, admin_user):
    return service.create("Acme Labs", admin_user, description="Rockets")


def _events(prefix="organization."):
    return [e.event for e in db.session.scalars(select(LogEvent).where(LogEvent.event.like(prefix + "%"))
                                                .order_by(LogEvent.id))]


def test_anonymous_and_non_admin_are_refused(client, user_client, org):
    for target in (BASE + "/", f"{BASE}/{org.id}"):
        assert client.get(target).status_code == 302
        assert user_client.get(target).status_code == 403
        assert user_client.get_json(target).status_code == 403
    assert user_client.post(BASE + "/create", {"name": "Nope"}).status_code == 403
    assert user_client.post(f"{BASE}/{org.id}/delete").status_code == 403
    assert db.session.scalar(select(Organization).where(Organization.name == "Nope")) is None


def test_create_from_the_form(admin_client):
    response = admin_client.post(BASE + "/create", {"name": "  Open   Science ", "description": "Hi"})
    assert response.status_code == 302
    org = db.session.scalar(select(Organization).where(Organization.name == "Open Science"))
    assert org.short_name == "open-science" and org.description == "Hi"
    assert response.headers["Location"].endswith(f"{BASE}/{org.id}")
    assert _events() == ["organization.created"]


def test_create_refuses_duplicates_and_bad_input(admin_client, org):
    duplicate = admin_client.post(BASE + "/create", {"name": "acme labs"})
    assert duplicate.status_code == 409 and "already exists" in duplicate.get_data(as_text=True)
    bad_short = admin_client.post(BASE + "/create?response_format=json", {"name": "X", "short_name": "Not Valid!"})
    assert bad_short.status_code == 400 and "Short name" in bad_short.get_json()["flash"]
    empty = admin_client.post(BASE + "/create?response_format=json", {"name": ""})
    assert empty.status_code == 400 and empty.get_json()["flash"]
    assert admin_client.post(BASE + "/create", {"name": "No token"}, csrf=False).status_code == 400
    assert db.session.scalar(select(Organization).where(Organization.name == "No token")) is None


def test_list_html_and_json_with_counts(admin_client, org, user):
    service.add_member(org, user, None)
    factories.project(owner=user, organization_id=org.id)
    html = admin_client.get(BASE + "/").get_data(as_text=True)
    assert "Acme Labs" in html and 'id="create-organization"' in html
    data = admin_client.get_json(BASE + "/").get_json()
    (row,) = data["organizations"]
    assert row["name"] == "Acme Labs" and row["members"] == 1 and row["projects"] == 1
    assert data["total"] == 1


def test_rename(admin_client, org):
    response = admin_client.post(f"{BASE}/{org.id}/rename", {"name": "Acme Rockets"})
    assert response.status_code == 302
    db.session.refresh(org)
    assert org.name == "Acme Rockets"
    other = service.create("Other", None)
    clash = admin_client.post(f"{BASE}/{other.id}/rename?response_format=json", {"name": "acme rockets"})
    assert clash.status_code == 409 and "already exists" in clash.get_json()["flash"]
    assert "organization.renamed" in _events()
    assert admin_client.post(f"{BASE}/999/rename", {"name": "Z"}).status_code == 404


def test_members_add_by_name_or_email_and_remove(admin_client, org, user):
    assert admin_client.post(f"{BASE}/{org.id}/members", {"user": "JOE"}).status_code == 302
    db.session.refresh(user)
    assert user.organization_id == org.id
    second = factories.user(name="sue")
    assert admin_client.post(f"{BASE}/{org.id}/members", {"user": "sue@example.org"}).status_code == 302
    detail = admin_client.get_json(f"{BASE}/{org.id}").get_json()
    assert {m["name"] for m in detail["members"]} == {"joe", "sue"} and detail["member_total"] == 2
    html = admin_client.get(f"{BASE}/{org.id}").get_data(as_text=True)
    assert f'id="member-{second.id}"' in html
    missing = admin_client.post(f"{BASE}/{org.id}/members?response_format=json", {"user": "nobody"})
    assert missing.status_code == 404 and "nobody" in missing.get_json()["flash"]
    assert admin_client.post(f"{BASE}/{org.id}/members/{user.id}/remove").status_code == 302
    db.session.refresh(user)
    assert user.organization_id is None
    again = admin_client.post(f"{BASE}/{org.id}/members/{user.id}/remove")
    assert again.status_code == 404
    assert {"organization.member_added", "organization.member_removed"} <= set(_events())


def test_projects_add_and_remove_are_audited(admin_client, org, user):
    project = factories.project(owner=user, short_name="moon")
    assert admin_client.post(f"{BASE}/{org.id}/projects", {"project": "moon"}).status_code == 302
    db.session.refresh(project)
    assert project.organization_id == org.id
    rows = list(db.session.scalars(select(AuditLog).where(AuditLog.project_id == project.id)))
    assert [(r.attribute, r.old_value, r.new_value) for r in rows] == [("organization_id", "", str(org.id))]
    assert admin_client.get_json(f"{BASE}/{org.id}").get_json()["projects"][0]["short_name"] == "moon"
    assert admin_client.post(f"{BASE}/{org.id}/projects", {"project": "nope"}).status_code == 404
    assert admin_client.post(f"{BASE}/{org.id}/projects/{project.id}/remove").status_code == 302
    db.session.refresh(project)
    assert project.organization_id is None
    assert db.session.query(AuditLog).filter_by(project_id=project.id).count() == 2


def test_delete_is_refused_while_it_has_members_or_projects(admin_client, org, user):
    service.add_member(org, user, None)
    factories.project(owner=user, organization_id=org.id)
    factories.project(owner=user, organization_id=org.id)
    response = admin_client.post(f"{BASE}/{org.id}/delete")
    assert response.status_code == 409
    assert "1 member and 2 projects" in response.get_data(as_text=True)
    as_json = admin_client.post(f"{BASE}/{org.id}/delete?response_format=json")
    assert as_json.status_code == 409 and "1 member and 2 projects" in as_json.get_json()["flash"]
    assert db.session.get(Organization, org.id) is not None


def test_delete_when_empty(admin_client, org):
    response = admin_client.post(f"{BASE}/{org.id}/delete")
    assert response.status_code == 302 and response.headers["Location"].endswith(BASE + "/")
    db.session.expire_all()
    assert db.session.get(Organization, org.id) is None
    assert "organization.deleted" in _events()
    assert admin_client.post(f"{BASE}/{org.id}/delete").status_code == 404


def test_moving_a_member_from_one_organization_to_another(admin_client, org, user):
    other = service.create("Beta", None)
    service.add_member(org, user, None)
    response = admin_client.post(f"{BASE}/{other.id}/members?response_format=json", {"user": "joe"})
    assert "moved from Acme Labs" in response.get_json()["flash"]
    assert db.session.get(User, user.id).organization_id == other.id


def test_bad_page_numbers_are_400(admin_client, org):
    assert admin_client.get(BASE + "/?page=zero").status_code == 400
    assert admin_client.get(f"{BASE}/{org.id}?members_page=-1").status_code == 400


def test_service_messages_name_the_counts(app, admin_user, org):
    factories.project(owner=admin_user, organization_id=org.id)
    with pytest.raises(service.OrganizationError) as caught:
        service.delete(org, admin_user)
    assert "0 members and 1 project" in str(caught.value) and caught.value.status == 409
    assert db.session.scalar(select(Project).where(Project.organization_id == org.id)) is not None

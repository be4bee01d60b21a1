"""Point 4: /admin/featured lists published projects by category; POST/DELETE /admin/featured/<id>."""
import pytest

from pybossa_admin.extensions import db
from pybossa_admin.models import AuditLog, Project

from ... import factories


@pytest.fixture
def projects(app, admin_user):
    owner = factories.user(name="owner")
    biology = factories.category(name="Biology")
    return {"galaxy": factories.project(owner=owner, name="Galaxy Zoo"),
            "birds": factories.project(owner=owner, name="Bird Count", category_id=biology.id),
            "draft": factories.project(owner=owner, name="Half Done", published=False, presenter=False)}


def _json_headers(client):
    return {"X-CSRFToken": client.csrf_token()}


def test_anonymous_and_non_admin_are_refused(client, user_client, projects):
    pid = projects["galaxy"].id
    for url in ("/admin/featured", "/admin/featured?response_format=json"):
        response = client.get(url)
        assert response.status_code == 302 and "/account/signin" in response.headers["Location"]
        assert b"Galaxy" not in response.get_data()
    assert user_client.get("/admin/featured").status_code == 403
    assert user_client.get_json("/admin/featured").get_json()["code"] == 403
    for method in (user_client.post, user_client.delete):
        assert method(f"/admin/featured/{pid}").status_code == 403
    assert client.post(f"/admin/featured/{pid}").status_code == 302
    assert client.delete(f"/admin/featured/{pid}").status_code == 302
    assert db.session.get(Project, pid).featured is False


def test_page_lists_published_projects_grouped_by_category(admin_client, projects):
    html = admin_client.get("/admin/featured").get_data(as_text=True)
    assert "Manage featured projects" in html
    assert "Galaxy Zoo" in html and "Bird Count" in html and "Half Done" not in html
    assert 'id="category-biology"' in html and 'id="category-thinking"' in html
    data = admin_client.get_json("/admin/featured").get_json()
    assert data["template"] == "featured/index.html"
    assert data["form"]["csrf"]
    assert {c["short_name"] for c in data["categories"]} == {"thinking", "sensing", "biology"}
    assert [p["name"] for p in data["projects"]["thinking"]] == ["Galaxy Zoo"]
    assert [p["name"] for p in data["projects"]["biology"]] == ["Bird Count"]
    assert data["projects"]["sensing"] == []
    assert data["projects"]["thinking"][0]["featured"] is False


def test_feature_then_unfeature_as_json(admin_client, admin_user, projects):
    pid = projects["galaxy"].id
    response = admin_client.raw.post(f"/admin/featured/{pid}", headers=_json_headers(admin_client))
    assert response.status_code == 200
    assert response.get_json()["id"] == pid and response.get_json()["featured"] is True
    assert "Remove from Featured" in admin_client.get("/admin/featured").get_data(as_text=True)
    home = admin_client.get_json("/").get_json()                              # the home page features it
    assert [p["name"] for p in home["featured"]] == ["Galaxy Zoo"]

    again = admin_client.raw.post(f"/admin/featured/{pid}", headers=_json_headers(admin_client))
    assert again.status_code == 415
    assert again.get_json()["error"] == f"Project.id {pid} already featured"
    assert again.get_json()["status_code"] == 415

    response = admin_client.delete(f"/admin/featured/{pid}")
    assert response.status_code == 200 and response.get_json()["featured"] is False
    page = admin_client.get("/admin/featured").get_data(as_text=True)
    assert f'id="feature-{pid}"' in page and "Add to Featured" in page
    again = admin_client.delete(f"/admin/featured/{pid}")
    assert again.status_code == 415 and again.get_json()["error"] == f"Project.id {pid} is not featured"

    rows = AuditLog.query.filter_by(project_id=pid, attribute="featured").order_by(AuditLog.id).all()
    assert [(r.old_value, r.new_value, r.user_id, r.caller) for r in rows] == [
        ("false", "true", admin_user.id, "web"), ("true", "false", admin_user.id, "web")]


def test_unknown_project_is_404(admin_client):
    for method in (admin_client.delete, lambda url: admin_client.raw.post(url, headers=_json_headers(admin_client))):
        response = method("/admin/featured/999")
        assert response.status_code == 404
        assert response.get_json()["error"] == "Project.id 999 not found"


def test_a_draft_cannot_be_featured(admin_client, projects):
    pid = projects["draft"].id
    response = admin_client.raw.post(f"/admin/featured/{pid}", headers=_json_headers(admin_client))
    assert response.status_code == 415 and "draft" in response.get_json()["error"]
    assert db.session.get(Project, pid).featured is False


def test_csrf_is_required(admin_client, projects):
    pid = projects["galaxy"].id
    assert admin_client.raw.post(f"/admin/featured/{pid}").status_code == 400
    assert admin_client.delete(f"/admin/featured/{pid}", csrf=False).status_code == 400
    assert db.session.get(Project, pid).featured is False


def test_browser_buttons_post_forms_and_come_back_with_a_flash(admin_client, projects):
    pid = projects["birds"].id
    response = admin_client.post(f"/admin/featured/{pid}")
    assert response.status_code == 302 and response.headers["Location"].startswith("/admin/featured")
    assert "Bird Count is now featured." in admin_client.get("/admin/featured").get_data(as_text=True)
    assert db.session.get(Project, pid).featured is True
    response = admin_client.post(f"/admin/featured/{pid}", {"_method": "DELETE"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Project, pid).featured is False
    response = admin_client.post(f"/admin/featured/{pid}", {"_method": "DELETE"})
    assert response.status_code == 302
    assert f"Project.id {pid} is not featured" in admin_client.get("/admin/featured").get_data(as_text=True)

from pybossa_admin.models import Category, User

from .. import factories


def test_default_categories_exist_on_fresh_install(app):
    names = {c.name for c in Category.query.all()}
    assert names == {"Thinking", "Sensing"}


def test_admin_index_requires_admin(client, app):
    assert client.get("/admin/").status_code == 302
    joe = factories.user(name="joe")
    client.signin(joe)
    assert client.get("/admin/").status_code == 403


def test_admin_index_for_admin(admin_client):
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    data = admin_client.get_json("/admin/").get_json()
    assert data["template"] == "admin_shell/index.html"

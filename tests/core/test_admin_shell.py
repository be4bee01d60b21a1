"""The admin shell: deny by default (302 / 403, HTML and JSON), JSON on request, menus hidden from
non-admins, and the app-wide guard that also covers a plugin that forgot its own check."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from flask import g
from flask_login import login_user

from pybossa_admin.extensions import db

from .. import factories
from ..conftest import Client
from .plugin_kit import write_page_plugin, write_plugin

UNGUARDED = '''
from flask import Blueprint
from pybossa_admin.plugin import MenuItem, Plugin

bp = Blueprint("careless", __name__, url_prefix="/admin/careless")


@bp.route("/")
def page():  # no admin_required: the app-wide guard must still close it
    return "careless page"


plugin = Plugin(name="careless", version="1.0", blueprints=(bp,),
                menu=(MenuItem("Careless", "careless.page"),))
'''


@pytest.fixture
def shell(make_app, tmp_path):
    folder = tmp_path / "plugins"
    write_page_plugin(folder, "hello", label="Hello page")
    write_plugin(folder, "careless", UNGUARDED)
    app = make_app(PLUGINS_FOLDER=str(folder))
    with app.app_context():
        yield app
        db.session.remove()


def _signed_in(app, **fields) -> Client:
    client = Client(app)
    client.signin(factories.user(**fields))
    return client


@pytest.mark.parametrize("path", ["/admin/", "/admin/hello/", "/admin/careless/"])
def test_anonymous_is_sent_to_sign_in(shell, path):
    client = Client(shell)
    for response in (client.get(path), client.get_json(path)):
        assert response.status_code == 302
        location = urlsplit(response.headers["Location"])
        assert location.path == "/account/signin" and "next=" in location.query


@pytest.mark.parametrize("path", ["/admin/", "/admin/hello/", "/admin/careless/"])
def test_non_admin_gets_403_html_and_json(shell, path):
    client = _signed_in(shell, name="joe")
    html = client.get(path)
    assert html.status_code == 403 and "<html" in html.get_data(as_text=True)
    data = client.get_json(path)
    assert data.status_code == 403 and data.get_json()["code"] == 403
    by_header = client.raw.get(path, headers={"Content-Type": "application/json"})
    assert by_header.status_code == 403 and by_header.is_json


def test_admin_pages_answer_json(shell):
    client = _signed_in(shell, name="root", admin=True)
    data = client.get_json("/admin/").get_json()
    assert data["template"] == "admin_shell/index.html" and "csrf" in data
    page = client.raw.get("/admin/hello/", headers={"Content-Type": "application/json"})
    assert page.is_json and page.get_json()["message"] == "hello page"
    assert client.get("/admin/careless/").get_data(as_text=True) == "careless page"


def test_admin_sees_plugin_menu_items(shell):
    client = _signed_in(shell, name="root", admin=True)
    html = client.get("/admin/").get_data(as_text=True)
    assert 'href="/admin/hello/"' in html and "Hello page" in html
    assert 'href="/admin/careless/"' in html and "Careless" in html
    assert 'id="admin-user"' in html and 'id="signout"' in html


def test_menu_items_are_hidden_from_non_admins(shell):
    admin = shell.extensions["pybossa_admin"]["admin"]
    joe = factories.user(name="joe")
    root = factories.user(name="root", admin=True)

    def visible(user):
        g.__dict__.clear()
        with shell.test_request_context("/"):
            login_user(user)
            found = set()
            for item in admin.menu():
                found.update(child.name for child in ([item] + list(item.get_children()))
                             if child.is_visible() and child.is_accessible())
            found.update(link.name for link in admin.menu_links() if link.is_visible())
            return found

    assert {"Hello page", "Careless"} <= visible(root)
    assert not {"Hello page", "Careless"} & visible(joe)


def test_admin_link_in_site_navigation_only_for_admins(shell):
    assert 'id="nav-admin"' not in _signed_in(shell, name="joe").get("/").get_data(as_text=True)
    assert 'id="nav-admin"' in _signed_in(shell, name="root", admin=True).get("/").get_data(as_text=True)

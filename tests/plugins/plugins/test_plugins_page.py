"""The Plugins page: listing, import errors, enable/disable persisted and applied on restart."""
import os

from sqlalchemy import select

from pybossa_admin.extensions import db
from pybossa_admin.models import LogEvent, PluginState

from ...conftest import Client

PAGE = "/admin/plugins/"
PLUGINS_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))), "plugins")


def _state(name):
    row = db.session.get(PluginState, name)
    return None if row is None else row.enabled


def test_anonymous_and_non_admin_are_refused(client, user_client):
    assert client.get(PAGE).status_code == 302
    assert user_client.get(PAGE).status_code == 403
    assert user_client.get_json(PAGE).status_code == 403
    assert user_client.post("/admin/plugins/organizations/disable").status_code == 403
    assert _state("organizations") is None


def test_every_discovered_plugin_is_listed(app, admin_client):
    from pybossa_admin.plugin.loader import plugin_records
    data = admin_client.get_json(PAGE).get_json()
    listed = {p["name"]: p for p in data["plugins"]}
    assert set(listed) == {r.name for r in plugin_records(app)}
    mine = listed["plugins"]
    assert mine["version"] == "1.0.0" and mine["source"] == "folder" and mine["loaded"] is True
    assert mine["enabled"] is True and mine["status"] == "loaded" and mine["description"]
    assert mine["location"].endswith(os.path.join("plugins", "plugins"))
    html = admin_client.get(PAGE).get_data(as_text=True)
    assert 'id="plugin-accounts"' in html and "takes effect when the platform restarts" in html
    assert 'id="no-import-errors"' in html


def test_disable_is_persisted_and_applies_after_a_restart(app, make_app, admin_client, admin_user):
    assert admin_client.get("/admin/organizations/").status_code == 200
    response = admin_client.post("/admin/plugins/organizations/disable")
    assert response.status_code == 302
    assert _state("organizations") is False
    event = db.session.scalar(select(LogEvent).where(LogEvent.event == "plugin.disabled"))
    assert event.data == {"plugin": "organizations"} and event.user_name == "root"
    # Still running until the restart, and the page says so.
    assert admin_client.get("/admin/organizations/").status_code == 200
    data = admin_client.get_json(PAGE).get_json()
    row = next(p for p in data["plugins"] if p["name"] == "organizations")
    assert row["enabled"] is False and row["active"] is True and row["pending_restart"] is True
    assert data["pending_restart"] is True

    restarted = make_app()  # a restart = a new app on the same database
    with restarted.app_context():
        fresh = Client(restarted)
        fresh.signin(admin_user)
        assert fresh.get("/admin/organizations/").status_code == 404
        assert fresh.get_json("/admin/organizations/").status_code == 404
        index = fresh.get("/admin/").get_data(as_text=True)
        assert 'href="/admin/organizations/"' not in index
        assert 'href="/admin/accounts/"' in index
        assert fresh.post("/admin/plugins/organizations/enable").status_code == 302
        assert fresh.get("/admin/organizations/").status_code == 404  # until the next restart

    again = make_app()
    with again.app_context():
        fresh = Client(again)
        fresh.signin(admin_user)
        assert fresh.get("/admin/organizations/").status_code == 200
        assert 'href="/admin/organizations/"' in fresh.get("/admin/").get_data(as_text=True)


def test_the_plugins_plugin_cannot_disable_itself(admin_client):
    response = admin_client.post("/admin/plugins/plugins/disable")
    assert response.status_code == 400
    assert "cannot be disabled from the web" in response.get_data(as_text=True)
    as_json = admin_client.post("/admin/plugins/plugins/disable?response_format=json")
    assert as_json.status_code == 400 and "cannot be disabled" in as_json.get_json()["flash"]
    assert _state("plugins") is None


def test_unknown_plugin_get_and_csrf(admin_client):
    assert admin_client.post("/admin/plugins/nothing_here/disable").status_code == 404
    assert admin_client.get("/admin/plugins/organizations/disable").status_code == 405
    assert admin_client.post("/admin/plugins/organizations/disable", csrf=False).status_code == 400
    assert _state("organizations") is None


def test_restart_link_points_at_the_actions_page_when_it_exists(make_app, admin_user):
    for disabled, expect_link in (([], True), (["actions"], False)):
        app = make_app(PLUGINS_DISABLED=disabled)
        with app.app_context():
            c = Client(app)
            c.signin(admin_user)
            html = c.get(PAGE).get_data(as_text=True)
            has_actions = "actions.index" in app.view_functions
            assert has_actions is expect_link
            assert ('href="/admin/actions/" id="restart-link"' in html) is expect_link
            assert (c.get_json(PAGE).get_json()["restart_url"] == "/admin/actions/") is expect_link


def test_import_errors_show_the_traceback_and_the_platform_still_starts(make_app, tmp_path, admin_user):
    folder = tmp_path / "some_plugins"
    folder.mkdir()
    os.symlink(os.path.join(PLUGINS_DIR, "plugins"), folder / "plugins")
    broken = folder / "brokenthing"
    broken.mkdir()
    (broken / "__init__.py").write_text("import this_module_does_not_exist_anywhere\n")
    app = make_app(PLUGINS_FOLDER=str(folder), PLUGINS_STRICT=False)
    with app.app_context():
        c = Client(app)
        c.signin(admin_user)
        data = c.get_json(PAGE).get_json()
        (failed,) = data["import_errors"]
        assert failed["name"] == "brokenthing" and failed["status"] == "failed" and failed["loaded"] is False
        assert "ModuleNotFoundError" in failed["error"] and "Traceback" in failed["error"]
        html = c.get(PAGE).get_data(as_text=True)
        assert 'data-plugin="brokenthing"' in html and "this_module_does_not_exist_anywhere" in html


def test_enabling_a_plugin_listed_in_settings_says_settings_win(make_app, admin_user):
    app = make_app(PLUGINS_DISABLED=["organizations"])
    with app.app_context():
        c = Client(app)
        c.signin(admin_user)
        row = next(p for p in c.get_json(PAGE).get_json()["plugins"] if p["name"] == "organizations")
        assert row["disabled_by_settings"] is True and row["loaded"] is False
        response = c.post("/admin/plugins/organizations/enable?response_format=json")
        assert "PLUGINS_DISABLED" in response.get_json()["flash"]

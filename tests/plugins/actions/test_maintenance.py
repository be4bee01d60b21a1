"""Maintenance mode: writes refused with 503 (API and volunteer pages), a banner everywhere, admins keep working."""
import time

from sqlalchemy import event

from pybossa_admin.extensions import db
from pybossa_admin.models import AppSetting, LogEvent

from ... import factories

URL = "/admin/actions/maintenance"
MESSAGE = "Upgrading the database, back at 5pm"


def turn(client, mode, message=""):
    response = client.post(URL, {"confirm": "yes", "mode": mode, "message": message})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]


def test_on_refuses_contributions_and_edits_with_503_and_a_banner(app, admin_client, client_for):
    owner = factories.user(name="joe")
    project = factories.project(owner=owner, short_name="birds")
    task = factories.task(project)
    turn(admin_client, "on", MESSAGE)

    volunteer = client_for()
    volunteer.signin(owner)  # signing in still works
    # Volunteer pages: an edit is refused with the message, as a page or as JSON.
    page = volunteer.post("/project/birds/settings", {"name": "Renamed"})
    assert page.status_code == 503 and MESSAGE in page.get_data(as_text=True)
    assert 'id="maintenance-503"' in page.get_data(as_text=True) and page.headers["Retry-After"]
    as_json = volunteer.post("/project/new?response_format=json", {"name": "x", "short_name": "x"})
    assert as_json.status_code == 503 and as_json.get_json()["description"] == MESSAGE
    # The API: contributions and edits get PYBOSSA's error shape.
    for method, path, body in (("post", "/api/taskrun", {"project_id": project.id, "task_id": task.id,
                                                           "info": {"a": 1}}),
                               ("put", f"/api/project/{project.id}", {"name": "x"}),
                               ("delete", f"/api/task/{task.id}", None)):
        response = getattr(volunteer.raw, method)(path + f"?api_key={owner.api_key}", json=body)
        assert response.status_code == 503, (method, path)
        data = response.get_json()
        assert data["status"] == "failed" and data["status_code"] == 503 and data["exception_msg"] == MESSAGE
    # Reads keep working, and every page shows the banner.
    home = volunteer.get("/")
    assert home.status_code == 200 and 'id="maintenance-banner"' in home.get_data(as_text=True)
    assert MESSAGE in home.get_data(as_text=True)
    assert volunteer.get(f"/api/project/{project.id}").status_code == 200
    db.session.expire_all()
    assert db.session.get(type(project), project.id).name != "Renamed"


def test_admin_keeps_working_and_turns_it_off(app, admin_client, client_for):
    owner = factories.user(name="joe")
    factories.project(owner=owner, short_name="birds")
    turn(admin_client, "on", MESSAGE)
    admin_page = admin_client.get("/admin/actions/")
    assert admin_page.status_code == 200 and 'id="maintenance-banner"' in admin_page.get_data(as_text=True)
    assert admin_client.get_json("/admin/actions/").get_json()["state"]["maintenance"]["message"] == MESSAGE
    # Admin POSTs under /admin still work (here: a backfill) and sign-in works for everyone.
    assert admin_client.post("/admin/stats/backfill", {"days": "3"}).status_code == 302
    fresh = client_for()
    assert fresh.post("/account/signin", {"name": "joe", "password": factories.PASSWORD}).status_code == 302
    turn(admin_client, "off")
    assert 'id="maintenance-banner"' not in fresh.get("/").get_data(as_text=True)
    response = fresh.post("/project/birds/settings", {"name": "Renamed"})
    assert response.status_code != 503
    rows = db.session.query(LogEvent).filter(LogEvent.event.like("maintenance.%")).order_by(LogEvent.id).all()
    assert [(r.event, r.user_name, r.channel) for r in rows] == [("maintenance.on", "root", "platform"),
                                                                 ("maintenance.off", "root", "platform")]
    assert rows[0].data["message"] == MESSAGE
    assert db.session.get(AppSetting, "maintenance").value["on"] is False


def test_bad_mode_or_too_long_message_is_400(admin_client):
    assert admin_client.post(URL, {"confirm": "yes", "mode": "sideways"}).status_code == 400
    assert admin_client.post(URL, {"confirm": "yes", "mode": "on", "message": "x" * 501}).status_code == 400
    assert db.session.get(AppSetting, "maintenance") is None


def test_flag_is_cached_so_requests_do_not_query_it(app, admin_client):
    """Another process turning it on is seen within the cache window, and the flag costs no query per request."""
    statements = []

    def count(conn, cursor, statement, *args):
        if "app_setting" in statement:
            statements.append(statement)

    admin_client.get("/")
    db.session.add(AppSetting(key="maintenance", value={"on": True, "message": "from elsewhere"}))
    db.session.commit()
    engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        for _ in range(10):
            assert 'id="maintenance-banner"' not in admin_client.get("/").get_data(as_text=True)
        assert statements == []
        app.extensions["pybossa_admin"]["actions_maintenance_cache"]["at"] = time.monotonic() - 6  # window over
        assert "from elsewhere" in admin_client.get("/").get_data(as_text=True)
        assert len(statements) == 1
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_disabled_actions_plugin_does_not_block(make_app):
    from pybossa_admin.models import PluginState
    from tests.conftest import Client
    app = make_app(ACTIONS_MAINTENANCE_CACHE_SECONDS=0)
    with app.app_context():
        db.session.add(PluginState(name="actions", enabled=False))
        db.session.add(AppSetting(key="maintenance", value={"on": True, "message": "stale flag"}))
        db.session.commit()
        c = Client(app)
        assert "stale flag" not in c.get("/").get_data(as_text=True)
        assert c.post("/api/taskrun", json={}, csrf=False).status_code != 503
        db.session.remove()

"""/admin/actions: guards, confirmation, and the logged outcomes of restart and dashboard refresh."""
import pytest

from pybossa_admin.extensions import db
from pybossa_admin.models import LogEvent, PluginState, Snapshot

from ... import factories

URL = "/admin/actions/"
ACTIONS = ("restart-workers", "restart-web", "refresh-dashboard", "maintenance")


def platform_rows(event):
    db.session.expire_all()
    return db.session.query(LogEvent).filter_by(channel="platform", event=event).all()


def test_anonymous_and_non_admin_are_refused(client, user_client):
    for url in [URL, "/admin/actions"] + [URL + a for a in ACTIONS] + [URL + "purge?project=x"]:
        response = client.get(url)
        assert response.status_code == 302 and "/account/signin" in response.headers["Location"], url
        assert user_client.get(url).status_code == 403, url
        assert user_client.get_json(url).status_code == 403, url
    for action in ACTIONS:
        assert client.post(URL + action, {"confirm": "yes", "mode": "on"}).status_code == 302
        assert user_client.post(URL + action, {"confirm": "yes", "mode": "on"}).status_code == 403
    assert user_client.post(URL + "purge", {"project": "x", "confirm": "x"}).status_code == 403
    assert db.session.query(LogEvent).filter(LogEvent.event.like("action.%")).count() == 0


def test_index_html_and_json(admin_client):
    html = admin_client.get(URL).get_data(as_text=True)
    for card in ("maintenance", "restart-workers", "restart-web", "refresh-dashboard", "purge"):
        assert f'id="action-{card}"' in html
    assert "delete everything" not in html.replace('no "delete everything" button', "")
    data = admin_client.get_json(URL).get_json()
    assert set(data["actions"]) == set(ACTIONS)
    assert data["state"]["maintenance"] is None and data["state"]["web"]["available"] is False


def test_endpoint_is_actions_index(app):
    from flask import url_for
    with app.test_request_context():
        assert url_for("actions.index") == "/admin/actions/"


@pytest.mark.parametrize("action", ACTIONS)
def test_every_action_has_a_confirmation_page_and_refuses_unconfirmed_posts(admin_client, action):
    page = admin_client.get(URL + action)
    assert page.status_code == 200 and 'id="confirm-form"' in page.get_data(as_text=True)
    assert admin_client.get_json(URL + action).get_json()["action"] == action
    response = admin_client.post(URL + action, {"mode": "on"})
    assert response.status_code == 400
    assert "not confirmed" in admin_client.post(URL + action + "?response_format=json",
                                                {"mode": "on"}).get_json()["description"]
    assert admin_client.post(URL + action, {"confirm": "yes"}, csrf=False).status_code == 400
    assert db.session.query(LogEvent).filter(LogEvent.event.like("action.%")).count() == 0
    assert db.session.query(LogEvent).filter(LogEvent.event.like("maintenance.%")).count() == 0


def test_unknown_action_is_404(admin_client):
    assert admin_client.get(URL + "delete-everything").status_code == 404
    assert admin_client.post(URL + "delete-everything", {"confirm": "yes"}).status_code == 404


def test_restart_web_outside_gunicorn_explains_and_logs(admin_client):
    response = admin_client.post(URL + "restart-web?response_format=json", {"confirm": "yes"})
    assert response.status_code == 409 and "gunicorn" in response.get_json()["description"]
    html = admin_client.post(URL + "restart-web", {"confirm": "yes"})
    assert html.status_code == 302
    assert "Not available under this server" in admin_client.get(URL).get_data(as_text=True)
    rows = platform_rows("action.restart_web")
    assert len(rows) == 2 and rows[0].user_name == "root" and rows[0].level == "warning"


def test_refresh_dashboard_runs_the_stats_job(admin_client, app, run_jobs):
    data = admin_client.get_json(URL).get_json()["state"]["dashboard"]
    assert data["available"] and data["function"].startswith("plugins.stats.")
    response = admin_client.post(URL + "refresh-dashboard?response_format=json", {"confirm": "yes"})
    assert response.status_code == 200 and response.get_json()["result"]["job_id"]
    run_jobs(["low"])
    db.session.expire_all()
    assert db.session.query(Snapshot).filter_by(kind="dashboard").count() >= 1
    rows = platform_rows("action.refresh_dashboard")
    assert len(rows) == 1 and rows[0].user_name == "root"
    ran = db.session.query(LogEvent).filter_by(channel="jobs", event="job.periodic").all()
    assert [r.data["periodic"] for r in ran] == [data["job"]]


def test_refresh_dashboard_without_stats_plugin_says_so(make_app):
    app = make_app(PLUGINS_DISABLED=["stats"])
    from tests.conftest import Client
    with app.app_context():
        c = Client(app)
        c.signin(factories.user(name="root", admin=True))
        state = c.get_json(URL).get_json()["state"]["dashboard"]
        assert state["available"] is False and "stats" in state["explanation"]
        response = c.post(URL + "refresh-dashboard?response_format=json", {"confirm": "yes"})
        assert response.status_code == 409 and "not loaded" in response.get_json()["description"]
        assert db.session.query(Snapshot).filter_by(kind="dashboard").count() == 0
        db.session.remove()


def test_refresh_dashboard_with_stats_disabled_in_database(make_app):
    app = make_app()
    from tests.conftest import Client
    with app.app_context():
        db.session.add(PluginState(name="stats", enabled=False))
        db.session.commit()
        c = Client(app)
        c.signin(factories.user(name="root", admin=True))
        response = c.post(URL + "refresh-dashboard?response_format=json", {"confirm": "yes"})
        assert response.status_code == 409 and "disabled" in response.get_json()["description"]
        db.session.remove()

"""/admin/dashboard/: guards, the "no data yet" state and the stored snapshot (PYBOSSA behaviours 23, 24, 28)."""
from pybossa_admin.extensions import db
from pybossa_admin.models import Snapshot

from ... import factories

PYBOSSA_KEYS = {"active_users_last_week", "active_anon_last_week", "draft_projects_last_week",
                "published_projects_last_week", "update_projects_last_week", "new_tasks_week", "new_task_runs_week",
                "new_users_week", "returning_users_week", "update_feed", "template", "title", "wait"}


def test_anonymous_is_sent_to_sign_in(client, app):
    response = client.get("/admin/dashboard/")
    assert response.status_code == 302 and "/account/signin" in response.headers["Location"]
    assert client.get_json("/admin/dashboard/").status_code == 302
    assert client.get("/admin/dashboard/activity").status_code == 302


def test_non_admin_gets_403(user_client):
    assert user_client.get("/admin/dashboard/").status_code == 403
    response = user_client.get_json("/admin/dashboard/")
    assert response.status_code == 403 and response.get_json()["code"] == 403
    assert user_client.get("/admin/dashboard/activity").status_code == 403
    assert user_client.post("/admin/dashboard/refresh").status_code == 403
    assert db.session.query(Snapshot).count() == 0


def test_before_the_first_run_says_no_data_yet(admin_client):
    html = admin_client.get("/admin/dashboard/").get_data(as_text=True)
    assert "No data yet" in html and 'id="refresh-dashboard"' in html
    data = admin_client.get_json("/admin/dashboard/").get_json()
    assert data["wait"] is True and data["title"] == "Dashboard" and data["template"] == "stats/dashboard.html"
    assert data["snapshot"] is None


def test_refresh_button_computes_and_stores_a_snapshot(admin_client, run_jobs, app):
    factories.user(name="newcomer")
    response = admin_client.post("/admin/dashboard/refresh")
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/dashboard/")
    run_jobs(["low"])
    data = admin_client.get_json("/admin/dashboard/").get_json()
    assert data["wait"] is False
    assert PYBOSSA_KEYS <= set(data)
    assert sum(data["new_users_week"]["series"][0]) == 2  # root and newcomer
    assert data["snapshot"]["age_seconds"] >= 0
    html = admin_client.get("/admin/dashboard/").get_data(as_text=True)
    assert "New Users" in html and "No data yet" not in html and "Computed just now" in html


def test_refresh_needs_csrf(admin_client, app):
    response = admin_client.post("/admin/dashboard/refresh", csrf=False)
    assert response.status_code == 400
    assert db.session.query(Snapshot).count() == 0


def test_refresh_get_is_not_allowed(admin_client, app):
    assert admin_client.get("/admin/dashboard/refresh").status_code == 405

"""The refresh job: queue `low` (never `super`), every 24 h, on demand, one pending at a time."""
from rq.registry import FinishedJobRegistry

from pybossa_admin.extensions import db
from pybossa_admin.jobs import get_queue, get_redis
from pybossa_admin.jobs.periodic import schedule_table
from pybossa_admin.models import LogEvent, Snapshot
from plugins.stats import jobs as stats_jobs

from ... import factories

JOB = "plugins.stats.jobs.refresh_dashboard"


def _refresh_jobs_on(queue_name):
    queue = get_queue(queue_name)
    ids = queue.get_job_ids() + FinishedJobRegistry(queue_name, connection=get_redis()).get_job_ids()
    return [j for j in (queue.fetch_job(i) for i in ids) if j and j.meta.get("function") == JOB]


def test_declared_as_a_daily_low_job(app):
    rows = {row["name"]: row for row in schedule_table()}
    assert rows["stats.dashboard"]["queue"] == "low"
    assert rows["stats.dashboard"]["interval"] == 24 * 3600
    assert rows["stats.dashboard"]["function"] == JOB


def test_query_refresh_enqueues_on_low(admin_client, run_jobs, app):
    response = admin_client.get_json("/admin/dashboard/?refresh=1")
    assert response.status_code == 200
    data = response.get_json()
    assert data["status"] in ("success",) and "refresh" in data["flash"].lower()
    assert len(_refresh_jobs_on("low")) == 1
    for other in ("high", "medium", "maintenance"):
        assert _refresh_jobs_on(other) == []
    run_jobs(["low"])
    data = admin_client.get_json("/admin/dashboard/").get_json()
    assert data["wait"] is False
    assert db.session.query(Snapshot).filter_by(kind="dashboard").count() == 1


def test_one_refresh_pending_at_a_time(admin_client, run_jobs, app):
    first = admin_client.post("/admin/dashboard/refresh", headers={"Accept": "application/json"},
                              query_string={"response_format": "json"}).get_json()
    second = admin_client.post("/admin/dashboard/refresh", query_string={"response_format": "json"}).get_json()
    if app.config["EMBEDDED_JOBS"]:
        # Inline: each request ran the job already, nothing stays pending.
        assert first["flash"] == second["flash"] == "Dashboard refreshed."
        assert len(_refresh_jobs_on("low")) == 2
    else:
        assert "queued on the low queue" in first["flash"]
        assert "already queued" in second["flash"]
        assert len(_refresh_jobs_on("low")) == 1
        assert admin_client.get_json("/admin/dashboard/activity").get_json()["refresh_pending"] is True
        run_jobs(["low"])
    assert admin_client.get_json("/admin/dashboard/activity").get_json()["refresh_pending"] is False
    assert db.session.query(Snapshot).filter_by(kind="dashboard").count() == 1


def test_job_replaces_todays_snapshot_and_logs(app):
    factories.user(name="someone")
    stats_jobs.refresh_dashboard()
    first = db.session.query(Snapshot).one().created
    factories.user(name="another")
    result = stats_jobs.refresh_dashboard()
    db.session.expire_all()
    row = db.session.query(Snapshot).one()
    assert row.id == result["snapshot_id"] and row.created >= first
    assert sum(row.data["new_users_week"]["series"][0]) == 2
    events = db.session.query(LogEvent).filter_by(channel="jobs", event="stats.dashboard").all()
    assert len(events) == 2 and "Dashboard refreshed" in events[0].message


def test_page_shows_the_snapshot_age(admin_client, app):
    stats_jobs.refresh_dashboard()
    from datetime import timedelta
    row = db.session.query(Snapshot).one()
    row.created = row.created - timedelta(hours=5)
    db.session.commit()
    html = admin_client.get("/admin/dashboard/").get_data(as_text=True)
    assert "Computed 5 hours ago" in html
    assert admin_client.get_json("/admin/dashboard/").get_json()["snapshot"]["age_seconds"] >= 5 * 3600


def test_failed_refresh_is_reported_and_not_left_pending(admin_client, app, monkeypatch, run_jobs):
    from plugins.stats import figures

    def broken(**kwargs):
        raise RuntimeError("database on fire")
    monkeypatch.setattr(figures, "compute", broken)
    data = admin_client.post("/admin/dashboard/refresh", query_string={"response_format": "json"}).get_json()
    run_jobs(["low"])
    if app.config["EMBEDDED_JOBS"]:
        assert data["status"] == "error" and "failed" in data["flash"]
    assert stats_jobs.refresh_pending() is False
    assert db.session.query(Snapshot).count() == 0

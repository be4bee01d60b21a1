"""/admin/stats: daily snapshots (job, backfill, CLI), charts over 30/90/365 days and JSON series."""
from datetime import datetime, time, timedelta, timezone

from pybossa_admin.extensions import db
from pybossa_admin.jobs import enqueue
from pybossa_admin.jobs.periodic import schedule_table
from pybossa_admin.models import LogEvent, Snapshot, utcnow

from ... import factories

URL = "/admin/stats/"


def at(day, hour):
    return datetime.combine(day, time(hour), tzinfo=timezone.utc)


def seed(today):
    """Known activity on two past days (d5 = today-5, d3 = today-3); see the expected figures below."""
    d5, d3 = today - timedelta(days=5), today - timedelta(days=3)
    ann = factories.user(name="ann", created=at(d5, 9))
    bea = factories.user(name="bea", created=at(d3, 8))
    project = factories.project(owner=ann, created=at(d5, 10))
    t1 = factories.task(project, n_answers=2, created=at(d5, 10))
    t2 = factories.task(project, n_answers=1, created=at(d5, 10))
    factories.task(project, n_answers=5, created=at(d3, 7))
    factories.task_run(t1, ann, created=at(d5, 11), finish_time=at(d5, 11))
    factories.task_run(t1, bea, created=at(d3, 9), finish_time=at(d3, 9))       # t1 completes on d3
    factories.task_run(t2, None, anon_id="cookie-1", created=at(d3, 10), finish_time=at(d3, 10))  # t2 too
    return d5, d3


def series(client, days):
    response = client.get_json(f"{URL}?days={days}")
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response.get_json()


def test_anonymous_and_non_admin_are_refused(client, user_client):
    response = client.get(URL)
    assert response.status_code == 302 and "/account/signin" in response.headers["Location"]
    assert client.get_json(URL).status_code == 302
    assert client.get("/admin/stats?days=30&response_format=json").status_code == 302
    assert user_client.get("/admin/stats").status_code == 403
    assert user_client.get(URL).status_code == 403
    assert user_client.get_json(URL + "?days=30").status_code == 403
    assert user_client.post(URL + "backfill", {"days": "30"}).status_code == 403
    assert db.session.query(Snapshot).filter_by(kind="daily").count() == 0


def test_json_series_have_n_points_with_correct_counts_on_known_days(admin_client, app, run_jobs):
    today = utcnow().date()
    d5, d3 = seed(today)
    assert admin_client.post(URL + "backfill", {"days": "30"}).status_code == 302
    run_jobs(["low"])
    response = admin_client.get("/admin/stats?days=30&response_format=json")   # no trailing slash, no redirect
    assert response.status_code == 200
    data = response.get_json()
    assert len(data["labels"]) == 30 and data["labels"][-1] == today.isoformat()
    assert all(len(points) == 30 for points in data["series"].values())
    assert set(data["series"]) == {"users", "new_users", "active_volunteers", "projects", "tasks", "task_runs",
                                   "completed_tasks"}
    assert data["missing_days"] == []
    i5, i3, i4 = data["labels"].index(d5.isoformat()), data["labels"].index(d3.isoformat()), \
        data["labels"].index((d3 - timedelta(days=1)).isoformat())
    s = data["series"]
    assert s["users"][i5 - 1] == 0 and s["users"][i5] == 1 and s["users"][i4] == 1 and s["users"][i3] == 2
    assert s["new_users"][i5] == 1 and s["new_users"][i4] == 0 and s["new_users"][i3] == 1
    assert s["projects"][i5 - 1] == 0 and s["projects"][i5] == 1 and s["projects"][i3] == 1
    assert s["tasks"][i5] == 2 and s["tasks"][i3] == 3
    assert s["task_runs"][i5] == 1 and s["task_runs"][i4] == 0 and s["task_runs"][i3] == 2
    assert s["active_volunteers"][i5] == 1 and s["active_volunteers"][i3] == 2   # bea + one anonymous
    assert s["completed_tasks"][i5] == 0 and s["completed_tasks"][i3] == 2
    # Today also counts the admin created by the fixture.
    assert s["users"][-1] == 3 and s["new_users"][-1] == 1


def test_periods_of_90_and_365_days_and_html_charts(admin_client, app, run_jobs):
    seed(utcnow().date())
    admin_client.post(URL + "backfill", {"days": "365"})
    run_jobs(["low"])
    for days in (90, 365):
        data = series(admin_client, days)
        assert len(data["labels"]) == days and all(len(v) == days for v in data["series"].values())
        assert data["missing_days"] == []
    html = admin_client.get(URL + "?days=90").get_data(as_text=True)
    for key in ("users", "active_volunteers", "task_runs", "completed_tasks"):
        assert f'id="chart-{key}"' in html
    assert html.count("<svg") == 7 and 'id="period-365"' in html
    assert 'id="missing"' not in html


def test_missing_days_are_null_and_offer_backfill(admin_client):
    data = series(admin_client, 30)
    assert len(data["missing_days"]) == 30 and data["series"]["users"] == [None] * 30
    html = admin_client.get(URL).get_data(as_text=True)
    assert 'id="missing"' in html and 'id="backfill"' in html


def test_bad_days_are_400(admin_client):
    for raw in ("0", "abc", "-3", "99999"):
        response = admin_client.get_json(f"{URL}?days={raw}")
        assert response.status_code == 400 and "days" in response.get_json()["description"]
        assert admin_client.get(f"{URL}?days={raw}").status_code == 400
    assert admin_client.post(URL + "backfill", {"days": "nope"}).status_code == 400


def test_backfill_needs_post_and_csrf(admin_client):
    assert admin_client.get(URL + "backfill").status_code == 405
    assert admin_client.post(URL + "backfill", {"days": "30"}, csrf=False).status_code == 400
    assert db.session.query(Snapshot).filter_by(kind="daily").count() == 0


def test_daily_job_is_idempotent_upsert_and_declared_periodic(admin_client, app, run_jobs):
    row = next(r for r in schedule_table() if r["name"] == "history.daily_snapshot")
    assert row["queue"] == "low" and row["interval"] == 24 * 3600
    project = factories.project()
    enqueue(row["function"], queue="low")
    run_jobs(["low"])
    today = utcnow().date()
    assert db.session.query(Snapshot).filter_by(kind="daily").count() == 2   # yesterday and today
    factories.task_run(factories.task(project))
    enqueue(row["function"], queue="low")
    run_jobs(["low"])
    db.session.expire_all()
    snaps = db.session.query(Snapshot).filter_by(kind="daily").all()
    assert len(snaps) == 2
    assert next(s for s in snaps if s.day == today).data["task_runs"] == 1
    # The core job wrapper logs every periodic run.
    logged = db.session.query(LogEvent).filter_by(channel="jobs", event="job.periodic").all()
    assert len(logged) == 2 and logged[0].data["periodic"] == "history.daily_snapshot"


def test_backfill_keeps_recorded_days_unless_overwrite(admin_client, app, run_jobs):
    old_day = utcnow().date() - timedelta(days=10)
    db.session.add(Snapshot(kind="daily", day=old_day, data={"users": 999}))
    db.session.commit()
    admin_client.post(URL + "backfill", {"days": "30"})
    run_jobs(["low"])
    db.session.expire_all()
    assert db.session.query(Snapshot).filter_by(kind="daily", day=old_day).one().data == {"users": 999}
    assert db.session.query(Snapshot).filter_by(kind="daily").count() == 30
    admin_client.post(URL + "backfill", {"days": "30", "overwrite": "1"})
    run_jobs(["low"])
    db.session.expire_all()
    assert db.session.query(Snapshot).filter_by(kind="daily", day=old_day).one().data["users"] == 0
    logged = db.session.query(LogEvent).filter_by(channel="platform", event="history.backfill").all()
    assert len(logged) == 2 and logged[0].user_name == "root"


def test_cli_backfill_with_progress(app):
    factories.user(name="ann", created=utcnow() - timedelta(days=2))
    result = app.test_cli_runner().invoke(args=["history", "backfill", "--days", "12"])
    assert result.exit_code == 0, result.output
    assert "12 days computed" in result.output and "Daily snapshots" in result.output
    db.session.expire_all()
    assert db.session.query(Snapshot).filter_by(kind="daily").count() == 12
    again = app.test_cli_runner().invoke(args=["history", "backfill", "--days", "12"])
    assert "2 days computed, 10 kept" in again.output   # yesterday and today are always recomputed
    bad = app.test_cli_runner().invoke(args=["history", "backfill", "--days", "0"])
    assert bad.exit_code != 0 and "--days" in bad.output

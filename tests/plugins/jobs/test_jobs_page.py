"""/admin/jobs: queue counts, cancel / stop / retry (POST + CSRF, logged), periodic jobs with last/next run."""
import os
import subprocess
import sys
import time
from datetime import datetime, timezone

from rq import Queue
from rq.job import JobStatus

from pybossa_admin.extensions import db
from pybossa_admin.jobs import get_queue, get_redis
from pybossa_admin.jobs.periodic import mark_run
from pybossa_admin.models import LogEvent

from ...conftest import REDIS_URL
from . import sample_jobs


def queued_job():
    """A job waiting in `low`, on either stack (an async queue on the app's connection never runs inline)."""
    return Queue("low", connection=get_redis()).enqueue(sample_jobs.add, 1, 2)


def failed_job(run_jobs, func=sample_jobs.boom, *args):
    job = get_queue("low").enqueue(func, *args)
    run_jobs(["low"])
    job.refresh()
    assert job.is_failed
    return job


def test_guards(client, user_client, app):
    job = queued_job()
    assert client.get("/admin/jobs/").status_code == 302
    assert user_client.get("/admin/jobs/").status_code == 403
    assert user_client.get_json("/admin/jobs/").status_code == 403
    assert user_client.post(f"/admin/jobs/job/{job.id}/cancel").status_code == 403
    assert job.get_status() == JobStatus.QUEUED


def test_page_html_and_json(admin_client, app, run_jobs):
    failed = failed_job(run_jobs)
    queued = queued_job()
    html = admin_client.get("/admin/jobs/").get_data(as_text=True)
    assert f'id="cancel-{queued.id}"' in html and f'id="retry-{failed.id}"' in html
    assert "this job always fails" in html
    assert 'href="/admin/rq/"' in html
    data = admin_client.get_json("/admin/jobs/").get_json()
    assert data["template"] == "jobs/jobs.html"
    low = next(q for q in data["queues"] if q["name"] == "low")
    assert low["counts"]["queued"] == 1 and low["counts"]["failed"] == 1
    assert [j["id"] for j in low["queued"]] == [queued.id]
    assert low["failed"][0]["error"] == "RuntimeError: this job always fails"
    assert data["embedded"] is app.config["EMBEDDED_JOBS"]


def test_embedded_default_says_jobs_run_inline(admin_client, app):
    html = admin_client.get("/admin/jobs/").get_data(as_text=True)
    data = admin_client.get_json("/admin/jobs/").get_json()
    if app.config["EMBEDDED_JOBS"]:
        assert "Jobs run inline" in html and "no retries" in html and "no delayed or periodic jobs" in html
        assert "one process" in " ".join(data["limits"])
    else:
        assert "Jobs run inline" not in html and data["limits"] == []


def test_cancel_a_queued_job(admin_client, app):
    job = queued_job()
    assert admin_client.post(f"/admin/jobs/job/{job.id}/cancel", csrf=False).status_code == 400
    assert job.get_status() == JobStatus.QUEUED
    response = admin_client.post(f"/admin/jobs/job/{job.id}/cancel")
    assert response.status_code == 302
    assert job.get_status() == JobStatus.CANCELED
    assert job.id not in get_queue("low").get_job_ids()
    event = db.session.query(LogEvent).filter_by(channel="jobs", event="job.cancel").one()
    assert job.id in event.message and event.user_name == "root"
    again = admin_client.post(f"/admin/jobs/job/{job.id}/cancel", query_string={"response_format": "json"})
    assert again.status_code == 409 and "canceled" in again.get_json()["description"]


def test_retry_a_failed_job(admin_client, app, run_jobs):
    job = failed_job(run_jobs, sample_jobs.flaky, "flaky:retry")
    response = admin_client.post(f"/admin/jobs/job/{job.id}/retry", query_string={"response_format": "json"})
    assert response.status_code == 200
    data = response.get_json()
    assert data["next"] == "/admin/jobs/" and data["status"] == "success"
    if app.config["EMBEDDED_JOBS"]:
        assert job.get_status() == JobStatus.FINISHED and "ran inline" in data["flash"]
    else:
        assert job.get_status() == JobStatus.QUEUED
        run_jobs(["low"])
        assert job.get_status() == JobStatus.FINISHED
    assert db.session.query(LogEvent).filter_by(event="job.retry").count() == 1
    # a finished job cannot be retried
    response = admin_client.post(f"/admin/jobs/job/{job.id}/retry", query_string={"response_format": "json"})
    assert response.status_code == 409


def test_bad_job_ids_and_wrong_states(admin_client, app):
    assert admin_client.post("/admin/jobs/job/no-such-job/retry").status_code == 404
    assert admin_client.post("/admin/jobs/job/bad%20id!/cancel").status_code == 404
    job = queued_job()
    response = admin_client.post(f"/admin/jobs/job/{job.id}/stop", query_string={"response_format": "json"})
    assert response.status_code == 409 and "Only a running job" in response.get_json()["description"]
    assert admin_client.get(f"/admin/jobs/job/{job.id}/cancel").status_code == 405


def test_stop_a_running_job(admin_client, app, tmp_path):
    job = get_queue("low").enqueue(sample_jobs.sleepy, 0) if app.config["EMBEDDED_JOBS"] else None
    if job is not None:
        # Inline jobs are over before the page could show them: nothing is ever running.
        assert job.is_finished
        response = admin_client.post(f"/admin/jobs/job/{job.id}/stop", query_string={"response_format": "json"})
        assert response.status_code == 409
        return
    job = Queue("low", connection=get_redis()).enqueue(sample_jobs.sleepy, 60)
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    worker = subprocess.Popen([os.path.join(os.path.dirname(sys.executable), "rq"), "worker", "--burst", "-u",
                               REDIS_URL, "low"], cwd=root, env=dict(os.environ, PYTHONPATH=root),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 30
        while job.get_status() != JobStatus.STARTED and time.time() < deadline:
            time.sleep(0.1)
        assert job.get_status() == JobStatus.STARTED
        started = time.time()
        response = admin_client.post(f"/admin/jobs/job/{job.id}/stop")
        assert response.status_code == 302
        while job.get_status() == JobStatus.STARTED and time.time() < deadline:
            time.sleep(0.1)
        assert job.get_status() == JobStatus.STOPPED and time.time() - started < 20
        assert db.session.query(LogEvent).filter_by(event="job.stop").count() == 1
    finally:
        worker.wait(timeout=30)


def test_periodic_table_with_last_and_next_run(admin_client, app):
    mark_run("stats.dashboard", datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc))
    html = admin_client.get("/admin/jobs/").get_data(as_text=True)
    assert 'data-name="stats.dashboard"' in html and "2026-01-02 03:04:05" in html and "2026-01-03 03:04:05" in html
    rows = {r["name"]: r for r in admin_client.get_json("/admin/jobs/").get_json()["periodic"]}
    assert rows["stats.dashboard"]["queue"] == "low" and rows["stats.dashboard"]["interval"] == 86400
    assert rows["stats.dashboard"]["next_run"].startswith("2026-01-03T03:04:05")
    assert rows["core.housekeeping"]["last_run"] is None


def test_admin_card_counts_failed_jobs(admin_client, app, run_jobs):
    failed_job(run_jobs)
    failed_job(run_jobs)
    cards = admin_client.get_json("/admin/").get_json()["cards"]
    assert next(c for c in cards if c["plugin"] == "jobs")["count"] == 2

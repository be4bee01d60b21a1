"""rq-dashboard mounted at /admin/rq/: guards, CSRF, GET requeue-all refused, actions (PYBOSSA behaviour 28)."""
from rq.job import Job

from pybossa_admin.extensions import db
from pybossa_admin.jobs import get_queue, get_redis
from pybossa_admin.models import LogEvent

from . import sample_jobs

JSON_URLS = ("/admin/rq/0/data/queues.json", "/admin/rq/0/data/workers.json",
             "/admin/rq/0/data/jobs/low/failed/8/asc/1.json")


def failed_job(run_jobs, func=sample_jobs.boom, *args):
    """A job that really failed: inline it fails at enqueue; on Redis a worker burst runs it."""
    job = get_queue("low").enqueue(func, *args)
    run_jobs(["low"])
    job.refresh()
    assert job.is_failed
    return job


def test_anonymous_is_sent_to_sign_in(client, app):
    for url in ("/admin/rq/",) + JSON_URLS:
        response = client.get(url)
        assert response.status_code == 302 and "/account/signin" in response.headers["Location"], url


def test_non_admin_gets_403_even_without_csrf(user_client, app, run_jobs):
    job = failed_job(run_jobs)
    for url in ("/admin/rq/",) + JSON_URLS:
        assert user_client.get(url).status_code == 403, url
    # 403 (not CSRF's 400): the admin guard answers first
    assert user_client.post(f"/admin/rq/job/{job.id}/requeue", csrf=False).status_code == 403
    assert user_client.post(f"/admin/rq/job/{job.id}/delete").status_code == 403
    job.refresh()
    assert job.is_failed


def test_admin_pages_and_json(admin_client, app, run_jobs):
    job = failed_job(run_jobs)
    page = admin_client.get("/admin/rq/")
    assert page.status_code == 200 and "RQ dashboard" in page.get_data(as_text=True)
    queues = admin_client.get("/admin/rq/0/data/queues.json").get_json()["queues"]
    low = next(q for q in queues if q["name"] == "low")
    assert low["failed_job_registry_count"] == 1
    jobs = admin_client.get("/admin/rq/0/data/jobs/low/failed/8/asc/1.json").get_json()
    assert [j["id"] for j in jobs["jobs"]] == [job.id]
    assert "this job always fails" in jobs["jobs"][0]["exc_info"]
    info = admin_client.get(f"/admin/rq/0/data/job/{job.id}.json").get_json()
    assert info["status"] == "failed" and info["origin"] == "low"
    assert admin_client.get("/admin/rq/0/data/workers.json").status_code == 200
    assert admin_client.get("/admin/rq/0/view/jobs").status_code == 200


def test_instance_list_never_shows_credentials(make_app):
    from plugins.jobs.rq_mount import display_url
    assert display_url("redis://:hunter2@redis.example:6380/4") == "redis://redis.example:6380/4"
    assert display_url("rediss://user:pw@h/0") == "rediss://h/0"
    assert "hunter2" not in display_url("unix://:hunter2@/run/redis.sock")
    assert display_url("fakeredis://").startswith("embedded")


def test_unknown_instance_or_job_is_404(admin_client, app):
    assert admin_client.get("/admin/rq/3/data/queues.json").status_code == 404
    assert admin_client.get("/admin/rq/0/data/job/nope.json").status_code == 404
    assert admin_client.post("/admin/rq/job/nope/requeue").status_code == 404


def test_csrf_cookie_set_for_the_dashboard_javascript(admin_client, app):
    response = admin_client.get("/admin/rq/")
    cookie = next(v for v in response.headers.getlist("Set-Cookie") if v.startswith("_csrf_token="))
    assert "Path=/admin/rq" in cookie and "SameSite=Strict" in cookie and "HttpOnly" not in cookie
    token = cookie.split(";")[0].split("=", 1)[1]
    # the token the JS reads from the cookie is accepted as X-CSRFToken
    response = admin_client.raw.post("/admin/rq/queue/low/compact", headers={"X-CSRFToken": token})
    assert response.status_code == 200 and response.get_json() == {"status": "OK"}


def test_requeue_needs_csrf_and_works_with_it(admin_client, app, run_jobs):
    job = failed_job(run_jobs, sample_jobs.flaky, "flaky:requeue")
    assert admin_client.raw.post(f"/admin/rq/job/{job.id}/requeue").status_code == 400
    job.refresh()
    assert job.is_failed
    response = admin_client.post(f"/admin/rq/job/{job.id}/requeue", json={})
    assert response.status_code == 200 and response.get_json() == {"status": "OK"}
    job.refresh()
    if app.config["EMBEDDED_JOBS"]:
        assert job.is_finished and job.return_value() == 2   # requeued and run inline
    else:
        assert job.is_queued
        run_jobs(["low"])
        job.refresh()
        assert job.is_finished
    event = db.session.query(LogEvent).filter_by(channel="jobs", event="rq_dashboard.requeue").one()
    assert job.id in event.message and event.user_name == "root"


def test_delete_needs_csrf_and_works_with_it(admin_client, app, run_jobs):
    job = failed_job(run_jobs)
    assert admin_client.raw.post(f"/admin/rq/job/{job.id}/delete").status_code == 400
    assert Job.exists(job.id, connection=get_redis())
    response = admin_client.post(f"/admin/rq/job/{job.id}/delete", json={})
    assert response.status_code == 200 and response.get_json() == {"status": "OK"}
    assert not Job.exists(job.id, connection=get_redis())


def test_get_requeue_all_is_refused(admin_client, app, run_jobs):
    job = failed_job(run_jobs)
    response = admin_client.get("/admin/rq/requeue/low")
    assert response.status_code == 405 and response.headers["Allow"] == "POST"
    job.refresh()
    assert job.is_failed
    assert admin_client.raw.post("/admin/rq/requeue/low").status_code == 400   # no CSRF token
    response = admin_client.post("/admin/rq/requeue/low", json={})
    assert response.status_code == 200 and response.get_json()["count"] == 1


def test_non_admin_get_requeue_all_is_403(user_client, app):
    assert user_client.get("/admin/rq/requeue/low").status_code == 403


def test_admin_menu_links_to_it(admin_client):
    assert 'href="/admin/rq/"' in admin_client.get("/admin/").get_data(as_text=True)


def test_disabled_plugin_closes_rq_dashboard(make_app):
    from pybossa_admin.models import PluginState
    app = make_app()
    with app.app_context():
        db.session.add(PluginState(name="jobs", enabled=False))
        db.session.commit()
    app = make_app()
    with app.app_context():
        from tests import factories
        from tests.conftest import Client
        client = Client(app)
        client.signin(factories.user(name="root", admin=True))
        assert client.get("/admin/rq/").status_code == 404
        assert client.get("/admin/rq/0/data/queues.json").status_code == 404
        assert client.get("/admin/jobs/").status_code == 404

"""Browser journey: a failed job shows up in rq-dashboard, and its Requeue button works (CSRF on)."""
import pytest
from rq.job import JobStatus

from pybossa_admin.jobs import get_queue

from ... import factories
from ...browser_support import browser_page, live_server, screenshot, sign_in  # noqa: F401 (fixtures)
from . import sample_jobs


@pytest.mark.browser
def test_requeue_a_failed_job_in_rq_dashboard(app, live_server, browser_page, run_jobs):  # noqa: F811
    factories.user(name="root", admin=True)
    # A real failure: inline it fails at enqueue and lands in the fake Redis's failed registry;
    # on the Redis stack a worker burst runs it and it fails there.
    job = get_queue("low").enqueue(sample_jobs.flaky, "flaky:browser")
    run_jobs(["low"])
    assert job.get_status() == JobStatus.FAILED

    page = browser_page
    sign_in(page, live_server.url, "root", factories.PASSWORD)
    page.goto(f"{live_server.url}/admin/rq/0/view/jobs/low/failed/8/asc/1")
    row = page.wait_for_selector(f"tr[data-job-id='{job.id}']")
    assert "first run fails" in row.inner_text()
    screenshot(page, "rq-dashboard")
    with page.expect_response(lambda r: r.url.endswith(f"/job/{job.id}/requeue")) as answer:
        row.query_selector("[data-role=requeue-job-btn]").click()
    assert answer.value.status == 200
    page.wait_for_selector(f"tr[data-job-id='{job.id}']", state="detached")
    if app.config["EMBEDDED_JOBS"]:
        assert job.get_status() == JobStatus.FINISHED   # requeued, then run inline
    else:
        assert job.get_status() == JobStatus.QUEUED
        run_jobs(["low"])
        assert job.get_status() == JobStatus.FINISHED
    page.goto(f"{live_server.url}/admin/jobs/")
    assert page.inner_text("#queue-low").split()[3] == "0"   # no failed job left in `low`

"""Browser journey: open the dashboard, refresh it, watch the live feed update."""
from datetime import timedelta

import pytest

from pybossa_admin.models import utcnow

from ... import factories
from ...browser_support import LiveServer, browser_page, screenshot, sign_in  # noqa: F401 (fixture)


@pytest.mark.browser
def test_open_refresh_and_live_feed(make_app, browser_page, run_jobs):  # noqa: F811
    app = make_app(STATS_FEED_POLL_SECONDS=1)
    with app.app_context():
        factories.user(name="root", admin=True)
        owner = factories.user(name="maria", created=utcnow() - timedelta(days=3))
        project = factories.project(owner=owner, name="Galaxy Zoo", short_name="galaxy")
        tasks = [factories.task(project) for _ in range(4)]
        volunteers = [factories.user(name=f"vol{i}") for i in range(3)]
        for offset, (task, volunteer) in enumerate((t, v) for t in tasks for v in volunteers):
            factories.task_run(task, volunteer, finish_time=utcnow() - timedelta(days=offset % 4, minutes=offset))
        factories.task_run(tasks[0], None, anon_id="anon-cookie", finish_time=utcnow())
        factories.project(owner=owner, name="Draft Birds", short_name="birds", published=False)

        with LiveServer(app) as server:
            page = browser_page
            sign_in(page, server.url, "root", factories.PASSWORD)
            page.goto(f"{server.url}/admin/dashboard/")
            assert "No data yet" in page.inner_text("#dashboard-no-data")
            page.click("#refresh-dashboard")
            page.wait_for_load_state("networkidle")
            if not app.config["EMBEDDED_JOBS"]:
                assert page.is_visible("#refresh-pending")
                run_jobs(["low"])  # the page polls and reloads once the snapshot lands
            page.wait_for_selector("#dashboard-totals", timeout=20000)
            assert page.inner_text("#total-task-runs") == "13"
            assert "Draft Birds" in page.inner_text("#draft-projects")
            assert "Computed just now" in page.inner_text("#snapshot-age")

            factories.user(name="latecomer")  # the feed is live: it shows up without a reload
            page.wait_for_function(
                "document.getElementById('activity-feed').innerText.indexOf('latecomer joined') !== -1",
                timeout=15000)
            screenshot(page, "dashboard")

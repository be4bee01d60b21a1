"""In Chromium: turn maintenance mode on, see the banner in the admin and on the site, turn it off.
Also takes the screenshots of the logs, stats-over-time and actions pages."""
import random
from datetime import datetime, time, timedelta, timezone

import pytest

from pybossa_admin.extensions import db
from pybossa_admin.models import utcnow
from pybossa_admin.services import events

from ... import factories
from ...browser_support import browser_page, live_server, screenshot, sign_in  # noqa: F401  (fixtures)

MESSAGE = "Database upgrade in progress: back at 17:00 UTC"


def seed_month():
    """A month of plausible activity so the charts have a shape."""
    rng = random.Random(7)
    today = utcnow().date()

    def at(day, hour, minute=0):
        return datetime.combine(day, time(hour, minute), tzinfo=timezone.utc)

    start = today - timedelta(days=40)
    owner = factories.user(name="owner", created=at(start, 9))
    project = factories.project(owner=owner, short_name="birds", name="Bird count", created=at(start, 10))
    tasks = [factories.task(project, n_answers=2, created=at(start, 11)) for _ in range(25)]
    for back in range(29, -1, -1):
        day = today - timedelta(days=back)
        if back % 7 == 3:
            second = factories.project(owner=owner, created=at(day, 9))
            tasks += [factories.task(second, n_answers=2, created=at(day, 9)) for _ in range(10)]
        for n in range(rng.randint(0, 3)):
            factories.user(created=at(day, 10 + n))
        volunteers = [factories.user(created=at(day, 8, k)) for k in range(rng.randint(0, 4))]
        for k, volunteer in enumerate(volunteers):
            for task in rng.sample(tasks, 3):
                factories.task_run(task, volunteer, created=at(day, 12, k), finish_time=at(day, 12, k))
    from plugins.history import snapshots
    snapshots.backfill(30)


@pytest.mark.browser
def test_toggle_maintenance_and_see_the_banner(app, live_server, browser_page):  # noqa: F811
    factories.user(name="root", admin=True)
    seed_month()
    events.record("auth", "signin.failure", "failed sign-in for mallory", level="warning", user_name="mallory")
    db.session.commit()
    page, base = browser_page, live_server.url
    sign_in(page, base, "root", factories.PASSWORD)

    page.goto(f"{base}/admin/actions/")
    assert page.locator("#maintenance-state").inner_text() == "off"
    assert page.locator("#maintenance-banner").count() == 0
    page.click("#open-maintenance")
    page.fill("#message", MESSAGE)
    page.click("#confirm")
    page.wait_for_url(f"{base}/admin/actions/")
    assert MESSAGE in page.locator("#maintenance-banner").inner_text()
    assert page.locator("#maintenance-state").inner_text() == "on"
    screenshot(page, "actions")

    page.goto(f"{base}/")
    assert page.locator("#maintenance-banner").inner_text() == MESSAGE

    page.goto(f"{base}/admin/stats/?days=30")
    page.wait_for_selector("#chart-task_runs svg")
    assert page.locator("#charts svg").count() == 7
    screenshot(page, "stats")

    page.goto(f"{base}/admin/logs/?channel=all")
    page.wait_for_selector("#log-table")
    assert "maintenance.on" in page.locator("#log-table").inner_text()
    screenshot(page, "logs")

    page.goto(f"{base}/admin/actions/maintenance")
    page.click("#confirm")
    page.wait_for_url(f"{base}/admin/actions/")
    assert page.locator("#maintenance-banner").count() == 0
    page.goto(f"{base}/")
    assert page.locator("#maintenance-banner").count() == 0

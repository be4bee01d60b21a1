"""In Chromium: the status page, and revoking another user's session from it."""
import pytest

from ... import factories
from ...browser_support import browser_page, live_server, screenshot, sign_in  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser


def test_status_page_and_session_revoke(live_server, browser_page, admin_user, user):
    page = browser_page
    base = live_server.url
    joe_context = page.context.browser.new_context()
    joe = joe_context.new_page()
    sign_in(joe, base, "joe", factories.PASSWORD)
    assert joe.inner_text("#nav-user") == "joe"

    sign_in(page, base, "root", factories.PASSWORD)
    page.goto(f"{base}/admin/status/?q=flask")
    page.wait_for_selector("#status-database")
    assert "Flask-Admin" in page.inner_text("#status-packages")
    assert "***" in page.inner_text("#status-configuration")
    screenshot(page, "status")
    row = page.locator("#status-sessions tr", has_text="joe")
    row.locator("button").click()
    page.wait_for_selector("text=of joe ended")
    joe.reload()
    assert joe.locator("#signin-link").count() == 1
    joe_context.close()

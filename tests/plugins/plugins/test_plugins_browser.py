"""In Chromium: disable a plugin on the Plugins page; after a restart its pages 404 and its menu item is gone."""
import pytest

from ... import factories
from ...browser_support import LiveServer, browser_page, live_server, screenshot, sign_in  # noqa: F401

pytestmark = pytest.mark.browser


def test_disable_a_plugin_then_restart(live_server, browser_page, make_app, admin_user):
    page = browser_page
    page.on("dialog", lambda dialog: dialog.accept())
    sign_in(page, live_server.url, "root", factories.PASSWORD)
    page.goto(f"{live_server.url}/admin/plugins/")
    page.wait_for_selector("#plugins-table")
    assert page.locator("#disable-plugins").count() == 0  # the page cannot switch itself off
    screenshot(page, "plugins")
    page.click("#disable-organizations")
    page.wait_for_selector("text=Plugin organizations disabled")
    assert "restart pending" in page.inner_text("#plugin-organizations")
    assert page.locator("#enable-organizations").count() == 1
    # Not applied yet: the running platform still serves it.
    assert page.goto(f"{live_server.url}/admin/organizations/").status == 200

    restarted = make_app()  # what a restart does: a new app on the same database
    with LiveServer(restarted) as server:
        sign_in(page, server.url, "root", factories.PASSWORD)
        page.goto(f"{server.url}/admin/")
        # Menu entries sit in dropdowns by category; the links are in the page either way.
        assert page.locator("nav a[href='/admin/accounts/']").count() == 1
        assert page.locator("nav a[href='/admin/organizations/']").count() == 0
        assert page.locator("a[href='/admin/organizations/']").count() == 0
        response = page.goto(f"{server.url}/admin/organizations/")
        assert response.status == 404
        page.goto(f"{server.url}/admin/plugins/")
        assert "disabled" in page.inner_text("#plugin-organizations")

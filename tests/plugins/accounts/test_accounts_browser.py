"""In Chromium: deactivate a user, whose sign-in is then refused; a reset link used in another browser."""
from datetime import timedelta

import pytest

from pybossa_admin.extensions import db
from pybossa_admin.models import Organization, utcnow

from ... import factories
from ...browser_support import browser_page, live_server, screenshot, sign_in  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser


def _people(admin_user):
    org = Organization(name="Citizen Science Lab", short_name="csl")
    db.session.add(org)
    db.session.commit()
    project = factories.project(owner=admin_user)
    tasks = [factories.task(project=project) for _ in range(4)]
    now = utcnow()
    for i, (name, full) in enumerate([("ada", "Ada Lovelace"), ("grace", "Grace Hopper"),
                                      ("alan", "Alan Turing"), ("katherine", "Katherine Johnson")]):
        u = factories.user(name=name, fullname=full, last_login=now - timedelta(hours=5 * i + 1),
                           pro=(i == 1), organization_id=org.id if i % 2 == 0 else None)
        for t in tasks[:4 - i]:
            factories.task_run(task=t, user=u)


def test_deactivated_user_is_signed_out_and_cannot_sign_in(live_server, browser_page, admin_user, user):
    _people(admin_user)
    page = browser_page
    page.on("dialog", lambda dialog: dialog.accept())
    base = live_server.url

    joe_context = page.context.browser.new_context()
    joe_page = joe_context.new_page()
    sign_in(joe_page, base, "joe", factories.PASSWORD)
    assert joe_page.inner_text("#nav-user") == "joe"

    sign_in(page, base, "root", factories.PASSWORD)
    page.goto(f"{base}/admin/accounts/")
    page.wait_for_selector("#accounts-table")
    screenshot(page, "accounts")
    page.fill("#accounts-q", "JOE")
    page.click("#accounts-search")
    page.wait_for_selector(f"#user-{user.id}")
    assert page.locator("#accounts-table tbody tr").count() == 1
    page.click(f"#user-{user.id} a")
    page.wait_for_selector("#deactivate")
    page.click("#deactivate")
    page.wait_for_selector("text=is deactivated and signed out everywhere")
    assert page.inner_text("#account-status") == "deactivated"
    assert page.locator("#activate").count() == 1

    # Joe's open session ended at once...
    joe_page.reload()
    assert joe_page.locator("#signin-link").count() == 1
    # ...and signing in again is refused with a message.
    sign_in(joe_page, base, "joe", factories.PASSWORD)
    assert "/account/signin" in joe_page.url
    assert "This account is deactivated" in joe_page.content()
    assert joe_page.locator("#nav-user").count() == 0
    joe_context.close()


def test_reset_link_copied_and_used_in_another_browser(live_server, browser_page, admin_user, user):
    page = browser_page
    base = live_server.url
    sign_in(page, base, "root", factories.PASSWORD)
    page.goto(f"{base}/admin/accounts/{user.id}")
    page.click("#generate-reset-link")
    page.wait_for_selector("#reset-link")
    link = page.input_value("#reset-link")
    assert link.startswith(base + "/account/reset-password#")
    page.goto(f"{base}/admin/accounts/{user.id}")  # shown once: gone from the page afterwards
    assert page.locator("#reset-link").count() == 0

    other = page.context.browser.new_context()
    visitor = other.new_page()
    visitor.goto(link)
    assert "#" not in visitor.url  # the page drops the token from the address bar
    visitor.fill("input[name=password]", "a fresh password 42")
    visitor.click("#set-password")
    visitor.wait_for_url("**/account/signin")
    assert "Your password is changed" in visitor.content()
    sign_in(visitor, base, "joe", "a fresh password 42")
    assert visitor.inner_text("#nav-user") == "joe"

    # The same link a second time is refused.
    third = page.context.browser.new_context().new_page()
    third.goto(link)
    third.fill("input[name=password]", "yet another password 7")
    third.click("#set-password")
    third.wait_for_load_state("networkidle")
    assert "invalid, used or expired" in third.content()
    other.close()

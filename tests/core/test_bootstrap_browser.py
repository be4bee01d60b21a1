"""In Chromium: follow the printed one-time link, let the page move the fragment into the form,
create the first admin, and find the link dead afterwards. Saves the README screenshots."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from pybossa_admin.extensions import db
from pybossa_admin.models import User
from pybossa_admin.services import bootstrap

from ..browser_support import browser_page, live_server, screenshot  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser


def test_first_admin_from_the_link(app, live_server, browser_page):  # noqa: F811
    from ..factories import project, task, task_run, user
    volunteer = user(name="volunteer1")
    for n in range(3):
        task_run(task(project(name=f"Demo project {n + 1}", featured=n == 0)), volunteer)
    link = bootstrap.offer_link(live_server.url, "127.0.0.1")
    assert "#" in link
    page = browser_page
    requested = []
    page.on("request", lambda request: requested.append(request.url))

    page.goto(link)
    page.wait_for_selector("#bootstrap-form")
    token = link.split("#", 1)[1]
    assert page.input_value("#bootstrap-token") == token  # the script moved the fragment into the form
    assert "#" not in page.url  # and dropped it from the address bar
    assert all(token not in url for url in requested)  # the token never travelled in a URL
    page.fill("input[name=name]", "boss")
    page.fill("input[name=fullname]", "The Boss")
    page.fill("input[name=email_addr]", "boss@example.org")
    page.fill("input[name=password]", "a strong first password")
    screenshot(page, "bootstrap")
    page.click("#create-admin")
    page.wait_for_url("**/admin/")
    assert page.inner_text("#admin-user") == "boss"
    screenshot(page, "admin-index")

    db.session.expire_all()
    boss = db.session.scalar(select(User).where(User.name == "boss"))
    assert boss.admin and boss.check_password("a strong first password")

    # Second use, from a fresh browser context: the page is gone once an admin exists.
    second = page.context.browser.new_context().new_page()
    response = second.goto(link)
    assert response.status == 404
    assert db.session.scalar(select(User).where(User.admin.is_(True), User.name != "boss")) is None
    second.context.close()

"""In Chromium: an admin adds a category, then deletes it; a category in use cannot be deleted."""
import pytest

from pybossa_admin.extensions import db
from pybossa_admin.models import Category

from ... import factories
from ...browser_support import browser_page, live_server, screenshot, sign_in  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser


def test_add_and_delete_a_category(app, live_server, browser_page, admin_user):
    factories.project(name="Galaxy Zoo")
    page = browser_page
    sign_in(page, live_server.url, admin_user.name, factories.PASSWORD)
    page.goto(f"{live_server.url}/admin/categories")
    page.fill("#name", "Marine Biology")
    page.fill("#description", "Fish, whales and coral reefs")
    page.click("#add")
    page.wait_for_selector("text=Category added")
    db.session.rollback()
    added = Category.query.filter_by(name="Marine Biology").one()
    assert added.short_name == "marinebiology"
    assert page.is_visible(f"#delete-{added.id}")
    thinking = Category.query.filter_by(short_name="thinking").one()
    assert not page.is_visible(f"#delete-{thinking.id}")          # it holds a project: no delete link
    screenshot(page, "categories")

    page.click(f"#delete-{added.id}")
    page.click("#confirm-delete")
    page.wait_for_selector("text=Category deleted")
    db.session.rollback()
    assert Category.query.filter_by(name="Marine Biology").count() == 0
    assert "Marine Biology" not in page.inner_text("#categories")

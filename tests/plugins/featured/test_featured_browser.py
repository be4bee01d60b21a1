"""In Chromium: an admin features a project, and the home page shows it."""
import pytest

from pybossa_admin.extensions import db
from pybossa_admin.models import Project

from ... import factories
from ...browser_support import browser_page, live_server, screenshot, sign_in  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser


def test_feature_a_project(app, live_server, browser_page, admin_user):
    biology = factories.category(name="Biology", description="Life sciences")
    galaxy = factories.project(name="Galaxy Zoo")
    factories.project(name="Bird Count", category_id=biology.id, featured=True)
    factories.project(name="Penguin Watch", category_id=biology.id)
    page = browser_page
    sign_in(page, live_server.url, admin_user.name, factories.PASSWORD)
    page.goto(f"{live_server.url}/admin/featured")
    page.click(f"#feature-{galaxy.id}")
    page.wait_for_selector("text=Galaxy Zoo is now featured.")
    assert page.is_visible(f"#unfeature-{galaxy.id}")
    screenshot(page, "featured")
    db.session.rollback()
    assert db.session.get(Project, galaxy.id).featured is True

    page.goto(f"{live_server.url}/")
    assert "Galaxy Zoo" in page.inner_text("#featured-projects")

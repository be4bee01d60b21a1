"""Browser journey: a pro owner reads and filters the project's audit log."""
import pytest

from pybossa_admin.services import projects as project_service

from ... import factories
from ...browser_support import browser_page, live_server, screenshot, sign_in  # noqa: F401 (fixtures)


@pytest.mark.browser
def test_pro_owner_reads_and_filters_the_audit_log(app, live_server, browser_page):  # noqa: F811
    admin = factories.user(name="root", admin=True)
    owner = factories.user(name="maria", pro=True)
    project = project_service.create(owner, {"name": "Galaxy Zoo", "short_name": "galaxy"})
    project_service.update(project, owner, {"description": "Classify galaxies", "long_description": "=1+1"})
    project_service.update(project, owner, {"info": {"task_presenter": "<div>...</div>", "sched": "depth_first"}})
    project_service.update(project, admin, {"featured": True})
    project_service.update(project, owner, {"secret_key": "never-shown"})

    page = browser_page
    sign_in(page, live_server.url, "maria", factories.PASSWORD)
    page.goto(f"{live_server.url}/project/galaxy/auditlog")
    rows = page.query_selector_all("#auditlog-table tbody tr")
    assert len(rows) == 7
    assert "featured" in rows[1].inner_text() and "root" in rows[1].inner_text()
    assert "never-shown" not in page.content()
    screenshot(page, "auditlog")
    page.select_option("#f-action", "create")
    page.click("#audit-filters button[type=submit]")
    page.wait_for_load_state("networkidle")
    rows = page.query_selector_all("#auditlog-table tbody tr")
    assert len(rows) == 1 and "New project" in rows[0].inner_text()

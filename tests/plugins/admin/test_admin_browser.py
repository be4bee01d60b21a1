"""In Chromium: an admin signs in, sees the admin index cards with counts, and downloads the user export."""
import csv
import json

import pytest

from ... import factories
from ...browser_support import browser_page, live_server, screenshot, sign_in  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser


def test_admin_index_and_user_export_download(app, live_server, browser_page, admin_user):
    for n in range(3):
        factories.project(name=f"Project {n}", featured=n == 0)
    factories.user(name="zoe", fullname="=1+1 Zoë")
    page = browser_page
    sign_in(page, live_server.url, admin_user.name, factories.PASSWORD)
    page.goto(f"{live_server.url}/admin/")
    page.wait_for_selector("#card-administrators")
    assert page.inner_text("#card-projects .card-count").strip() == "3"
    assert page.inner_text("#card-featured-projects .card-count").strip() == "1"
    screenshot(page, "admin-index")

    with page.expect_download() as download_info:
        page.click("#card-users-export-csv")
    download = download_info.value
    assert download.suggested_filename == "all_users.csv"
    with open(download.path(), encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["name"]: r["fullname"] for r in rows}["zoe"] == "'=1+1 Zoë"
    assert len(rows) == 5                              # root, zoe and the three project owners

    page.goto(f"{live_server.url}/admin/users")
    with page.expect_download() as download_info:
        page.click("#export-json")
    download = download_info.value
    assert download.suggested_filename == "all_users.json"
    with open(download.path(), encoding="utf-8") as handle:
        users = json.load(handle)
    assert {u["name"] for u in users} >= {"root", "zoe"}

    page.fill("#user-query", "ZO")
    page.click("#search")
    page.wait_for_selector("#found")
    page.click(f"#add-{users[[u['name'] for u in users].index('zoe')]['id']}")
    page.wait_for_selector("text=zoe is now an administrator.")
    assert "zoe" in page.inner_text("#admins")

"""A live server on loopback and a headless Debian Chromium driven by Playwright.

Use in a test module:

    from ..browser_support import live_server, browser_page  # noqa: F401  (fixtures)
"""
from __future__ import annotations

import os
import threading

import pytest
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
SCREENSHOTS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "docs", "screenshots")


class LiveServer:
    def __init__(self, app):
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.port = self.server.server_port
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.thread.join(timeout=5)


@pytest.fixture
def live_server(app):
    """The test's app served on 127.0.0.1:<free port> in a thread."""
    with LiveServer(app) as server:
        yield server


@pytest.fixture
def browser_page():
    """A fresh Chromium page. Fails (never skips) when Chromium is missing: apt-get install chromium."""
    assert os.path.exists(CHROMIUM), "Chromium is missing: apt-get install -y chromium"
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 860})
        page = context.new_page()
        page.set_default_timeout(15000)
        yield page
        context.close()
        browser.close()


def screenshot(page, name: str) -> str:
    os.makedirs(SCREENSHOTS, exist_ok=True)
    path = os.path.join(SCREENSHOTS, f"{name}.png")
    page.screenshot(path=path, full_page=True)
    return path


def sign_in(page, base_url: str, name: str, password: str):
    page.goto(f"{base_url}/account/signin")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", password)
    page.click("#go")
    page.wait_for_load_state("networkidle")

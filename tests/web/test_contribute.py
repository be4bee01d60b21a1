"""The contribute page and the sandboxed presenter route (the browser test drives them for real)."""
import re

import pytest

from pybossa_admin.cli.demo import PRESENTER
from pybossa_admin.extensions import db

from .. import factories

VISITORS = ["anonymous", "owner", "other", "admin"]


def _iframe(html):
    match = re.search(r"<iframe [^>]*>", html)
    assert match, "no iframe on the page"
    return match.group(0)


@pytest.mark.parametrize("who", VISITORS)
def test_contribute_page_embeds_the_presenter_in_a_scripts_only_sandbox(clients, who, published):
    response = clients[who].get("/project/penguins/contribute")
    assert response.status_code == 200
    iframe = _iframe(response.get_data(as_text=True))
    assert 'sandbox="allow-scripts"' in iframe
    assert "allow-same-origin" not in response.get_data(as_text=True)
    assert 'data-src="/project/penguins/presenter"' in iframe
    assert f'data-newtask-url="/api/project/{published.id}/newtask"' in iframe
    assert 'data-taskrun-url="/api/taskrun"' in iframe
    assert 'data-mode="ready"' in iframe
    assert '<script src="/static/js/contribute.js"></script>' in response.get_data(as_text=True)
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-src 'self'" in csp and "unsafe-inline" not in csp.split("style-src")[0]


@pytest.mark.parametrize("who", VISITORS)
def test_contribute_page_json(clients, who, published):
    data = clients[who].get_json("/project/penguins/contribute").get_json()
    assert data["template"] == "web/contribute.html"
    assert data["state"] == "ready"
    assert data["presenter_url"] == "/project/penguins/presenter"
    assert data["api"] == {"newtask": f"/api/project/{published.id}/newtask", "taskrun": "/api/taskrun"}
    assert data["can_manage"] is (who in ("owner", "admin"))


@pytest.mark.parametrize("who,status", [("anonymous", 404), ("other", 404), ("owner", 200), ("admin", 200)])
def test_draft_contribute_page_is_a_preview_for_owner_and_admins_only(clients, who, status, user):
    draft = factories.project(owner=user, short_name="letters", published=False)
    factories.task(project=draft, info={"question": "When was this letter written?"})
    for url in ("/project/letters/contribute", "/project/letters/presenter"):
        assert clients[who].get(url).status_code == status
        assert clients[who].get_json(url).status_code == status
    if status == 200:
        html = clients[who].get("/project/letters/contribute").get_data(as_text=True)
        assert 'id="preview-message"' in html
        assert 'data-mode="preview"' in _iframe(html)
        assert "When was this letter written?" in _iframe(html)  # the preview task, HTML-escaped JSON
        data = clients[who].get_json("/project/letters/contribute").get_json()
        assert data["state"] == "preview"
        assert data["preview_task"]["info"] == {"question": "When was this letter written?"}


def test_paused_project_shows_a_message_and_no_presenter(client, published):
    published.paused = True
    db.session.commit()
    html = client.get("/project/penguins/contribute").get_data(as_text=True)
    assert 'id="paused-message"' in html and "paused" in html
    assert "<iframe" not in html and "contribute.js" not in html
    assert client.get_json("/project/penguins/contribute").get_json()["state"] == "paused"


def test_projects_without_anonymous_contributors_ask_anonymous_visitors_to_sign_in(client, user_client, published):
    published.allow_anonymous_contributors = False
    db.session.commit()
    html = client.get("/project/penguins/contribute").get_data(as_text=True)
    assert 'id="signin-message"' in html and "<iframe" not in html
    assert 'href="/account/signin?next=/project/penguins/contribute"' in html
    assert client.get_json("/project/penguins/contribute").get_json()["state"] == "signin"
    assert "<iframe" in user_client.get("/project/penguins/contribute").get_data(as_text=True)


def test_project_without_presenter_says_so(user_client, user):
    factories.project(owner=user, short_name="empty", presenter=False, published=False)
    html = user_client.get("/project/empty/contribute").get_data(as_text=True)
    assert 'id="no-presenter-message"' in html and "<iframe" not in html


def test_unknown_project_contribute_is_404(client):
    assert client.get("/project/nope/contribute").status_code == 404
    assert client.get("/project/nope/presenter").status_code == 404


def test_presenter_route_is_served_with_a_strict_csp(client, published):
    published.info = {"task_presenter": PRESENTER.format(question="Is there a penguin?")}
    db.session.commit()
    response = client.get("/project/penguins/presenter")
    assert response.status_code == 200
    csp = [part.strip() for part in response.headers["Content-Security-Policy"].split(";")]
    assert "default-src 'none'" in csp
    assert "script-src 'unsafe-inline'" in csp
    assert "connect-src 'none'" in csp
    assert "form-action 'none'" in csp
    assert "frame-ancestors 'self'" in csp
    assert "sandbox allow-scripts" in csp  # opaque origin even when opened outside the iframe
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response.headers["Cache-Control"]
    html = response.get_data(as_text=True)
    assert "<h2>Is there a penguin?</h2>" in html  # the owner's HTML, as written
    assert "window.pybossa = Object.freeze" in html  # the bridge shim, inlined
    assert 'data-parent-origin="http://localhost"' in html
    assert html.index("window.pybossa") < html.index("<h2>Is there a penguin?")


def test_presenter_json_carries_the_presenter_but_no_shim(client, published):
    response = client.get_json("/project/penguins/presenter")
    assert response.status_code == 200
    data = response.get_json()
    assert data["task_presenter"] == "<p>Answer me</p>"
    assert "_shim" not in data
    assert "sandbox allow-scripts" in response.headers["Content-Security-Policy"]


def test_owner_info_outside_public_keys_is_not_in_contribute_json(client, published):
    published.info = dict(published.info, private_notes="owner only")
    db.session.commit()
    assert "private_notes" not in client.get_json("/project/penguins/contribute").get_json()["project"]["info"]

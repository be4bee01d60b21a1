"""Contributing in a real browser: the demo presenter in its sandbox, the parent bridge, the API, and
what the sandbox keeps away from the presenter (cookies, storage, the parent page, credentialed fetches)."""
import json

import pytest
from playwright.sync_api import expect

from pybossa_admin.cli.demo import PRESENTER
from pybossa_admin.extensions import db
from pybossa_admin.models import TaskRun

from .. import factories
from ..browser_support import browser_page, live_server, screenshot, sign_in  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser

# A hostile presenter: it first sends an oversized answer (the bridge must refuse it), then reports
# what it could reach as its answer, so the report lands in the stored task run.
PROBE = """<p id="probe">probing</p>
<script>
  var report = {}, reported = false;
  function attempt(name, fn) { try { report[name] = "read:" + fn(); } catch (e) { report[name] = "error:" + e.name; } }
  pybossa.onError(function (message) {
    if (reported) { return; }
    reported = true;
    report.refusal = message;
    attempt("cookie", function () { return document.cookie; });
    attempt("storage", function () { return window.localStorage.length; });
    attempt("parent", function () { return window.parent.document.cookie; });
    fetch("/api/user", {credentials: "include"})
      .then(function (r) { return r.text().then(function (t) { return "read:" + r.status + ":" + t.slice(0, 80); }); },
            function (e) { return "error:" + e.name; })
      .then(function (outcome) {
        report.fetch = outcome;
        document.getElementById("probe").textContent = "reported";
        pybossa.submit(report);
      });
  });
  pybossa.onTask(function () {
    if (!reported) { pybossa.submit({padding: new Array(70 * 1024).join("x")}); }
  });
</script>"""


def _runs(**filters):
    db.session.rollback()  # see what the server thread committed
    return TaskRun.query.filter_by(**filters).order_by(TaskRun.id).all()


def _published(owner, short_name, name, presenter, questions, **fields):
    project = factories.project(owner=owner, name=name, short_name=short_name,
                                info={"task_presenter": presenter}, **fields)
    tasks = [factories.task(project=project, info={"question": q}, n_answers=2) for q in questions]
    return project, tasks


def test_volunteer_answers_a_task_in_the_sandboxed_demo_presenter(app, live_server, browser_page, user):
    project, tasks = _published(user, "penguins", "Penguin Watch", PRESENTER.format(question="Penguin Watch"),
                                ["Photo 1: is there a penguin?", "Photo 2: is there a penguin?"],
                                featured=True, long_description="Count penguins in camera-trap images.")
    _published(user, "oldweather", "Old Weather", PRESENTER.format(question="Old Weather"), ["Log 1"],
               featured=True)
    volunteer = factories.user(name="vera")
    page = browser_page
    sign_in(page, live_server.url, "vera", factories.PASSWORD)

    page.goto(f"{live_server.url}/")
    expect(page.locator("#featured-projects")).to_contain_text("Penguin Watch")
    screenshot(page, "home")

    page.goto(f"{live_server.url}/project/penguins/contribute")
    frame = page.frame_locator("#presenter-frame")
    expect(frame.locator("#question")).to_have_text("Photo 1: is there a penguin?")
    assert page.locator("#presenter-frame").get_attribute("sandbox") == "allow-scripts"
    screenshot(page, "contribute")

    frame.locator("button[data-answer=yes]").click()
    expect(page.locator("#answered-count")).to_have_text("1")
    expect(frame.locator("#question")).to_have_text("Photo 2: is there a penguin?")  # the next task
    [run] = _runs(task_id=tasks[0].id)
    assert (run.user_id, run.project_id, run.info) == (volunteer.id, project.id, {"answer": "yes"})

    # A message that does not come from the presenter frame is ignored, even with the right shape.
    posts = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    page.evaluate("window.postMessage({pybossa: 1, type: 'submit', answer: {forged: true}}, '*')")
    page.wait_for_timeout(400)
    assert posts == []
    assert _runs(task_id=tasks[1].id) == []
    # The frame fits its content (the presenter reports its height) and does not grow by itself.
    assert 400 <= page.locator("#presenter-frame").bounding_box()["height"] < 600


def test_the_sandbox_keeps_cookies_storage_parent_and_api_away_from_the_presenter(app, live_server, browser_page,
                                                                                   user):
    project, [task, _] = _published(user, "probe", "Probe", PROBE, ["one", "two"])
    volunteer = factories.user(name="vera")
    page = browser_page
    sign_in(page, live_server.url, "vera", factories.PASSWORD)
    page.context.add_cookies([{"name": "visible_probe", "value": "parent-can-read", "url": live_server.url}])
    page.goto(f"{live_server.url}/project/probe/contribute")
    expect(page.frame_locator("#presenter-frame").locator("#probe")).to_have_text("reported")
    expect(page.locator("#answered-count")).to_have_text("1")

    # The parent page reads its ordinary cookies and its session rides along with its own requests ...
    assert "visible_probe=parent-can-read" in page.evaluate("document.cookie")
    session = [c for c in page.context.cookies() if c["name"] == "session"]
    assert session and session[0]["httpOnly"] is True
    # ... while the presenter got nothing: its answer is the report it made.
    [run] = _runs(task_id=task.id)
    report = run.info
    assert run.user_id == volunteer.id
    assert report["refusal"].startswith("The answer is too large"), report
    assert report["cookie"] == "error:SecurityError", report
    assert report["storage"] == "error:SecurityError", report
    assert report["parent"] == "error:SecurityError", report
    assert report["fetch"] == "error:TypeError", report  # connect-src 'none' (and an opaque origin)
    assert "vera" not in json.dumps(report)
    assert len(_runs(project_id=project.id)) == 1  # the oversized answer never reached the API


def test_anonymous_volunteer_contributes_when_the_project_allows_it(app, live_server, browser_page, user):
    _, [task] = _published(user, "penguins", "Penguin Watch", PRESENTER.format(question="Penguin Watch"),
                           ["Photo 1"])
    page = browser_page
    page.goto(f"{live_server.url}/project/penguins/contribute")
    frame = page.frame_locator("#presenter-frame")
    expect(frame.locator("#question")).to_have_text("Photo 1")
    frame.locator("button[data-answer=no]").click()
    expect(page.locator("#contribute-status")).to_contain_text("no more tasks")
    [run] = _runs(task_id=task.id)
    assert run.user_id is None and run.anon_id and run.info == {"answer": "no"}


def test_owner_previews_a_draft_without_storing_answers(app, live_server, browser_page, user):
    draft = factories.project(owner=user, name="Letters", short_name="letters", published=False,
                              info={"task_presenter": PRESENTER.format(question="Letters")})
    factories.task(project=draft, info={"question": "Letter 1: when was it written?"})
    page = browser_page
    sign_in(page, live_server.url, "joe", factories.PASSWORD)
    page.goto(f"{live_server.url}/project/letters/contribute")
    frame = page.frame_locator("#presenter-frame")
    expect(frame.locator("#question")).to_have_text("Letter 1: when was it written?")
    frame.locator("button[data-answer=unsure]").click()
    expect(page.locator("#contribute-status")).to_contain_text('Preview: the answer would be {"answer":"unsure"}')
    assert _runs(project_id=draft.id) == []

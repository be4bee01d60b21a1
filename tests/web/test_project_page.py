"""The project page for every kind of visitor, draft reasons, and publishing."""
import pytest

from pybossa_admin.extensions import db
from pybossa_admin.models import Project

from .. import factories
from .conftest import audit_rows

VISITORS = ["anonymous", "owner", "other", "admin"]


@pytest.mark.parametrize("who", VISITORS)
def test_published_project_page_for_everyone(clients, who, published):
    response = clients[who].get("/project/penguins")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Penguin Watch" in html and "Count the penguins." in html
    assert 'id="contribute" href="/project/penguins/contribute"' in html
    manager = who in ("owner", "admin")
    assert ('href="/project/penguins/settings"' in html) == manager
    assert 'id="draft-panel"' not in html


@pytest.mark.parametrize("who", VISITORS)
def test_published_project_json(clients, who, published):
    published.webhook = "https://hooks.example.org/x"
    published.info = dict(published.info, private_notes="owner only")
    db.session.commit()
    data = clients[who].get_json("/project/penguins").get_json()
    manager = who in ("owner", "admin")
    assert data["template"] == "web/project.html"
    assert data["project"]["short_name"] == "penguins"
    assert data["owner"] == {"id": published.owner_id, "name": "joe", "fullname": "User Joe"}
    assert data["can_manage"] is manager
    assert data["can_contribute"] is True
    assert ("webhook" in data["project"]) is manager
    assert ("private_notes" in data["project"]["info"]) is manager
    assert ("settings" in data["links"]) is manager
    assert "secret_key" not in data["project"] and "email_addr" not in data["owner"]


def test_progress_counts_tasks_completed_runs_and_volunteers(client, published, user, other_user):
    first = published
    t1 = factories.task(project=first, n_answers=2)
    t2 = factories.task(project=first, state="completed")
    factories.task_run(task=t1, user=user)
    factories.task_run(task=t1, user=other_user)
    factories.task_run(task=t2, user=user)
    factories.task_run(task=t2, anon_id="anon-a", user_ip="192.0.2.1")
    factories.task_run(task=t2, anon_id="anon-b", user_ip="192.0.2.1")
    progress = client.get_json("/project/penguins").get_json()["progress"]
    assert progress == {"n_tasks": 3, "n_completed": 1, "n_task_runs": 5, "n_volunteers": 4,
                        "percent_completed": 33}
    html = client.get("/project/penguins").get_data(as_text=True)
    assert '<div class="card-count" id="n_task_runs">5</div>' in html
    assert '<div class="card-count" id="n_volunteers">4</div>' in html


@pytest.mark.parametrize("who,status", [("anonymous", 404), ("other", 404), ("owner", 200), ("admin", 200)])
def test_draft_project_page_only_for_owner_and_admins(clients, who, status, draft):
    assert clients[who].get("/project/birds").status_code == status
    assert clients[who].get_json("/project/birds").status_code == status


@pytest.mark.parametrize("who", ["owner", "admin"])
def test_draft_page_shows_reasons_publish_button_and_settings(clients, who, draft):
    html = clients[who].get("/project/birds").get_data(as_text=True)
    assert 'id="draft-panel"' in html
    assert 'data-reason="no tasks"' in html and 'data-reason="no task presenter"' in html
    assert 'action="/project/birds/publish"' in html and 'id="publish"' in html
    assert 'href="/project/birds/settings"' in html
    assert 'id="contribute"' not in html  # no Contribute button on a draft
    data = clients[who].get_json("/project/birds").get_json()
    assert data["draft_reasons"] == ["no tasks", "no task presenter"]
    assert data["can_contribute"] is False
    assert data["links"]["publish"] == "/project/birds/publish"


def test_draft_with_a_presenter_lacks_only_tasks(user_client, user):
    factories.project(owner=user, short_name="letters", published=False)
    assert user_client.get_json("/project/letters").get_json()["draft_reasons"] == ["no tasks"]


def test_unknown_project_is_404(client):
    assert client.get("/project/nothing-here").status_code == 404
    assert client.get_json("/project/nothing-here").get_json()["code"] == 404


def test_paused_project_says_so_and_offers_no_contribute_button(client, published):
    published.paused = True
    db.session.commit()
    html = client.get("/project/penguins").get_data(as_text=True)
    assert 'id="paused-message"' in html
    assert 'id="contribute"' not in html
    assert client.get_json("/project/penguins").get_json()["can_contribute"] is False


# --- publish ---------------------------------------------------------------------------------------

def test_publish_refused_with_both_reasons(user_client, draft):
    response = user_client.post("/project/birds/publish")
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "cannot publish: no tasks and no task presenter" in html
    db.session.expire_all()
    assert db.session.get(Project, draft.id).published is False
    assert audit_rows(draft.id, attribute="published") == []


def test_publish_refused_json_names_the_missing_presenter(user_client, draft):
    factories.task(project=draft)
    response = user_client.post("/project/birds/publish?response_format=json")
    assert response.status_code == 409
    data = response.get_json()
    assert data["status"] == "error"
    assert data["flash"] == "cannot publish: no task presenter"
    assert data["draft_reasons"] == ["no task presenter"]


@pytest.mark.parametrize("who", ["owner", "admin"])
def test_publish_accepted_when_ready_and_audited(clients, who, draft, user, admin_user):
    factories.task(project=draft)
    draft.info = {"task_presenter": "<p>Ready</p>"}
    db.session.commit()
    response = clients[who].post("/project/birds/publish")
    assert response.status_code == 302 and response.headers["Location"] == "/project/birds"
    db.session.expire_all()
    assert db.session.get(Project, draft.id).published is True
    [row] = audit_rows(draft.id, attribute="published")
    actor = user if who == "owner" else admin_user
    assert (row.action, row.caller, row.old_value, row.new_value, row.user_id) == \
        ("update", "web", "false", "true", actor.id)
    page = clients[who].get("/project/birds").get_data(as_text=True)
    assert "The project is published" in page and 'id="draft-panel"' not in page


def test_publish_json_answer_points_to_the_project(user_client, draft):
    factories.task(project=draft)
    draft.info = {"task_presenter": "<p>Ready</p>"}
    db.session.commit()
    data = user_client.post("/project/birds/publish?response_format=json").get_json()
    assert data["next"] == "/project/birds" and data["status"] == "success"


def test_publish_twice_is_a_conflict(user_client, published):
    response = user_client.post("/project/penguins/publish?response_format=json")
    assert response.status_code == 409
    assert response.get_json()["flash"] == "the project is already published"


def test_publish_needs_owner_or_admin(client, other_client, draft, published):
    anonymous = client.post("/project/birds/publish")
    assert anonymous.status_code == 302 and "/account/signin" in anonymous.headers["Location"]
    assert other_client.post("/project/birds/publish").status_code == 404  # a stranger's draft stays hidden
    assert other_client.post("/project/penguins/publish").status_code == 403
    db.session.expire_all()
    assert db.session.get(Project, draft.id).published is False


def test_publish_refuses_get_and_missing_csrf(user_client, draft):
    factories.task(project=draft)
    draft.info = {"task_presenter": "<p>Ready</p>"}
    db.session.commit()
    assert user_client.get("/project/birds/publish").status_code == 405
    response = user_client.post("/project/birds/publish", csrf=False)
    assert response.status_code == 400
    assert "security token" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Project, draft.id).published is False

"""Project creation, settings (audited with caller "web") and delete with a typed confirmation."""
import pytest

from pybossa_admin.extensions import db
from pybossa_admin.models import Category, Project, Task

from .. import factories
from .conftest import audit_rows


def _new_values(**overrides):
    values = {"name": "Moon Craters", "short_name": "craters", "description": "Mark craters on the Moon",
              "long_description": "Lunar images.", "category_id": str(factories.default_category().id)}
    values.update(overrides)
    return values


# --- /project/new ------------------------------------------------------------------------------------

def test_new_project_needs_sign_in(client):
    response = client.get("/project/new")
    assert response.status_code == 302 and "/account/signin" in response.headers["Location"]
    assert client.post("/project/new", _new_values()).status_code == 302
    assert Project.query.count() == 0


@pytest.mark.parametrize("who", ["owner", "other", "admin"])
def test_new_project_form_for_signed_in_users(clients, who):
    response = clients[who].get("/project/new")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<select class="form-control" id="category_id" name="category_id">' in html
    assert ">Sensing</option>" in html and ">Thinking</option>" in html
    data = clients[who].get_json("/project/new").get_json()
    assert data["template"] == "web/project_new.html"
    assert set(data["form"]["fields"]) == {"name", "short_name", "description", "long_description", "category_id"}


def test_create_project_makes_an_audited_draft(user_client, user):
    sensing = Category.query.filter_by(short_name="sensing").one()
    response = user_client.post("/project/new", _new_values(category_id=str(sensing.id)))
    assert response.status_code == 302 and response.headers["Location"] == "/project/craters"
    project = Project.query.filter_by(short_name="craters").one()
    assert (project.owner_id, project.published, project.category_id) == (user.id, False, sensing.id)
    [row] = audit_rows(project.id)
    assert (row.action, row.caller, row.attribute, row.user_id) == ("create", "web", "project", user.id)
    page = user_client.get("/project/craters").get_data(as_text=True)
    assert "Project created" in page and 'id="draft-panel"' in page


def test_create_project_json(user_client):
    response = user_client.post("/project/new?response_format=json", _new_values())
    assert response.status_code == 200
    assert response.get_json()["next"] == "/project/craters"


@pytest.mark.parametrize("short_name,message", [
    ("has space", "Use only letters, digits, &#39;-&#39; and &#39;_&#39; (no spaces)."),
    ("émoji", "Use only letters, digits"),
    ("new", "&#39;new&#39; is reserved; choose another short name."),
    ("", "Choose a short name."),
])
def test_short_name_validation_messages(user_client, short_name, message):
    response = user_client.post("/project/new", _new_values(short_name=short_name))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert Project.query.count() == 0


def test_taken_short_name_and_name_are_refused_next_to_the_field(user_client, published):
    response = user_client.post("/project/new", _new_values(short_name="PENGUINS"))
    assert response.status_code == 409
    assert "the short name &#39;PENGUINS&#39; is taken" in response.get_data(as_text=True)
    response = user_client.post("/project/new?response_format=json", _new_values(name="Penguin Watch"))
    assert response.status_code == 409
    assert response.get_json()["form"]["errors"] == {"name": ["a project named 'Penguin Watch' exists already"]}
    assert Project.query.count() == 1


def test_unknown_category_is_refused(user_client):
    response = user_client.post("/project/new?response_format=json", _new_values(category_id="9999"))
    assert response.status_code == 400
    assert "category_id" in response.get_json()["form"]["errors"]


def test_create_refuses_missing_csrf(user_client):
    assert user_client.post("/project/new", _new_values(), csrf=False).status_code == 400
    assert Project.query.count() == 0


# --- settings ----------------------------------------------------------------------------------------

def _settings_values(project, **overrides):
    values = {"name": project.name, "description": project.description,
              "long_description": project.long_description, "category_id": str(project.category_id),
              "task_presenter": (project.info or {}).get("task_presenter", "")}
    if project.allow_anonymous_contributors:
        values["allow_anonymous_contributors"] = "y"
    if project.paused:
        values["paused"] = "y"
    values.update(overrides)
    return {k: v for k, v in values.items() if v is not None}


@pytest.mark.parametrize("who,status", [("owner", 200), ("admin", 200), ("other", 403)])
def test_settings_page_access(clients, who, status, published):
    assert clients[who].get("/project/penguins/settings").status_code == status
    assert clients[who].get_json("/project/penguins/settings").status_code == status


def test_settings_page_redirects_anonymous_and_hides_drafts(client, other_client, draft):
    response = client.get("/project/birds/settings")
    assert response.status_code == 302 and "/account/signin" in response.headers["Location"]
    assert other_client.get("/project/birds/settings").status_code == 404
    assert client.get("/project/nope/settings").status_code == 404


def test_settings_page_shows_current_values(user_client, published):
    html = user_client.get("/project/penguins/settings").get_data(as_text=True)
    assert 'value="Penguin Watch"' in html
    assert "&lt;p&gt;Answer me&lt;/p&gt;</textarea>" in html  # the presenter, escaped, in a textarea
    assert 'action="/project/penguins/delete"' in html
    data = user_client.get_json("/project/penguins/settings").get_json()
    assert data["form"]["fields"]["task_presenter"] == "<p>Answer me</p>"
    assert data["form"]["fields"]["allow_anonymous_contributors"] is True


@pytest.mark.parametrize("who", ["owner", "admin"])
def test_settings_changes_are_audited_one_row_per_attribute(clients, who, published, user, admin_user):
    before = len(audit_rows(published.id))
    sensing = Category.query.filter_by(short_name="sensing").one()
    response = clients[who].post("/project/penguins/settings", _settings_values(
        published, name="Penguin Watch 2", description="Count them all", category_id=str(sensing.id),
        allow_anonymous_contributors=None, paused="y",
        task_presenter="<p>New presenter</p>\r\n<script>pybossa.onTask(function(){});</script>"))
    assert response.status_code == 302 and response.headers["Location"] == "/project/penguins/settings"
    db.session.expire_all()
    project = db.session.get(Project, published.id)
    assert (project.name, project.paused, project.allow_anonymous_contributors, project.category_id) == \
        ("Penguin Watch 2", True, False, sensing.id)
    assert project.info["task_presenter"] == "<p>New presenter</p>\n<script>pybossa.onTask(function(){});</script>"
    rows = audit_rows(published.id)[before:]
    actor = user if who == "owner" else admin_user
    assert {r.attribute for r in rows} == {"name", "description", "category_id", "allow_anonymous_contributors",
                                           "paused", "task_presenter"}
    assert all(r.caller == "web" and r.action == "update" and r.user_id == actor.id for r in rows)
    by_attribute = {r.attribute: (r.old_value, r.new_value) for r in rows}
    assert by_attribute["name"] == ("Penguin Watch", "Penguin Watch 2")
    assert by_attribute["paused"] == ("false", "true")
    assert by_attribute["task_presenter"][0] == "<p>Answer me</p>"
    page = clients[who].get("/project/penguins/settings").get_data(as_text=True)
    assert "Settings saved (6 changes)." in page


def test_saving_unchanged_settings_writes_no_audit_row(user_client, published):
    published.info = {"task_presenter": "<p>line one</p>\n<p>line two</p>"}
    db.session.commit()
    before = len(audit_rows(published.id))
    # Browsers send textarea lines with CRLF: that is not a change.
    values = _settings_values(published, task_presenter="<p>line one</p>\r\n<p>line two</p>")
    response = user_client.post("/project/penguins/settings?response_format=json", values)
    assert response.get_json()["flash"] == "Nothing changed."
    assert len(audit_rows(published.id)) == before


def test_emptying_the_presenter_removes_it_and_is_audited(user_client, published):
    user_client.post("/project/penguins/settings", _settings_values(published, task_presenter="  "))
    db.session.expire_all()
    assert "task_presenter" not in db.session.get(Project, published.id).info
    [row] = audit_rows(published.id, attribute="task_presenter")
    assert (row.old_value, row.new_value, row.caller) == ("<p>Answer me</p>", "", "web")


def test_json_settings_update_is_partial(user_client, published):
    response = user_client.post("/project/penguins/settings?response_format=json", json={"paused": True})
    assert response.status_code == 200 and response.get_json()["flash"] == "Settings saved (1 change)."
    db.session.expire_all()
    project = db.session.get(Project, published.id)
    assert project.paused is True and project.allow_anonymous_contributors is True
    assert project.name == "Penguin Watch" and project.has_presenter
    [row] = audit_rows(published.id, attribute="paused")
    assert row.caller == "web"


def test_settings_validation_errors(user_client, published, draft):
    response = user_client.post("/project/penguins/settings?response_format=json",
                                _settings_values(published, name=""))
    assert response.status_code == 400
    assert response.get_json()["form"]["errors"]["name"] == ["Give the project a name."]
    response = user_client.post("/project/penguins/settings", _settings_values(published, name="Bird Songs"))
    assert response.status_code == 409
    assert "a project named &#39;Bird Songs&#39; exists already" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Project, published.id).name == "Penguin Watch"


def test_settings_refuse_others_and_missing_csrf(other_client, user_client, published):
    hacked = other_client.post("/project/penguins/settings", _settings_values(published, name="Hacked"))
    assert hacked.status_code == 403
    assert user_client.post("/project/penguins/settings", _settings_values(published, name="X"),
                            csrf=False).status_code == 400
    db.session.expire_all()
    assert db.session.get(Project, published.id).name == "Penguin Watch"


def test_settings_refuse_non_json_objects(user_client, published):
    response = user_client.post("/project/penguins/settings?response_format=json", json=["paused"])
    assert response.status_code == 400
    assert response.get_json()["description"] == "The request body must be a JSON object."
    broken = user_client.raw.post("/project/penguins/settings", data="{not json",
                                  headers={"Content-Type": "application/json",
                                           "X-CSRFToken": user_client.csrf_token()})
    assert broken.status_code == 400


# --- delete ------------------------------------------------------------------------------------------

def test_delete_needs_the_typed_short_name(user_client, published):
    response = user_client.post("/project/penguins/delete", {"confirm": "penguin"})
    assert response.status_code == 400
    assert "Type penguins exactly to delete the project." in response.get_data(as_text=True)
    response = user_client.post("/project/penguins/delete?response_format=json", {})
    assert response.status_code == 400
    assert response.get_json()["delete_form"]["errors"] == {"confirm": ["Type the short name to confirm."]}
    assert db.session.get(Project, published.id) is not None


@pytest.mark.parametrize("who", ["owner", "admin"])
def test_delete_with_confirmation_deletes_and_audits(clients, who, published, user, admin_user):
    project_id = published.id
    response = clients[who].post("/project/penguins/delete", {"confirm": "penguins"})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    db.session.expire_all()
    assert db.session.get(Project, project_id) is None
    assert Task.query.filter_by(project_id=project_id).count() == 0
    [row] = audit_rows(project_id, action="delete")
    actor = user if who == "owner" else admin_user
    assert (row.caller, row.user_id, row.project_short_name) == ("web", actor.id, "penguins")


def test_delete_refuses_get_others_and_missing_csrf(client, other_client, user_client, published):
    assert user_client.get("/project/penguins/delete").status_code == 405
    assert user_client.post("/project/penguins/delete", {"confirm": "penguins"}, csrf=False).status_code == 400
    assert other_client.post("/project/penguins/delete", {"confirm": "penguins"}).status_code == 403
    anonymous = client.post("/project/penguins/delete", {"confirm": "penguins"})
    assert anonymous.status_code == 302
    db.session.expire_all()
    assert db.session.get(Project, published.id) is not None
    assert audit_rows(published.id, action="delete") == []

"""Point 5: /admin/categories list, add, update, delete (never one in use, never the last)."""
import pytest

from pybossa_admin.extensions import db
from pybossa_admin.models import Category

from ... import factories


def _thinking():
    return Category.query.filter_by(short_name="thinking").one()


def _json(client, url, data):
    return client.post(url, data, query_string={"response_format": "json"})


def test_anonymous_and_non_admin_are_refused(client, user_client):
    cid = _thinking().id
    for url in ("/admin/categories", f"/admin/categories/update/{cid}", f"/admin/categories/del/{cid}"):
        for response in (client.get(url), client.get(url + "?response_format=json"), client.post(url, {"name": "x"})):
            assert response.status_code == 302 and "/account/signin" in response.headers["Location"]
        assert user_client.get(url).status_code == 403
        assert user_client.get_json(url).get_json()["code"] == 403
        assert user_client.post(url, {"name": "x"}).status_code == 403
    assert Category.query.count() == 2 and _thinking().name == "Thinking"


def test_list_counts_projects_drafts_included(admin_client):
    owner = factories.user(name="owner")
    factories.project(owner=owner)
    factories.project(owner=owner, published=False, presenter=False)
    data = admin_client.get_json("/admin/categories").get_json()
    assert data["template"] == "categories/index.html"
    assert data["form"]["csrf"]
    assert [c["short_name"] for c in data["categories"]] == ["sensing", "thinking"]
    assert data["n_projects_per_category"] == {"thinking": 2, "sensing": 0}
    html = admin_client.get("/admin/categories").get_data(as_text=True)
    assert "Volunteer Thinking projects" in html and f'id="category-{_thinking().id}"' in html


def test_add_a_category(admin_client):
    data = _json(admin_client, "/admin/categories", {"name": "Marine Biology", "description": "Fish"}).get_json()
    assert data["flash"] == "Category added" and data["status"] == "success"
    added = Category.query.filter_by(name="Marine Biology").one()
    assert added.short_name == "marinebiology" and added.description == "Fish"
    assert data["n_projects_per_category"]["marinebiology"] == 0
    html = admin_client.post("/admin/categories", {"name": "Astronomy", "description": ""}).get_data(as_text=True)
    assert "Category added" in html and "Astronomy" in html


def test_duplicate_or_empty_name_is_an_error(admin_client):
    response = _json(admin_client, "/admin/categories", {"name": "thinking", "description": "again"})
    assert response.status_code == 409
    data = response.get_json()
    assert data["flash"] == "Please correct the errors" and data["status"] == "error"
    assert len(data["form"]["errors"]["name"]) == 1 and "exists already" in data["form"]["errors"]["name"][0]
    response = _json(admin_client, "/admin/categories", {"name": "   ", "description": "no name"})
    assert response.status_code == 400 and response.get_json()["form"]["errors"]["name"]
    assert Category.query.count() == 2
    html = admin_client.post("/admin/categories", {"name": "Thinking"}).get_data(as_text=True)
    assert "exists already" in html and "is-invalid" in html


def test_short_names_are_derived_and_unique(admin_client):
    _json(admin_client, "/admin/categories", {"name": "Think Ing", "description": ""})
    _json(admin_client, "/admin/categories", {"name": "THINK-ING!", "description": ""})
    _json(admin_client, "/admin/categories", {"name": "日本語", "description": ""})
    names = {c.name: c.short_name for c in Category.query}
    assert names["Think Ing"] == "thinking-2"           # "thinking" is taken
    assert names["THINK-ING!"] == "think-ing"
    assert names["日本語"] == "category"


def test_update_name_and_description(admin_client):
    cid = _thinking().id
    data = admin_client.get_json(f"/admin/categories/update/{cid}").get_json()
    assert data["category"]["name"] == "Thinking" and data["form"]["csrf"]
    assert data["form"]["fields"]["description"] == "Volunteer Thinking projects"
    response = _json(admin_client, f"/admin/categories/update/{cid}", {"name": "Deep Thinking",
                                                                       "description": "Think hard"})
    assert response.get_json()["flash"] == "Category updated" and response.get_json()["next"] == "/admin/categories"
    db.session.expire_all()
    category = db.session.get(Category, cid)
    assert (category.name, category.description) == ("Deep Thinking", "Think hard")   # PYBOSSA dropped this
    assert category.short_name == "thinking"                                            # links keep working


def test_update_errors_and_unknown(admin_client):
    cid = _thinking().id
    assert admin_client.get("/admin/categories/update/5000").status_code == 404
    assert admin_client.get_json("/admin/categories/update/5000").get_json()["error"] == "Category.id 5000 not found"
    response = _json(admin_client, f"/admin/categories/update/{cid}", {"name": "", "description": "x"})
    assert response.status_code == 400 and response.get_json()["form"]["errors"]["name"]
    response = _json(admin_client, f"/admin/categories/update/{cid}", {"name": "sensing", "description": "x"})
    assert response.status_code == 409 and "exists already" in response.get_json()["form"]["errors"]["name"][0]
    db.session.expire_all()
    assert _thinking().name == "Thinking" and _thinking().description == "Volunteer Thinking projects"
    assert admin_client.post(f"/admin/categories/update/{cid}", {"name": "X"}, csrf=False).status_code == 400


def test_delete_an_empty_category(admin_client):
    empty = factories.category(name="Empty")
    data = admin_client.get_json(f"/admin/categories/del/{empty.id}").get_json()
    assert data["category"]["id"] == empty.id and data["refusal"] is None and data["form"]["csrf"]
    assert 'id="confirm-delete"' in admin_client.get(f"/admin/categories/del/{empty.id}").get_data(as_text=True)
    response = admin_client.post(f"/admin/categories/del/{empty.id}")
    assert response.status_code == 302 and response.headers["Location"] == "/admin/categories"
    assert "Category deleted" in admin_client.get("/admin/categories").get_data(as_text=True)
    assert Category.query.filter_by(name="Empty").count() == 0
    assert admin_client.get("/admin/categories/del/5000").status_code == 404
    assert admin_client.post("/admin/categories/del/5000").status_code == 404


def test_delete_refuses_a_category_with_projects_naming_how_many(admin_client):
    owner = factories.user(name="owner")
    factories.project(owner=owner)
    factories.project(owner=owner, published=False, presenter=False)          # drafts count too
    cid = _thinking().id
    page = admin_client.get(f"/admin/categories/del/{cid}").get_data(as_text=True)
    assert 'id="refusal"' in page and "2 projects" in page and 'id="confirm-delete"' not in page
    response = _json(admin_client, f"/admin/categories/del/{cid}", {})
    assert response.status_code == 409
    assert "2 projects" in response.get_json()["flash"] and response.get_json()["status"] == "warning"
    response = admin_client.post(f"/admin/categories/del/{cid}")
    assert response.status_code == 302
    assert "2 projects" in admin_client.get("/admin/categories").get_data(as_text=True)
    assert db.session.get(Category, cid) is not None


def test_delete_refuses_the_last_category(admin_client):
    sensing = Category.query.filter_by(short_name="sensing").one()
    assert admin_client.post(f"/admin/categories/del/{sensing.id}").status_code == 302
    last = _thinking()
    response = _json(admin_client, f"/admin/categories/del/{last.id}", {})
    assert response.status_code == 409
    assert response.get_json()["flash"].startswith("Sorry, it is not possible to delete the only available category")
    assert response.get_json()["status"] == "warning"
    assert Category.query.count() == 1


@pytest.mark.parametrize("url", ["/admin/categories", "/admin/categories/del/{cid}"])
def test_posts_need_csrf(admin_client, url):
    cid = factories.category(name="Doomed").id
    assert admin_client.post(url.format(cid=cid), {"name": "Sneaky"}, csrf=False).status_code == 400
    assert Category.query.count() == 3

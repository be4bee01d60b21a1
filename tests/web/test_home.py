"""Home page (featured projects, categories, your projects) and category pages, HTML and JSON."""
import pytest

from .. import factories


def test_home_lists_featured_published_projects_with_links(client, published, draft):
    draft.featured = True  # a featured draft is still invisible to the public
    factories.db.session.commit()
    html = client.get("/").get_data(as_text=True)
    assert 'href="/project/penguins"' in html
    assert "Penguin Watch" in html
    assert "Bird Songs" not in html
    assert 'href="/project/penguins/contribute"' in html


def test_home_lists_categories_with_links_and_published_counts(client, published, draft):
    html = client.get("/").get_data(as_text=True)
    assert 'href="/project/category/thinking"' in html
    assert 'href="/project/category/sensing"' in html
    data = client.get_json("/").get_json()
    counts = {c["short_name"]: c["n_projects"] for c in data["categories"]}
    assert counts == {"thinking": 1, "sensing": 0}  # the draft is not counted


def test_home_json_shows_public_fields_only(client, published):
    published.webhook = "https://hooks.example.org/secret-path"
    published.secret_key = "s3cret"
    published.info = dict(published.info, private_notes="owner only")
    factories.db.session.commit()
    data = client.get_json("/").get_json()
    assert data["template"] == "web/home.html"
    [project] = data["featured"]
    assert project["short_name"] == "penguins"
    assert "webhook" not in project and "secret_key" not in project
    assert "private_notes" not in project["info"]
    assert data["my_projects"] == []


@pytest.mark.parametrize("who", ["owner", "other", "admin"])
def test_home_shows_your_projects_to_signed_in_users(clients, who, published, draft):
    data = clients[who].get_json("/").get_json()
    mine = {p["short_name"] for p in data["my_projects"]}
    assert mine == ({"penguins", "birds"} if who == "owner" else set())
    html = clients[who].get("/").get_data(as_text=True)
    assert 'id="new-project"' in html
    if who == "owner":
        assert "Bird Songs" in html and "Draft" in html


def test_anonymous_home_has_no_create_link(client):
    assert 'id="new-project"' not in client.get("/").get_data(as_text=True)


def test_category_page_lists_published_projects_only(client, published, draft):
    hidden = factories.project(owner=draft.owner, name="Hidden Draft", published=False)
    response = client.get("/project/category/thinking")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Penguin Watch" in html and 'href="/project/penguins"' in html
    assert "Bird Songs" not in html and hidden.name not in html
    data = client.get_json("/project/category/thinking").get_json()
    assert [p["short_name"] for p in data["projects"]] == ["penguins"]
    assert data["category"]["name"] == "Thinking"
    assert data["pagination"] == {"page": 1, "per_page": 20, "total": 1, "pages": 1}


def test_category_page_paginates(client, user):
    for n in range(23):
        factories.project(owner=user, name=f"Project {n:02d}", short_name=f"p{n:02d}")
    first = client.get_json("/project/category/thinking").get_json()
    second = client.get_json("/project/category/thinking?page=2").get_json()
    assert len(first["projects"]) == 20 and len(second["projects"]) == 3
    assert first["pagination"]["pages"] == 2
    assert client.get("/project/category/thinking?page=3").status_code == 404
    assert client.get_json("/project/category/thinking?page=0").status_code == 400


def test_unknown_category_is_404_html_and_json(client):
    assert client.get("/project/category/nope").status_code == 404
    response = client.get_json("/project/category/nope")
    assert response.status_code == 404
    assert response.get_json()["description"] == "There is no category with that name."

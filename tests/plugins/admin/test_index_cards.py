"""Point 1: the admin index shows a card per admin area with a live count."""
from pybossa_admin.models import User
from pybossa_admin.extensions import db

from ... import factories


def _cards(client):
    data = client.get_json("/admin/").get_json()
    return {card["title"]: card for card in data["cards"]}


def test_cards_of_admin_featured_categories_projects_with_live_counts(admin_client, app):
    owner = factories.user(name="owner")
    factories.project(owner=owner, featured=True)
    factories.project(owner=owner, published=False, presenter=False)
    factories.user(name="hidden", restrict=True)
    cards = _cards(admin_client)
    assert cards["Administrators"]["count"] == 1
    assert cards["Users export"]["count"] == 2          # root and owner; restricted users are not exported
    assert cards["Featured projects"]["count"] == 1
    assert cards["Categories"]["count"] == 2
    assert cards["Projects"]["count"] == 2              # drafts included
    assert [link["label"] for link in cards["Users export"]["links"]] == ["CSV", "JSON"]
    assert cards["Users export"]["links"][0]["url"] == "/admin/users/export?format=csv"

    factories.category(name="Biology")
    db.session.get(User, owner.id).admin = True
    db.session.commit()
    cards = _cards(admin_client)
    assert cards["Categories"]["count"] == 3
    assert cards["Administrators"]["count"] == 2


def test_index_html_links_every_card(admin_client):
    html = admin_client.get("/admin/").get_data(as_text=True)
    for card_id, url in (("card-administrators", "/admin/users"), ("card-featured-projects", "/admin/featured"),
                         ("card-categories", "/admin/categories"), ("card-projects", "/admin/projects")):
        assert f'id="{card_id}"' in html
        assert f'href="{url}"' in html
    assert 'id="card-users-export-csv" href="/admin/users/export?format=csv"' in html


def test_index_refuses_anonymous_and_non_admin(client, user_client):
    for url in ("/admin/", "/admin/?response_format=json"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/account/signin" in response.headers["Location"]
    assert user_client.get("/admin/").status_code == 403
    assert user_client.get_json("/admin/").get_json()["code"] == 403

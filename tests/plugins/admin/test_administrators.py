"""Point 2: /admin/users lists admins, searches users, and grants/revokes the admin role by POST."""
import pytest

from pybossa_admin.extensions import db
from pybossa_admin.models import LogEvent, User

from ... import factories


@pytest.fixture
def juan(app, admin_user):
    return factories.user(name="juan", fullname="Juan Jose")


def test_anonymous_goes_to_sign_in_and_non_admin_gets_403(client, user_client, juan):
    for url in ("/admin/users", "/admin/users?response_format=json"):
        response = client.get(url)
        assert response.status_code == 302 and "/account/signin" in response.headers["Location"]
    assert client.post("/admin/users", {"user": "juan"}).status_code == 302
    assert client.post(f"/admin/users/add/{juan.id}").status_code == 302
    assert user_client.get("/admin/users").status_code == 403
    assert user_client.get_json("/admin/users").get_json()["code"] == 403
    assert user_client.post(f"/admin/users/add/{juan.id}").status_code == 403
    assert user_client.post(f"/admin/users/del/{juan.id}").status_code == 403
    assert db.session.get(User, juan.id).admin is False


def test_admin_page_html_and_json(admin_client):
    assert "Manage Admin Users" in admin_client.get("/admin/users").get_data(as_text=True)
    data = admin_client.get_json("/admin/users").get_json()
    assert data["users"] == [] and data["found"] == []      # admins other than yourself, and no search yet
    assert data["form"]["csrf"]
    assert data["template"] == "admin/administrators.html"


def test_search_by_name_or_full_name_case_insensitive_partial_once(admin_client, juan):
    factories.user(name="pedro", fullname="Pedro Picapiedra")
    for query in ("juan", "JOSE", "an J", "uA"):
        found = admin_client.post("/admin/users", {"user": query},
                                  query_string={"response_format": "json"}).get_json()["found"]
        assert [u["name"] for u in found] == ["juan"], query
    html = admin_client.post("/admin/users", {"user": "jose"}).get_data(as_text=True)
    assert 'id="found-%d"' % juan.id in html and "Make admin" in html


def test_search_never_lists_yourself(admin_client, admin_user, juan):
    data = admin_client.post("/admin/users", {"user": "root"}, query_string={"response_format": "json"}).get_json()
    assert admin_user.id not in [u["id"] for u in data["found"]]
    data = admin_client.post("/admin/users", {"user": "u"}, query_string={"response_format": "json"}).get_json()
    assert [u["name"] for u in data["found"]] == ["juan"]


def test_search_with_json_body(admin_client, juan):
    response = admin_client.post("/admin/users", json={"user": "jua"})
    assert response.status_code == 200
    assert [u["name"] for u in response.get_json()["found"]] == ["juan"]


def test_no_match_flashes_a_message(admin_client, juan):
    data = admin_client.post("/admin/users", {"user": "nobody-like-this"},
                             query_string={"response_format": "json"}).get_json()
    assert data["found"] == []
    assert "We didn't find a user matching your query: nobody-like-this" in data["flash"]
    assert data["status"] == "message"


def test_like_wildcards_are_taken_literally(admin_client, juan):
    factories.user(name="under_score", fullname="Has Percent 100%")
    for query, names in (("%", ["under_score"]), ("_", ["under_score"]), ("0%", ["under_score"])):
        found = admin_client.get_json(f"/admin/users?user={query.replace('%', '%25')}").get_json()["found"]
        assert [u["name"] for u in found] == names, query


def test_search_is_paginated(admin_client, app):
    for n in range(55):
        factories.user(name=f"bulk{n:03d}")
    page1 = admin_client.get_json("/admin/users?user=bulk").get_json()
    assert len(page1["found"]) == 50 and page1["has_next"] is True and page1["total"] == 55
    assert page1["found"][0]["name"] == "bulk000"
    page2 = admin_client.get_json("/admin/users?user=bulk&page=2").get_json()
    assert [u["name"] for u in page2["found"]] == [f"bulk{n:03d}" for n in range(50, 55)]
    assert page2["has_next"] is False
    html = admin_client.get("/admin/users?user=bulk").get_data(as_text=True)
    assert 'id="next-page" href="/admin/users?user=bulk&amp;page=2"' in html
    assert admin_client.get("/admin/users?user=bulk&page=zero").status_code == 400


def test_json_never_carries_secrets(admin_client, admin_user, juan):
    juan.admin = True
    db.session.commit()
    body = admin_client.post("/admin/users", {"user": "j"}, query_string={"response_format": "json"}) \
        .get_data(as_text=True)
    assert "juan" in body
    for secret in ("passwd_hash", "api_key", juan.api_key, juan.passwd_hash, admin_user.api_key):
        assert secret not in body


def test_add_and_remove_admin_by_post(admin_client, juan):
    response = admin_client.post(f"/admin/users/add/{juan.id}", query_string={"response_format": "json"})
    assert response.status_code == 200
    assert response.get_json()["next"] == "/admin/users"
    assert response.get_json()["status"] == "success"
    assert db.session.get(User, juan.id).admin is True
    data = admin_client.get_json("/admin/users").get_json()
    assert [u["id"] for u in data["users"]] == [juan.id]
    assert "Current Users with Admin privileges" in admin_client.get("/admin/users").get_data(as_text=True)

    response = admin_client.post(f"/admin/users/del/{juan.id}")
    assert response.status_code == 302 and response.headers["Location"] == "/admin/users"
    db.session.expire_all()
    assert db.session.get(User, juan.id).admin is False
    assert admin_client.get_json("/admin/users").get_json()["users"] == []
    events = [e.event for e in LogEvent.query.filter(LogEvent.event.like("user.admin_%")).order_by(LogEvent.id)]
    assert events == ["user.admin_granted", "user.admin_revoked"]


def test_add_and_del_refuse_get_and_missing_csrf(admin_client, juan):
    assert admin_client.get(f"/admin/users/add/{juan.id}").status_code == 405
    assert admin_client.get(f"/admin/users/del/{juan.id}").status_code == 405
    assert admin_client.post(f"/admin/users/add/{juan.id}", csrf=False).status_code == 400
    assert db.session.get(User, juan.id).admin is False


def test_unknown_user_is_404_with_pybossa_messages(admin_client):
    response = admin_client.post("/admin/users/add/1000", query_string={"response_format": "json"})
    assert response.status_code == 404
    assert response.get_json()["error"] == "User not found" and response.get_json()["status_code"] == 404
    response = admin_client.post("/admin/users/del/5000", query_string={"response_format": "json"})
    assert response.status_code == 404 and response.get_json()["error"] == "User.id not found"
    assert admin_client.post("/admin/users/del/5000").status_code == 404


def test_removing_yourself_is_refused_with_a_message(admin_client, admin_user):
    response = admin_client.post(f"/admin/users/del/{admin_user.id}", query_string={"response_format": "json"})
    assert response.status_code == 409
    assert response.get_json()["status"] == "error"
    assert "your own admin role" in response.get_json()["flash"]
    response = admin_client.post(f"/admin/users/del/{admin_user.id}")
    assert response.status_code == 302
    page = admin_client.get("/admin/users").get_data(as_text=True)
    assert "You cannot remove your own admin role." in page
    assert db.session.get(User, admin_user.id).admin is True


def test_the_last_admin_keeps_the_role(admin_client, admin_user, juan):
    # juan becomes admin, root leaves the role... then juan (the last admin) cannot be demoted by root,
    # who is no longer an admin: refused by the guard; and juan cannot demote himself.
    juan_client = type(admin_client)(admin_client.app)
    juan.admin = True
    db.session.commit()
    juan_client.signin(juan)
    assert juan_client.post(f"/admin/users/del/{admin_user.id}").status_code == 302
    db.session.expire_all()
    assert db.session.get(User, admin_user.id).admin is False
    response = juan_client.post(f"/admin/users/del/{juan.id}", query_string={"response_format": "json"})
    assert response.status_code == 409
    db.session.expire_all()
    assert db.session.get(User, juan.id).admin is True
    assert admin_client.post(f"/admin/users/del/{juan.id}").status_code == 403


def test_broad_searches_are_capped_and_exact_names_come_first(admin_client, monkeypatch):
    from plugins.admin import queries
    monkeypatch.setattr(queries, "SEARCH_COUNT_CAP", 5)
    for n in range(8):
        factories.user(name=f"ann{n}", fullname=f"Ann Number {n}")
    factories.user(name="Ann", fullname="Plain Ann")
    data = admin_client.get_json("/admin/users?user=ANN").get_json()
    assert data["found"][0]["name"] == "Ann"              # the exact match first, whatever the cap
    assert data["total_capped"] is True and data["total"] > 5
    names = [u["name"] for u in data["found"]]
    assert len(names) == len(set(names)) == data["total"]
    assert names[1:] == sorted(names[1:])
    page = admin_client.get("/admin/users?user=ANN").get_data(as_text=True)
    assert 'id="narrow-hint"' in page and "more than 5 found" in page
    narrow = admin_client.get_json("/admin/users?user=ann7").get_json()
    assert [u["name"] for u in narrow["found"]] == ["ann7"] and narrow["total_capped"] is False


def test_a_page_past_the_end_is_empty_with_the_count(admin_client):
    factories.user(name="solo")
    data = admin_client.get_json("/admin/users?user=solo&page=3").get_json()
    assert data["found"] == [] and data["total"] == 1 and data["has_next"] is False

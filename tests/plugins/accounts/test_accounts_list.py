"""The accounts list: access, search, filters, sort, keyset pages, totals, task-run counts."""
from datetime import timedelta

import pytest
from sqlalchemy import event

from pybossa_admin.extensions import db
from pybossa_admin.models import Organization, utcnow

from ... import factories

LIST = "/admin/accounts/"


def _json(client, url):
    response = client.get_json(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_json()


def test_anonymous_is_sent_to_sign_in(client):
    for url in (LIST, LIST + "?response_format=json", "/admin/accounts/export.csv", "/admin/accounts/1"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/account/signin" in response.headers["Location"]


def test_non_admin_is_refused(user_client, user):
    for url in (LIST, "/admin/accounts/export.csv", f"/admin/accounts/{user.id}"):
        assert user_client.get(url).status_code == 403
        assert user_client.get_json(url).status_code == 403
    assert user_client.post(f"/admin/accounts/{user.id}/grant-admin").status_code == 403


def test_list_html_and_json_show_every_column(admin_client, user):
    org = Organization(name="Acme Labs", short_name="acme")
    db.session.add(org)
    db.session.commit()
    user.organization_id, user.pro = org.id, True
    db.session.commit()
    project = factories.project(owner=user)
    for task in (factories.task(project=project), factories.task(project=project)):
        factories.task_run(task=task, user=user)
    html = admin_client.get(LIST).get_data(as_text=True)
    assert "joe@example.org" in html and "Acme Labs" in html and 'id="accounts-table"' in html
    data = _json(admin_client, LIST)
    joe = next(u for u in data["users"] if u["name"] == "joe")
    assert joe["email_addr"] == "joe@example.org"
    assert joe["organization"] == "Acme Labs"
    assert joe["task_runs"] == 2
    assert joe["pro"] is True and joe["admin"] is False and joe["enabled"] is True
    assert joe["last_login"] is None
    root = next(u for u in data["users"] if u["name"] == "root")
    assert root["last_login"] is not None and root["admin"] is True
    assert "passwd_hash" not in joe and "api_key" not in joe
    assert data["total"] == {"count": 2, "exact": True, "capped": False}


def test_search_is_case_insensitive_and_partial_on_name_fullname_and_email(admin_client):
    factories.user(name="xannie")
    factories.user(name="bob", fullname="Annabel Smith")
    factories.user(name="carl", email_addr="ANNA@corp.example")
    factories.user(name="dave")
    names = {u["name"] for u in _json(admin_client, LIST + "?q=ANN")["users"]}
    assert names == {"xannie", "bob", "carl"}


def test_search_treats_like_wildcards_literally(admin_client):
    factories.user(name="a_b")
    factories.user(name="axb")
    factories.user(name="per100", fullname="Per 100%")
    assert {u["name"] for u in _json(admin_client, LIST + "?q=a_b")["users"]} == {"a_b"}
    assert {u["name"] for u in _json(admin_client, LIST + "?q=%25")["users"]} == {"per100"}


def test_filters(admin_client, admin_user, user):
    org = Organization(name="Org A", short_name="org-a")
    db.session.add(org)
    db.session.commit()
    off = factories.user(name="off", enabled=False)
    pro = factories.user(name="prouser", pro=True, organization_id=org.id)

    def names(query):
        return {u["name"] for u in _json(admin_client, LIST + "?" + query)["users"]}

    assert names("active=no") == {"off"}
    assert names("active=yes") == {"root", "joe", "prouser"}
    assert names("admin=yes") == {"root"}
    assert names("admin=no&active=yes") == {"joe", "prouser"}
    assert names("pro=yes") == {"prouser"}
    assert names(f"organization={org.id}") == {"prouser"}
    assert names("organization=none") == {"root", "joe", "off"}
    assert off.id and pro.id


@pytest.mark.parametrize("query", ["active=maybe", "sort=password", "order=up", "organization=acme",
                                   "per_page=0", "per_page=x", "after=%%%", "after=bm90LWpzb24"])
def test_bad_parameters_are_400_with_a_message(admin_client, query):
    response = admin_client.get_json(LIST + "?" + query)
    assert response.status_code == 400
    assert response.get_json()["description"]
    assert admin_client.get(LIST + "?" + query).status_code == 400


def _expected(users, key, descending):
    """Python's version of the ordering: by (value, id), NULL values last in both directions."""
    valued = sorted((u for u in users if key(u) is not None), key=lambda u: (key(u), u["id"]), reverse=descending)
    nulls = sorted((u for u in users if key(u) is None), key=lambda u: u["id"], reverse=descending)
    return [u["id"] for u in valued + nulls]


def _walk(client, base):
    """Follow next cursors to the end, then prev cursors back to the start; return both id lists."""
    pages, data = [], _json(client, base)
    pages.append([u["id"] for u in data["users"]])
    while data["next_cursor"]:
        data = _json(client, f"{base}&after={data['next_cursor']}")
        pages.append([u["id"] for u in data["users"]])
    back = [[u["id"] for u in data["users"]]]
    while data["prev_cursor"]:
        data = _json(client, f"{base}&before={data['prev_cursor']}")
        back.insert(0, [u["id"] for u in data["users"]])
    return pages, back


@pytest.fixture
def population(app, admin_user, user):
    now = utcnow()
    people = []
    for i, (name, login_days, created_days, runs) in enumerate([
            ("Zed", 1, 50, 3), ("amy", None, 40, 0), ("Bea", 5, 30, 1), ("carl", None, 20, 3),
            ("dora", 2, 10, 0), ("Eve", 5, 5, 2), ("fay", None, 1, 0)]):
        u = factories.user(name=name, created=now - timedelta(days=created_days),
                           last_login=None if login_days is None else now - timedelta(days=login_days))
        people.append((u, runs))
    # Two users with the very same sign-in time: the id breaks the tie.
    people[5][0].last_login = people[2][0].last_login
    db.session.commit()
    project = factories.project(owner=admin_user)
    tasks = [factories.task(project=project) for _ in range(3)]
    for u, runs in people:
        for t in tasks[:runs]:
            factories.task_run(task=t, user=u)
    return people


@pytest.mark.parametrize("sort,order", [("last_login", ""), ("last_login", "asc"), ("name", ""), ("name", "desc"),
                                        ("created", ""), ("created", "asc"), ("task_runs", ""),
                                        ("task_runs", "asc")])
def test_keyset_pages_follow_the_sort_both_ways(admin_client, population, sort, order):
    everyone = _json(admin_client, f"{LIST}?per_page=500&sort={sort}")["users"]
    assert len(everyone) == 9
    keys = {"last_login": lambda u: u["last_login"], "name": lambda u: u["name"].lower(),
            "created": lambda u: u["created"], "task_runs": lambda u: u["task_runs"]}
    natural_desc = sort != "name"
    descending = natural_desc if not order else order == "desc"
    expected = _expected(everyone, keys[sort], descending)
    base = f"{LIST}?per_page=2&sort={sort}" + (f"&order={order}" if order else "")
    forward, backward = _walk(admin_client, base)
    assert [i for page in forward for i in page] == expected
    assert all(len(page) == 2 for page in forward[:-1])
    assert backward == forward


def test_never_signed_in_users_come_last_when_sorting_by_last_sign_in(admin_client, population):
    users = _json(admin_client, f"{LIST}?per_page=500")["users"]
    logins = [u["last_login"] for u in users]
    first_null = logins.index(None)
    assert all(value is None for value in logins[first_null:])
    assert logins[:first_null] == sorted(logins[:first_null], reverse=True)


def test_html_pages_link_next_and_previous(admin_client, population):
    html = admin_client.get(LIST + "?per_page=4").get_data(as_text=True)
    assert 'id="accounts-next" href="/admin/accounts/?after=' in html
    data = _json(admin_client, LIST + "?per_page=4")
    second = admin_client.get(f"{LIST}?per_page=4&after={data['next_cursor']}").get_data(as_text=True)
    assert 'id="accounts-prev" href="/admin/accounts/?before=' in second


def test_total_is_capped_instead_of_counting_everything(admin_client, population, monkeypatch):
    from plugins.accounts import queries
    assert _json(admin_client, LIST)["total"] == {"count": 9, "exact": True, "capped": False}
    monkeypatch.setattr(queries, "COUNT_CAP", 3)
    total = _json(admin_client, LIST + "?active=yes")["total"]
    assert total == {"count": 3, "exact": False, "capped": True}
    assert "More than 3 users match" in admin_client.get(LIST + "?active=yes").get_data(as_text=True)


def test_one_grouped_task_run_query_per_page_and_no_unbounded_count(app, admin_client, population):
    statements = []

    def remember(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement.lower())

    event.listen(db.engine, "before_cursor_execute", remember)
    try:
        data = _json(admin_client, LIST + "?per_page=3")
    finally:
        event.remove(db.engine, "before_cursor_execute", remember)
    assert len(data["users"]) == 3
    task_run_queries = [s for s in statements if "task_run" in s]
    assert len(task_run_queries) == 1
    assert "group by" in task_run_queries[0] and " in (" in task_run_queries[0]
    counts = [s for s in statements if "count(" in s and "task_run" not in s]
    assert counts and all("limit" in s for s in counts)


@pytest.mark.parametrize("sort", ["last_login", "name", "task_runs"])
def test_keyset_pages_with_a_selective_filter(admin_client, population, sort):
    """Filters matching few users page through the fetched-then-sorted matches; same order, same pages."""
    everyone = _json(admin_client, f"{LIST}?per_page=500&sort={sort}&active=yes")["users"]
    assert len(everyone) == 9
    unfiltered = [u["id"] for u in _json(admin_client, f"{LIST}?per_page=500&sort={sort}")["users"]]
    forward, backward = _walk(admin_client, f"{LIST}?per_page=2&sort={sort}&active=yes")
    assert [i for page in forward for i in page] == unfiltered
    assert backward == forward

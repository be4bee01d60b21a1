"""Point 3: /admin/users/export?format=csv|json, streamed, UTF-8, no formula injection."""
import codecs
import csv
import io
import json

import pytest

from pybossa_admin.models import LogEvent

from ... import factories

FIELDS = ["id", "name", "fullname", "email_addr", "created", "locale", "admin", "consent", "restrict"]


@pytest.fixture
def people(app, admin_user):
    factories.user(name="ana", fullname="Zoë Ñandú 日本")
    factories.user(name="bob", fullname="=HYPERLINK(\"http://evil\",\"x\")", locale="@SUM(1)")
    factories.user(name="carl", fullname="-2+3", consent=True)
    factories.user(name="dora", fullname="\tTabbed")
    factories.user(name="gone", restrict=True)


def _csv_rows(response):
    text = response.get_data().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_no_format_redirects_to_the_admin_index_and_bad_format_is_415(admin_client):
    for url in ("/admin/users/export", "/admin/users/export?firmit=", "/admin/users/export?format="):
        response = admin_client.get(url)
        assert response.status_code == 302 and response.headers["Location"] == "/admin/"
    response = admin_client.get("/admin/users/export?format=bad")
    assert response.status_code == 415
    assert "format=csv or format=json" in response.get_data(as_text=True)
    assert admin_client.get_json("/admin/users/export?format=xml").get_json()["code"] == 415


def test_anonymous_and_non_admin_are_refused(client, user_client):
    for params in ("", "?format=csv", "?format=json", "?format=bad"):
        response = client.get("/admin/users/export" + params)
        assert response.status_code == 302 and "/account/signin" in response.headers["Location"]
        assert user_client.get("/admin/users/export" + params).status_code == 403


def test_json_export(admin_client, people):
    response = admin_client.get("/admin/users/export?format=json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"] == "attachment; filename=all_users.json"
    assert response.is_streamed
    users = json.loads(response.get_data().decode("utf-8"))
    assert [u["name"] for u in users] == ["root", "ana", "bob", "carl", "dora"]      # restricted "gone" left out
    assert all(list(u) == FIELDS for u in users)
    ana = users[1]
    assert ana["fullname"] == "Zoë Ñandú 日本" and ana["restrict"] is False and ana["admin"] is False
    assert users[0]["admin"] is True and users[3]["consent"] is True
    assert ana["created"].endswith("+00:00")
    assert "passwd_hash" not in response.get_data(as_text=True)


def test_csv_export(admin_client, people):
    response = admin_client.get("/admin/users/export?format=csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv" and response.mimetype_params["charset"] == "utf-8"
    assert response.headers["Content-Disposition"] == "attachment; filename=all_users.csv"
    assert response.is_streamed
    raw = response.get_data()
    assert raw.startswith(codecs.BOM_UTF8)                      # Excel reads the file as UTF-8
    header, *rows = _csv_rows(response)
    assert header == FIELDS
    assert [r[1] for r in rows] == ["root", "ana", "bob", "carl", "dora"]
    by_name = {r[1]: dict(zip(FIELDS, r)) for r in rows}
    assert by_name["ana"]["fullname"] == "Zoë Ñandú 日本"
    assert by_name["root"]["admin"] == "True" and by_name["ana"]["admin"] == "False"


def test_csv_cells_cannot_be_formulas(admin_client, people):
    by_name = {r[1]: dict(zip(FIELDS, r)) for r in _csv_rows(admin_client.get("/admin/users/export?format=csv"))[1:]}
    assert by_name["bob"]["fullname"] == "'=HYPERLINK(\"http://evil\",\"x\")"
    assert by_name["bob"]["locale"] == "'@SUM(1)"
    assert by_name["carl"]["fullname"] == "'-2+3"
    assert by_name["dora"]["fullname"] == "'\tTabbed"
    assert by_name["ana"]["fullname"] == "Zoë Ñandú 日本"       # untouched


def test_csv_without_bom_on_request(admin_client, people):
    raw = admin_client.get("/admin/users/export?format=csv&bom=0").get_data()
    assert raw.startswith(b"id,name,fullname")


def test_export_streams_in_pieces(admin_client, people, monkeypatch):
    # Tiny chunks (SELECT path) and pieces (PostgreSQL COPY path) so that five users take several pieces.
    from plugins.admin import export
    monkeypatch.setattr(export, "CHUNK", 2)
    monkeypatch.setattr(export, "PIECE", 1)
    response = admin_client.get("/admin/users/export?format=json")
    pieces = list(response.response)
    assert len(pieces) >= 4 and pieces[0] == b"[" and pieces[-1] == b"]"
    assert [u["name"] for u in json.loads(b"".join(pieces))] == ["root", "ana", "bob", "carl", "dora"]
    pieces = list(admin_client.get("/admin/users/export?format=csv").response)
    assert len(pieces) >= 4 and pieces[0] == codecs.BOM_UTF8
    rows = list(csv.reader(io.StringIO(b"".join(pieces).decode("utf-8-sig"))))
    assert [r[1] for r in rows] == ["name", "root", "ana", "bob", "carl", "dora"]


def test_json_array_joins_lines_whatever_the_piece_boundaries():
    from plugins.admin.export import _json_array
    lines = b'{"a":1}\n{"b":"x,\\n"}\n{"c":[]}\n'
    for size in (1, 2, 3, 7, len(lines)):
        pieces = [lines[i:i + size] for i in range(0, len(lines), size)]
        assert json.loads(b"".join(_json_array(pieces))) == [{"a": 1}, {"b": "x,\n"}, {"c": []}]
    assert json.loads(b"".join(_json_array([]))) == []


def test_client_going_away_stops_the_export(admin_client, people, monkeypatch):
    from plugins.admin import export
    monkeypatch.setattr(export, "CHUNK", 1)
    monkeypatch.setattr(export, "PIECE", 1)
    response = admin_client.get("/admin/users/export?format=csv")
    iterator = iter(response.response)
    assert next(iterator)                     # the download starts...
    response.close()                          # ...and the browser tab is closed
    # the app still answers (the database connection was released, not left mid-COPY)
    assert admin_client.get_json("/admin/users").status_code == 200
    assert len(_csv_rows(admin_client.get("/admin/users/export?format=csv"))) == 6


def test_export_is_recorded_in_the_platform_log(admin_client, admin_user):
    admin_client.get("/admin/users/export?format=csv").get_data()
    event = LogEvent.query.filter_by(event="users.exported").one()
    assert event.user_id == admin_user.id and event.data == {"format": "csv"}

"""The streamed, formula-safe CSV export of the accounts list."""
import csv
import io

from sqlalchemy import select

from pybossa_admin.extensions import db
from pybossa_admin.models import LogEvent

from ... import factories

EXPORT = "/admin/accounts/export.csv"


def _rows(response):
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_export_is_streamed_csv_with_every_user(admin_client, user):
    project = factories.project(owner=user)
    factories.task_run(task=factories.task(project=project), user=user)
    response = admin_client.get(EXPORT)
    assert response.status_code == 200
    assert response.is_streamed
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = _rows(response)
    assert [r["name"] for r in rows] == ["root", "joe"]
    joe = rows[1]
    assert joe["email_addr"] == "joe@example.org" and joe["task_runs"] == "1" and joe["enabled"] == "true"
    text = response.get_data(as_text=True)
    assert user.api_key not in text and user.passwd_hash not in text
    assert db.session.scalar(select(LogEvent).where(LogEvent.event == "accounts.exported")) is not None


def test_export_neutralises_spreadsheet_formulas(admin_client):
    factories.user(name="mallory", fullname='=HYPERLINK("http://evil.example","click")')
    factories.user(name="plus", fullname="+1 555", email_addr="@plus@example.org")
    rows = {r["name"]: r for r in _rows(admin_client.get(EXPORT))}
    assert rows["mallory"]["fullname"] == '\'=HYPERLINK("http://evil.example","click")'
    assert rows["plus"]["fullname"] == "'+1 555"
    assert rows["plus"]["email_addr"] == "'@plus@example.org"


def test_export_follows_the_list_filters(admin_client, user):
    factories.user(name="annie")
    factories.user(name="offline", enabled=False)
    assert [r["name"] for r in _rows(admin_client.get(EXPORT + "?q=ANN"))] == ["annie"]
    assert [r["name"] for r in _rows(admin_client.get(EXPORT + "?active=no"))] == ["offline"]
    assert admin_client.get(EXPORT + "?admin=perhaps").status_code == 400


def test_export_reads_in_batches(app, admin_user):
    from plugins.accounts import queries
    for i in range(5):
        factories.user(name=f"batch{i}")
    batches = list(queries.export_rows(queries.ListParams(), batch=2))
    assert [len(b) for b in batches] == [2, 2, 2]
    names = [column for column, _ in queries.EXPORT_COLUMNS]
    assert [r[names.index("name")] for b in batches for r in b] == ["root"] + [f"batch{i}" for i in range(5)]
    # A selective filter takes the per-user count path; the result is the same shape.
    (only,) = list(queries.export_rows(queries.ListParams(q="batch3"), batch=2))
    assert [r[names.index("name")] for r in only] == ["batch3"]


def test_export_link_on_the_list_keeps_filters(admin_client):
    html = admin_client.get("/admin/accounts/?q=joe&active=yes").get_data(as_text=True)
    assert 'href="/admin/accounts/export.csv?q=joe&amp;active=yes' in html

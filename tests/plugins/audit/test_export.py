"""Audit exports: CSV and JSON, streamed, formula-safe, filtered like the page."""
import csv
import io
import json

from pybossa_admin.extensions import db
from pybossa_admin.services import audit
from pybossa_admin.services import projects as project_service

from ... import factories


def test_csv_is_an_attachment_and_spreadsheet_safe(admin_client, admin_user, app):
    project = factories.project(short_name="apple")
    project_service.update(project, admin_user, {"description": "=HYPERLINK(\"http://evil\")"})
    project_service.update(project, admin_user, {"long_description": "Ça marche ✓"})
    response = admin_client.get("/project/apple/auditlog/export?format=csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="auditlog-apple.csv"'
    assert response.is_streamed
    text = response.get_data().decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert [r["attribute"] for r in rows] == ["long_description", "description"]
    assert rows[0]["new_value"] == "Ça marche ✓"
    assert rows[1]["new_value"] == "'=HYPERLINK(\"http://evil\")"


def test_json_export_matches_filters(admin_client, admin_user, app):
    project = factories.project(short_name="apple")
    for i in range(5):
        project_service.update(project, admin_user, {"description": f"d{i}"})
    project_service.update(project, admin_user, {"name": "Renamed"})
    response = admin_client.get("/project/apple/auditlog/export?format=json&attribute=description")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Content-Disposition"] == 'attachment; filename="auditlog-apple.json"'
    rows = json.loads(response.get_data(as_text=True))
    assert [r["new_value"] for r in rows] == ["d4", "d3", "d2", "d1", "d0"]
    assert set(rows[0]) == {"id", "created", "project_id", "project_short_name", "action", "caller", "attribute",
                            "user_id", "user_name", "old_value", "new_value"}


def test_export_reads_in_batches(admin_client, admin_user, app, monkeypatch):
    from plugins.audit import queries
    project = factories.project(short_name="apple")
    for i in range(7):
        audit.note(project, admin_user, "web", "thing", i, i + 1)
    db.session.commit()
    seen = []
    original = queries.iter_rows

    def small_batches(project_id, filters, batch=1000):
        for row in original(project_id, filters, batch=3):
            seen.append(row.id)
            yield row
    monkeypatch.setattr(queries, "iter_rows", small_batches)
    rows = json.loads(admin_client.get("/project/apple/auditlog/export?format=json").get_data(as_text=True))
    assert len(rows) == 7 and len(seen) == 7
    assert [r["id"] for r in rows] == sorted(seen, reverse=True)


def test_global_export_with_project_filter(admin_client, admin_user, app):
    a = factories.project(short_name="apple")
    b = factories.project(short_name="banana")
    project_service.update(a, admin_user, {"description": "a"})
    project_service.update(b, admin_user, {"description": "b"})
    response = admin_client.get("/admin/auditlog/export?format=csv&project=banana")
    assert response.headers["Content-Disposition"] == 'attachment; filename="auditlog.csv"'
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert [r["project_short_name"] for r in rows] == ["banana"]


def test_bad_or_missing_format(admin_client, app):
    factories.project(short_name="apple")
    assert admin_client.get("/project/apple/auditlog/export?format=xlsx").status_code == 415
    response = admin_client.get_json("/project/apple/auditlog/export")
    assert response.status_code == 400 and "format" in response.get_json()["description"]
    assert admin_client.get("/admin/auditlog/export?format=pdf").status_code == 415


def test_export_access_rules(client, app):
    owner = factories.user(name="owner")
    factories.project(owner=owner, short_name="apple")
    assert client.get("/project/apple/auditlog/export?format=csv").status_code == 302
    client.signin(owner)
    assert client.get("/project/apple/auditlog/export?format=csv").status_code == 403

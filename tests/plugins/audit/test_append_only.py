"""No route and no ORM path can change or delete an audit row."""
import pytest

from pybossa_admin.extensions import db
from pybossa_admin.models import AppendOnlyError, AuditLog
from pybossa_admin.services import projects as project_service

from ... import factories

METHODS = ("POST", "PUT", "PATCH", "DELETE")


def _audit_urls(app, short_name, row_id):
    urls = set()
    for rule in app.url_map.iter_rules():
        if "audit" not in rule.rule:
            continue
        urls.add(rule.rule.replace("<short_name>", short_name).replace("<int:id>", str(row_id))
                 .replace("<id>", str(row_id)))
        # Also try a row id appended, as a REST-style route would have it.
        urls.add(rule.rule.rstrip("/") + f"/{row_id}")
    return sorted(urls)


def test_every_audit_route_refuses_writes(admin_client, admin_user, app):
    project = factories.project(short_name="apple")
    project_service.update(project, admin_user, {"description": "kept"})
    row = db.session.scalars(db.select(AuditLog)).one()
    before = row.as_dict()
    urls = _audit_urls(app, "apple", row.id)
    assert "/project/apple/auditlog" in urls and "/admin/auditlog/" in urls
    for url in urls:
        for method in METHODS:
            kwargs = {"data": {"new_value": "tampered", "old_value": "tampered", "action": "delete"}}
            if method == "DELETE":
                response = admin_client.delete(url)
            elif method == "POST":
                response = admin_client.post(url, **kwargs)
            else:
                response = admin_client.open(url, method=method, headers={"X-CSRFToken": admin_client.csrf_token()},
                                             **kwargs)
            assert response.status_code in (404, 405), (method, url, response.status_code)
    db.session.expire_all()
    rows = db.session.scalars(db.select(AuditLog)).all()
    assert [r.as_dict() for r in rows] == [before]


def test_the_model_refuses_update_and_delete(app, admin_user):
    project = factories.project(short_name="apple")
    project_service.update(project, admin_user, {"description": "kept"})
    row = db.session.scalars(db.select(AuditLog)).one()
    row.new_value = "tampered"
    with pytest.raises(AppendOnlyError):
        db.session.commit()
    db.session.rollback()
    db.session.delete(db.session.get(AuditLog, row.id))
    with pytest.raises(AppendOnlyError):
        db.session.commit()
    db.session.rollback()
    assert db.session.get(AuditLog, row.id).new_value == "kept"

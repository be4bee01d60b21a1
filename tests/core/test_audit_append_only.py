import pytest
from sqlalchemy import delete, text, update
from sqlalchemy.exc import DBAPIError

from pybossa_admin.extensions import db
from pybossa_admin.models import AuditLog
from pybossa_admin.services import projects

from .. import factories


@pytest.fixture
def audit_row(app, admin_user):
    project = projects.create(admin_user, {"name": "Kept", "short_name": "kept"})
    return db.session.query(AuditLog).filter_by(project_id=project.id).one()


@pytest.mark.parametrize("statement", [
    lambda row: update(AuditLog).where(AuditLog.id == row.id).values(new_value="rewritten"),
    lambda row: delete(AuditLog).where(AuditLog.id == row.id),
    lambda row: text(f"UPDATE auditlog SET user_name = 'someone else' WHERE id = {row.id}"),
    lambda row: text(f"DELETE FROM auditlog WHERE id = {row.id}"),
])
def test_the_database_refuses_to_rewrite_audit_rows(app, audit_row, statement):
    with pytest.raises(DBAPIError) as caught:
        db.session.execute(statement(audit_row))
    assert "append-only" in str(caught.value)
    db.session.rollback()
    kept = db.session.get(AuditLog, audit_row.id)
    assert (kept.new_value, kept.user_name) == ("New project", "root")


def test_new_rows_are_still_accepted(app, audit_row):
    owner = factories.user()
    projects.create(owner, {"name": "Second", "short_name": "second"})
    assert db.session.query(AuditLog).count() == 2

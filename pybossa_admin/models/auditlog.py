from sqlalchemy import Index, Integer, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import UTCDateTime, iso, utcnow


class AppendOnlyError(RuntimeError):
    """Raised when code tries to change or delete an audit row."""


class AuditLog(db.Model):
    # No foreign keys: rows outlive the projects and users they describe.
    __tablename__ = "auditlog"
    __table_args__ = (Index("ix_auditlog_project_created", "project_id", "created"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int | None] = mapped_column(Integer)
    project_short_name: Mapped[str | None] = mapped_column(String(255))
    user_id: Mapped[int | None] = mapped_column(Integer, index=True)
    user_name: Mapped[str | None] = mapped_column(String(254))
    created: Mapped[object] = mapped_column(UTCDateTime, nullable=False, default=utcnow, index=True)
    action: Mapped[str] = mapped_column(String(20), nullable=False, index=True)
    caller: Mapped[str] = mapped_column(String(20), nullable=False)
    attribute: Mapped[str] = mapped_column(String(255), nullable=False, index=True)
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)

    def as_dict(self) -> dict:
        return {"id": self.id, "project_id": self.project_id, "project_short_name": self.project_short_name,
                "user_id": self.user_id, "user_name": self.user_name, "created": iso(self.created),
                "action": self.action, "caller": self.caller, "attribute": self.attribute,
                "old_value": self.old_value, "new_value": self.new_value}


@event.listens_for(AuditLog, "before_update")
@event.listens_for(AuditLog, "before_delete")
def _refuse_change(mapper, connection, target):
    raise AppendOnlyError("audit rows are append-only")


# The database refuses too, so bulk statements and raw SQL cannot rewrite history either.
APPEND_ONLY_SQL = {
    "postgresql": [
        "CREATE OR REPLACE FUNCTION auditlog_append_only() RETURNS trigger AS $$ BEGIN "
        "RAISE EXCEPTION 'audit rows are append-only'; END; $$ LANGUAGE plpgsql",
        "CREATE TRIGGER auditlog_append_only BEFORE UPDATE OR DELETE ON auditlog "
        "FOR EACH ROW EXECUTE FUNCTION auditlog_append_only()",
    ],
    "sqlite": [
        "CREATE TRIGGER auditlog_no_update BEFORE UPDATE ON auditlog "
        "BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END",
        "CREATE TRIGGER auditlog_no_delete BEFORE DELETE ON auditlog "
        "BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END",
    ],
}


def install_append_only(connection) -> None:
    for statement in APPEND_ONLY_SQL.get(connection.dialect.name, []):
        connection.exec_driver_sql(statement)


@event.listens_for(AuditLog.__table__, "after_create")
def _after_create(table, connection, **kwargs):
    install_append_only(connection)

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

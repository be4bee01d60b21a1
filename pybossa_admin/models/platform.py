"""Platform bookkeeping: plugin state, persisted settings, event log and snapshots."""
from sqlalchemy import Boolean, Date, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import JSONType, UTCDateTime, iso, utcnow


class PluginState(db.Model):
    __tablename__ = "plugin_state"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    updated: Mapped[object] = mapped_column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)
    updated_by: Mapped[int | None] = mapped_column(Integer)


class AppSetting(db.Model):
    """Runtime switches an admin changes from the web (maintenance mode, first-admin claim)."""
    __tablename__ = "app_setting"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[object] = mapped_column(JSONType)
    updated: Mapped[object] = mapped_column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)
    updated_by: Mapped[int | None] = mapped_column(Integer)


class LogEvent(db.Model):
    """Operational log: channel is platform | auth | api | jobs | startup."""
    __tablename__ = "log_event"
    __table_args__ = (Index("ix_log_event_channel_created", "channel", "created"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created: Mapped[object] = mapped_column(UTCDateTime, nullable=False, default=utcnow, index=True)
    channel: Mapped[str] = mapped_column(String(20), nullable=False)
    level: Mapped[str] = mapped_column(String(10), nullable=False, default="info")
    event: Mapped[str] = mapped_column(String(100), nullable=False, index=True)
    message: Mapped[str] = mapped_column(Text, nullable=False, default="")
    user_id: Mapped[int | None] = mapped_column(Integer, index=True)
    user_name: Mapped[str | None] = mapped_column(String(254))
    ip: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(255))
    data: Mapped[dict] = mapped_column(JSONType, nullable=False, default=dict)

    def as_dict(self) -> dict:
        return {"id": self.id, "created": iso(self.created), "channel": self.channel, "level": self.level,
                "event": self.event, "message": self.message, "user_id": self.user_id,
                "user_name": self.user_name, "ip": self.ip, "user_agent": self.user_agent, "data": self.data}


class Snapshot(db.Model):
    """Precomputed figures: kind 'dashboard' (one latest row) or a daily series (one row per day)."""
    __tablename__ = "snapshot"
    __table_args__ = (UniqueConstraint("kind", "day", name="uq_snapshot_kind_day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(50), nullable=False, index=True)
    day: Mapped[object | None] = mapped_column(Date)
    created: Mapped[object] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    data: Mapped[dict] = mapped_column(JSONType, nullable=False, default=dict)

    def as_dict(self) -> dict:
        return {"id": self.id, "kind": self.kind, "day": self.day.isoformat() if self.day else None,
                "created": iso(self.created), "data": self.data}

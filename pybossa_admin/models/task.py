from sqlalchemy import Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import JSONType, UTCDateTime, iso, utcnow


class Task(db.Model):
    __tablename__ = "task"
    __table_args__ = (Index("ix_task_project_state_priority", "project_id", "state", "priority_0"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), nullable=False,
                                            index=True)
    created: Mapped[object] = mapped_column(UTCDateTime, nullable=False, default=utcnow, index=True)
    state: Mapped[str] = mapped_column(String(20), nullable=False, default="ongoing")
    quorum: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    calibration: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    priority_0: Mapped[float] = mapped_column(Float, nullable=False, default=0.0)
    n_answers: Mapped[int] = mapped_column(Integer, nullable=False, default=30)
    info: Mapped[dict] = mapped_column(JSONType, nullable=False, default=dict)

    def as_dict(self) -> dict:
        return {"id": self.id, "project_id": self.project_id, "created": iso(self.created),
                "state": self.state, "quorum": self.quorum, "calibration": self.calibration,
                "priority_0": self.priority_0, "n_answers": self.n_answers, "info": self.info}


class TaskRun(db.Model):
    __tablename__ = "task_run"
    # One answer per volunteer per task: registered by user_id, anonymous by their cookie id.
    # NULLs never collide, so each constraint covers exactly its own kind of volunteer.
    __table_args__ = (
        UniqueConstraint("task_id", "user_id", name="uq_task_run_task_user"),
        UniqueConstraint("task_id", "anon_id", name="uq_task_run_task_anon"),
        Index("ix_task_run_project_finish", "project_id", "finish_time"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), nullable=False)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), nullable=False)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    user_ip: Mapped[str | None] = mapped_column(String(64))
    anon_id: Mapped[str | None] = mapped_column(String(64))
    created: Mapped[object] = mapped_column(UTCDateTime, nullable=False, default=utcnow, index=True)
    finish_time: Mapped[object] = mapped_column(UTCDateTime, nullable=False, default=utcnow, index=True)
    timeout: Mapped[int | None] = mapped_column(Integer)
    calibration: Mapped[int | None] = mapped_column(Integer)
    external_uid: Mapped[str | None] = mapped_column(String(255))
    media_url: Mapped[str | None] = mapped_column(Text)
    info: Mapped[dict] = mapped_column(JSONType, nullable=False, default=dict)

    def as_dict(self) -> dict:
        return {"id": self.id, "project_id": self.project_id, "task_id": self.task_id,
                "user_id": self.user_id, "user_ip": self.user_ip, "created": iso(self.created),
                "finish_time": iso(self.finish_time), "timeout": self.timeout,
                "calibration": self.calibration, "external_uid": self.external_uid,
                "media_url": self.media_url, "info": self.info}


class Result(db.Model):
    __tablename__ = "result"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), nullable=False,
                                            index=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), nullable=False,
                                         unique=True)
    task_run_ids: Mapped[list] = mapped_column(JSONType, nullable=False, default=list)
    info: Mapped[dict | None] = mapped_column(JSONType)
    last_version: Mapped[bool] = mapped_column(db.Boolean, nullable=False, default=True)
    created: Mapped[object] = mapped_column(UTCDateTime, nullable=False, default=utcnow)

    def as_dict(self) -> dict:
        return {"id": self.id, "project_id": self.project_id, "task_id": self.task_id,
                "task_run_ids": self.task_run_ids, "info": self.info, "last_version": self.last_version,
                "created": iso(self.created)}

"""Helping material: tutorial images, videos or notes a project shows its volunteers (PYBOSSA's
`helpingmaterial`). Files are not stored here; a material points at its media through media_url."""
from sqlalchemy import Float, ForeignKey, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import JSONType, UTCDateTime, iso, utcnow


class HelpingMaterial(db.Model):
    __tablename__ = "helpingmaterial"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), nullable=False,
                                            index=True)
    created: Mapped[object] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    info: Mapped[dict] = mapped_column(JSONType, nullable=False, default=dict)
    media_url: Mapped[str | None] = mapped_column(Text)
    priority: Mapped[float] = mapped_column(Float, nullable=False, default=0.0)

    def as_dict(self) -> dict:
        return {"id": self.id, "project_id": self.project_id, "created": iso(self.created),
                "info": self.info, "media_url": self.media_url, "priority": self.priority}

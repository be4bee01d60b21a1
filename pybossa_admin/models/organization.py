from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, iso, utcnow


class Organization(db.Model):
    __tablename__ = "organization"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(255), unique=True, nullable=False)
    short_name: Mapped[str] = mapped_column(String(255), unique=True, nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    created: Mapped[object] = mapped_column(UTCDateTime, nullable=False, default=utcnow)

    members = relationship("User", back_populates="organization")
    projects = relationship("Project", back_populates="organization")

    def as_dict(self) -> dict:
        return {"id": self.id, "name": self.name, "short_name": self.short_name,
                "description": self.description, "created": iso(self.created)}

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import JSONType, UTCDateTime, iso, utcnow

# Seeded on fresh installs (same wording as PYBOSSA's defaults).
DEFAULT_CATEGORIES = (
    ("Thinking", "thinking", "Volunteer Thinking projects"),
    ("Sensing", "sensing", "Volunteer Sensing projects"),
)


class Category(db.Model):
    __tablename__ = "category"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(255), unique=True, nullable=False)
    short_name: Mapped[str] = mapped_column(String(255), unique=True, nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    created: Mapped[object] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    info: Mapped[dict] = mapped_column(JSONType, nullable=False, default=dict)

    projects = relationship("Project", back_populates="category")

    def as_dict(self) -> dict:
        return {"id": self.id, "name": self.name, "short_name": self.short_name,
                "description": self.description, "created": iso(self.created), "info": self.info}

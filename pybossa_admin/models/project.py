from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import JSONType, UTCDateTime, iso, utcnow


class Project(db.Model):
    __tablename__ = "project"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    short_name: Mapped[str] = mapped_column(String(255), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(255), unique=True, nullable=False)
    description: Mapped[str] = mapped_column(String(255), nullable=False, default="")
    long_description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    webhook: Mapped[str | None] = mapped_column(Text)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False, index=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("category.id"), nullable=False, index=True)
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"), index=True)
    info: Mapped[dict] = mapped_column(JSONType, nullable=False, default=dict)
    published: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False, index=True)
    featured: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False, index=True)
    paused: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    allow_anonymous_contributors: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    secret_key: Mapped[str | None] = mapped_column(String(255))
    created: Mapped[object] = mapped_column(UTCDateTime, nullable=False, default=utcnow, index=True)
    updated: Mapped[object] = mapped_column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow,
                                            index=True)

    owner = relationship("User")
    category = relationship("Category", back_populates="projects")
    organization = relationship("Organization", back_populates="projects")

    @property
    def has_presenter(self) -> bool:
        return bool((self.info or {}).get("task_presenter", "").strip())

    def as_dict(self) -> dict:
        return {"id": self.id, "short_name": self.short_name, "name": self.name,
                "description": self.description, "long_description": self.long_description,
                "owner_id": self.owner_id, "category_id": self.category_id,
                "organization_id": self.organization_id, "info": self.info,
                "published": self.published, "featured": self.featured, "paused": self.paused,
                "allow_anonymous_contributors": self.allow_anonymous_contributors,
                "webhook": self.webhook, "created": iso(self.created), "updated": iso(self.updated)}

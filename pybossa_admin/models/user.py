from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, func
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from .base import JSONType, UTCDateTime, iso, utcnow

# Fields that may be shown to an admin. Never: passwd_hash, api_key.
PUBLIC_USER_FIELDS = ("id", "name", "fullname", "email_addr", "created", "locale", "admin", "pro",
                      "enabled", "restrict", "consent", "last_login", "organization_id")


def new_api_key() -> str:
    return secrets.token_hex(20)


class User(db.Model):
    # "user" is reserved in PostgreSQL; the plural avoids quoting in every hand-written query.
    __tablename__ = "users"
    # Sign-in and uniqueness checks compare case-insensitively.
    __table_args__ = (Index("ix_users_lower_name", func.lower("name")),
                      Index("ix_users_lower_email", func.lower("email_addr")))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(254), unique=True, nullable=False)
    fullname: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    email_addr: Mapped[str] = mapped_column(String(254), unique=True, nullable=False)
    passwd_hash: Mapped[str | None] = mapped_column(String(300))
    api_key: Mapped[str] = mapped_column(String(64), unique=True, nullable=False, default=new_api_key)
    admin: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False, index=True)
    pro: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False, index=True)
    enabled: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True, index=True)
    restrict: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    consent: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    locale: Mapped[str] = mapped_column(String(16), nullable=False, default="en")
    info: Mapped[dict] = mapped_column(JSONType, nullable=False, default=dict)
    created: Mapped[object] = mapped_column(UTCDateTime, nullable=False, default=utcnow, index=True)
    last_login: Mapped[object | None] = mapped_column(UTCDateTime, index=True)
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"), index=True)

    organization = relationship("Organization", back_populates="members")

    # Flask-Login protocol
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return bool(self.enabled)

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return str(self.id)

    def set_password(self, password: str) -> None:
        self.passwd_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return bool(self.passwd_hash) and check_password_hash(self.passwd_hash, password)

    def as_dict(self) -> dict:
        """Admin-facing view; secrets never leave the model through here."""
        data = {field: getattr(self, field) for field in PUBLIC_USER_FIELDS}
        data["created"] = iso(self.created)
        data["last_login"] = iso(self.last_login)
        return data

    def __repr__(self) -> str:
        return f"<User {self.id} {self.name}>"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()

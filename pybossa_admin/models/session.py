"""Server-side records of sign-in sessions and one-time tokens (bootstrap, password reset)."""
from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, iso, utcnow


class SignInSession(db.Model):
    __tablename__ = "signin_session"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # sha256 of the random token kept in the signed cookie; the token itself is never stored.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False,
                                         index=True)
    created: Mapped[object] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    last_seen: Mapped[object] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    expires: Mapped[object] = mapped_column(UTCDateTime, nullable=False)
    ip: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(255))
    revoked_at: Mapped[object | None] = mapped_column(UTCDateTime, index=True)

    user = relationship("User")

    def as_dict(self) -> dict:
        return {"id": self.id, "user_id": self.user_id, "created": iso(self.created),
                "last_seen": iso(self.last_seen), "expires": iso(self.expires), "ip": self.ip,
                "user_agent": self.user_agent, "revoked_at": iso(self.revoked_at)}


class OneTimeToken(db.Model):
    __tablename__ = "one_time_token"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)  # bootstrap | reset
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_by: Mapped[int | None] = mapped_column(Integer)
    created: Mapped[object] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    expires: Mapped[object] = mapped_column(UTCDateTime, nullable=False)
    used_at: Mapped[object | None] = mapped_column(UTCDateTime)

"""One-time tokens (bootstrap link, password reset): random, stored hashed, single use, expiring."""
from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import select, update

from ..extensions import db
from ..models import OneTimeToken, hash_token, utcnow


def issue(kind: str, minutes: int, user_id: int | None = None, created_by: int | None = None) -> str:
    token = secrets.token_urlsafe(32)
    db.session.add(OneTimeToken(kind=kind, token_hash=hash_token(token), user_id=user_id,
                                created_by=created_by, expires=utcnow() + timedelta(minutes=minutes)))
    db.session.commit()
    return token


def peek(kind: str, token: str) -> OneTimeToken | None:
    """The token's row if it is valid now, without using it."""
    if not token:
        return None
    row = db.session.scalar(select(OneTimeToken).where(OneTimeToken.token_hash == hash_token(token),
                                                       OneTimeToken.kind == kind))
    if row is None or row.used_at is not None or row.expires <= utcnow():
        return None
    return row


def consume(kind: str, token: str) -> OneTimeToken | None:
    """Use the token once. The UPDATE ... WHERE used_at IS NULL makes two racing uses yield one winner."""
    row = peek(kind, token)
    if row is None:
        return None
    result = db.session.execute(update(OneTimeToken)
                                .where(OneTimeToken.id == row.id, OneTimeToken.used_at.is_(None))
                                .values(used_at=utcnow()))
    if result.rowcount != 1:
        db.session.rollback()
        return None
    return row

"""Server-side sign-in sessions: the cookie holds a random token, the table its hash.

Revoking a row ends that session at its next request; disabling a user ends them all.
"""
from __future__ import annotations

import secrets
from datetime import timedelta

from flask import current_app, request, session
from flask_login import login_user, logout_user
from sqlalchemy import select, update

from ..extensions import db
from ..models import SignInSession, User, hash_token, utcnow

SESSION_KEY = "sid"
TOUCH_EVERY = timedelta(minutes=1)


def start(user: User) -> SignInSession:
    token = secrets.token_urlsafe(32)
    row = SignInSession(token_hash=hash_token(token), user_id=user.id, ip=request.remote_addr,
                        user_agent=(request.user_agent.string or "")[:255],
                        expires=utcnow() + timedelta(days=current_app.config["SESSION_LIFETIME_DAYS"]))
    db.session.add(row)
    user.last_login = utcnow()
    db.session.commit()
    session.clear()  # a fresh session on sign-in (no fixation)
    session[SESSION_KEY] = token
    session.permanent = True
    login_user(user)
    return row


def current_record(user_id: int) -> SignInSession | None:
    token = session.get(SESSION_KEY)
    if not token:
        return None
    row = db.session.scalar(select(SignInSession).where(SignInSession.token_hash == hash_token(token)))
    now = utcnow()
    if row is None or row.user_id != user_id or row.revoked_at is not None or row.expires <= now:
        return None
    if now - row.last_seen > TOUCH_EVERY:
        row.last_seen = now
        db.session.commit()
    return row


def end_current() -> None:
    token = session.get(SESSION_KEY)
    if token:
        db.session.execute(update(SignInSession).where(SignInSession.token_hash == hash_token(token),
                                                       SignInSession.revoked_at.is_(None))
                           .values(revoked_at=utcnow()))
        db.session.commit()
    logout_user()
    session.clear()


def revoke(session_id: int) -> bool:
    result = db.session.execute(update(SignInSession).where(SignInSession.id == session_id,
                                                            SignInSession.revoked_at.is_(None))
                                .values(revoked_at=utcnow()))
    db.session.commit()
    return result.rowcount == 1


def revoke_all(user_id: int, commit: bool = True) -> int:
    result = db.session.execute(update(SignInSession).where(SignInSession.user_id == user_id,
                                                            SignInSession.revoked_at.is_(None))
                                .values(revoked_at=utcnow()))
    if commit:
        db.session.commit()
    return result.rowcount


def active(limit: int = 200) -> list[SignInSession]:
    return list(db.session.scalars(select(SignInSession)
                                   .where(SignInSession.revoked_at.is_(None), SignInSession.expires > utcnow())
                                   .order_by(SignInSession.last_seen.desc()).limit(limit)))

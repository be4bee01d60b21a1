"""User mutations: registration (first user becomes admin, race-free), roles, enable/disable."""
from __future__ import annotations

import re

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from .. import signals
from ..extensions import db
from ..repositories.uniqueness import taken
from ..models import AppSetting, User, new_api_key
from . import events, sessions

NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{1,253}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
FIRST_ADMIN_KEY = "first_admin_claimed"


class UserError(ValueError):
    """A rule was broken; the message is safe to show."""


def validate_new(name: str, email: str, password: str) -> dict[str, str]:
    errors = {}
    if not NAME_RE.match(name or ""):
        errors["name"] = "User name: 2-254 letters, digits, '.', '_' or '-', starting with a letter or digit."
    elif taken(User.name, name):
        errors["name"] = "That user name is taken."
    if not EMAIL_RE.match(email or ""):
        errors["email_addr"] = "A valid e-mail address is required."
    elif taken(User.email_addr, email):
        errors["email_addr"] = "That e-mail address is already registered."
    if len(password or "") < current_app.config["PASSWORD_MIN_LENGTH"]:
        errors["password"] = f"Passwords need at least {current_app.config['PASSWORD_MIN_LENGTH']} characters."
    return errors


def _claim_first_admin() -> bool:
    """True for exactly one caller ever: the insert of a fixed primary key can succeed only once."""
    if db.session.scalar(select(func.count()).select_from(User).where(User.admin.is_(True))):
        return False
    try:
        with db.session.begin_nested():
            db.session.add(AppSetting(key=FIRST_ADMIN_KEY, value=True))
    except IntegrityError:
        return False
    return True


def create(name: str, email: str, password: str | None, fullname: str = "", *, admin: bool | None = None,
           pro: bool = False, via: str = "web") -> User:
    """Create a user. admin=None: the first registered user becomes admin; True/False: forced."""
    errors = validate_new(name, email, password or "x" * 64)
    if errors:
        raise UserError(" ".join(errors.values()))
    user = User(name=name, email_addr=email.lower(), fullname=fullname or name, api_key=new_api_key(), pro=pro)
    if password:
        user.set_password(password)
    db.session.add(user)
    db.session.flush()
    if admin is None:
        user.admin = _claim_first_admin()
    else:
        user.admin = admin
        if admin:
            _claim_first_admin_quietly()
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise UserError("That user name or e-mail address is already registered.") from None
    events.record("platform", "user.created", f"user {user.name} created via {via}"
                  + (" as admin" if user.admin else ""), user_name=user.name, data={"user_id": user.id})
    signals.send(signals.user_created, user=user)
    return user


def _claim_first_admin_quietly():
    try:
        with db.session.begin_nested():
            if db.session.get(AppSetting, FIRST_ADMIN_KEY) is None:
                db.session.add(AppSetting(key=FIRST_ADMIN_KEY, value=True))
    except IntegrityError:
        pass


def admin_count() -> int:
    return db.session.scalar(select(func.count()).select_from(User).where(User.admin.is_(True))) or 0


def set_admin(user: User, flag: bool, by: User) -> None:
    if not flag:
        if user.id == by.id:
            raise UserError("You cannot remove your own admin role.")
        if user.admin and admin_count() <= 1:
            raise UserError("The last admin cannot lose the admin role.")
    if user.admin == flag:
        return
    user.admin = flag
    db.session.commit()
    events.record("platform", "user.admin_granted" if flag else "user.admin_revoked",
                  f"{by.name} {'granted' if flag else 'revoked'} admin for {user.name}", user=by,
                  data={"target_user_id": user.id})
    signals.send(signals.user_updated, user=user, changes={"admin": flag})


def set_pro(user: User, flag: bool, by: User) -> None:
    if user.pro == flag:
        return
    user.pro = flag
    db.session.commit()
    events.record("platform", "user.pro_granted" if flag else "user.pro_revoked",
                  f"{by.name} {'granted' if flag else 'revoked'} pro for {user.name}", user=by,
                  data={"target_user_id": user.id})
    signals.send(signals.user_updated, user=user, changes={"pro": flag})


def set_enabled(user: User, flag: bool, by: User) -> None:
    """Disabling ends the user's sessions at once; the API refuses their key from then on."""
    if not flag and user.id == by.id:
        raise UserError("You cannot deactivate your own account.")
    if not flag and user.admin and admin_count() <= 1:
        raise UserError("The last admin cannot be deactivated.")
    if user.enabled == flag:
        return
    user.enabled = flag
    if not flag:
        sessions.revoke_all(user.id, commit=False)
    db.session.commit()
    events.record("platform", "user.activated" if flag else "user.deactivated",
                  f"{by.name} {'activated' if flag else 'deactivated'} {user.name}", user=by,
                  data={"target_user_id": user.id})
    signals.send(signals.user_updated, user=user, changes={"enabled": flag})


def by_name_or_email(login: str) -> User | None:
    login = (login or "").strip().lower()
    if not login:
        return None
    return db.session.scalar(select(User).where((func.lower(User.name) == login)
                                                | (func.lower(User.email_addr) == login)))

"""Sign in, sign out (POST only), register, first-admin bootstrap and password reset pages."""
from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, request, url_for
from flask_login import current_user

from .. import signals
from ..extensions import db
from ..models import User
from ..responses import redirect_to, respond
from ..services import events, ratelimit, sessions, tokens, users
from .forms import BootstrapForm, EmptyForm, RegisterForm, ResetForm, SignInForm

bp = Blueprint("account", __name__, url_prefix="/account")

BOOTSTRAP = "bootstrap"
RESET = "reset"


def _safe_next(target: str | None) -> str:
    """Only same-site paths; anything else goes home."""
    if not target:
        return url_for("web.home")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("web.home")
    return target


_DUMMY_HASH = []


def _dummy_check(password: str) -> bool:
    from werkzeug.security import check_password_hash, generate_password_hash
    if not _DUMMY_HASH:
        _DUMMY_HASH.append(generate_password_hash("not a password"))
    check_password_hash(_DUMMY_HASH[0], password)
    return False


def _throttled(login: str):
    cfg = current_app.config
    window = cfg["SIGNIN_FAILURE_WINDOW"]
    by_ip = ratelimit.peek(f"signin-ip:{request.remote_addr}", cfg["SIGNIN_MAX_FAILURES_PER_IP"], window)
    by_account = ratelimit.peek(f"signin-user:{login.lower()}", cfg["SIGNIN_MAX_FAILURES_PER_ACCOUNT"], window)
    return None if by_ip.allowed and by_account.allowed else max(by_ip.reset, by_account.reset)


def _count_failure(login: str):
    cfg = current_app.config
    window = cfg["SIGNIN_FAILURE_WINDOW"]
    ratelimit.hit(f"signin-ip:{request.remote_addr}", cfg["SIGNIN_MAX_FAILURES_PER_IP"], window)
    ratelimit.hit(f"signin-user:{login.lower()}", cfg["SIGNIN_MAX_FAILURES_PER_ACCOUNT"], window)


@bp.route("/signin", methods=["GET", "POST"])
def signin():
    form = SignInForm(next=request.args.get("next", ""))
    status = 200
    if form.validate_on_submit():
        login = form.name.data.strip()
        if _throttled(login):
            events.record("auth", "signin.throttled", f"too many failed sign-ins for {login}",
                          level="warning", user_name=login)
            flash("Too many failed sign-in attempts. Please wait a few minutes and try again.", "error")
            return respond("auth/signin.html", status=429, form=form, title="Sign in")
        user = users.by_name_or_email(login)
        # Hash even for unknown users so the response time does not tell who exists.
        valid = user.check_password(form.password.data) if user else _dummy_check(form.password.data)
        if not valid:
            _count_failure(login)
            events.record("auth", "signin.failure", f"failed sign-in for {login}", level="warning",
                          user_name=login)
            flash("Wrong user name or password.", "error")
            status = 401
        elif not user.enabled:
            events.record("auth", "signin.refused", f"sign-in refused: {user.name} is deactivated",
                          level="warning", user=user)
            flash("This account is deactivated. Contact the administrators.", "error")
            status = 403
        else:
            sessions.start(user)
            events.record("auth", "signin.success", f"{user.name} signed in", user=user)
            signals.send(signals.user_signed_in, user=user)
            flash(f"Welcome back {user.fullname or user.name}", "success")
            return redirect_to(_safe_next(form.next.data))
    elif request.method == "POST":
        status = 400
    return respond("auth/signin.html", status=status, form=form, title="Sign in")


@bp.route("/signout", methods=["POST"])
def signout():
    if current_user.is_authenticated:
        user = current_user._get_current_object()
        events.record("auth", "signout", f"{user.name} signed out", user=user)
        sessions.end_current()
        signals.send(signals.user_signed_out, user=user)
    flash("You are now signed out", "success")
    return redirect_to(url_for("web.home"))


@bp.route("/register", methods=["GET", "POST"])
def register():
    form = RegisterForm()
    status = 200
    if form.validate_on_submit():
        errors = users.validate_new(form.name.data.strip(), form.email_addr.data.strip(), form.password.data)
        if errors:
            for field, message in errors.items():
                getattr(form, field).errors = list(getattr(form, field).errors) + [message]
            status = 400
        else:
            user = users.create(form.name.data.strip(), form.email_addr.data.strip(), form.password.data,
                                form.fullname.data.strip())
            sessions.start(user)
            events.record("auth", "register", f"{user.name} registered", user=user)
            flash("Thanks for signing up!" + (" You are the first user, so you are an admin." if user.admin
                                              else ""), "success")
            return redirect_to(url_for("admin.index") if user.admin else url_for("web.home"))
    elif request.method == "POST":
        status = 400
    return respond("auth/register.html", status=status, form=form, title="Register")


def bootstrap_allowed_here() -> bool:
    mode = current_app.config["BOOTSTRAP_LINK"]
    if mode == "never":
        return False
    if mode == "always":
        return True
    try:
        return ipaddress.ip_address(request.remote_addr or "").is_loopback
    except ValueError:
        return False


@bp.route("/bootstrap", methods=["GET", "POST"])
def bootstrap():
    """First admin: the token arrives in the URL fragment, the page posts it with the new account."""
    if not bootstrap_allowed_here() or users.admin_count() > 0:
        abort(404)
    form = BootstrapForm()
    status = 200
    if form.validate_on_submit():
        errors = users.validate_new(form.name.data.strip(), form.email_addr.data.strip(), form.password.data)
        if tokens.peek(BOOTSTRAP, form.token.data) is None:
            events.record("auth", "bootstrap.invalid", "an invalid, used or expired first-admin link was tried",
                          level="warning", user_name=form.name.data.strip()[:254] or None)
            flash("This sign-in link is invalid, used or expired. Start the platform again for a new one.",
                  "error")
            status = 403
        elif errors:
            for field, message in errors.items():
                getattr(form, field).errors = list(getattr(form, field).errors) + [message]
            status = 400
        elif tokens.consume(BOOTSTRAP, form.token.data) is None:
            events.record("auth", "bootstrap.invalid", "a first-admin link was used twice at once",
                          level="warning", user_name=form.name.data.strip()[:254] or None)
            flash("This sign-in link was just used.", "error")
            status = 403
        else:
            user = users.create(form.name.data.strip(), form.email_addr.data.strip(), form.password.data,
                                form.fullname.data.strip(), admin=True, via="bootstrap link")
            sessions.start(user)
            events.record("auth", "bootstrap.used", f"first admin {user.name} created from the sign-in link",
                          user=user)
            flash("Your admin account is ready.", "success")
            return redirect_to(url_for("admin.index"))
    elif request.method == "POST":
        status = 400
    return respond("auth/bootstrap.html", status=status, form=form, title="Create the first admin")


@bp.route("/reset-password", methods=["GET", "POST"])
def reset_password():
    """Reset links come from an admin; the token is in the fragment and used once."""
    form = ResetForm()
    status = 200
    if form.validate_on_submit():
        row = tokens.peek(RESET, form.token.data)
        user = db.session.get(User, row.user_id) if row else None
        if user is None:
            events.record("auth", "password_reset.invalid", "an invalid or used reset link was tried",
                          level="warning")
            flash("This reset link is invalid, used or expired. Ask an administrator for a new one.", "error")
            status = 403
        elif len(form.password.data) < current_app.config["PASSWORD_MIN_LENGTH"]:
            form.password.errors = [f"Passwords need at least {current_app.config['PASSWORD_MIN_LENGTH']} "
                                    "characters."]
            status = 400
        elif tokens.consume(RESET, form.token.data) is None:
            events.record("auth", "password_reset.invalid", f"a reset link for {user.name} was used twice at once",
                          level="warning", user=user)
            flash("This reset link was just used.", "error")
            status = 403
        else:
            user.set_password(form.password.data)
            sessions.revoke_all(user.id, commit=False)
            db.session.commit()
            events.record("auth", "password_reset.used", f"{user.name} set a new password with a reset link",
                          user=user)
            flash("Your password is changed. Please sign in.", "success")
            return redirect_to(url_for("account.signin"))
    elif request.method == "POST":
        status = 400
    return respond("auth/reset.html", status=status, form=form, title="Choose a new password")


def issue_reset_link(user: User, by: User) -> str:
    """A signed, single-use link valid for one hour. Returned once; only its hash is kept."""
    token = tokens.issue(RESET, 60, user_id=user.id, created_by=by.id)
    events.record("auth", "password_reset.issued", f"{by.name} generated a reset link for {user.name}", user=by,
                  data={"target_user_id": user.id})
    return url_for("account.reset_password", _external=True) + "#" + token


def signout_form():
    return EmptyForm()

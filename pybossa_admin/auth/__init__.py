"""Authentication wiring: cookie sessions backed by server-side records, API keys for /api."""
from __future__ import annotations

import hmac

from flask import g, request
from sqlalchemy import select

from ..extensions import db, login_manager
from ..models import User
from ..services import sessions
from .guards import admin_required, is_admin, login_required  # noqa: F401  (re-exported)

API_PREFIX = "/api/"


def api_key_from_request() -> str | None:
    key = request.args.get("api_key")
    if key:
        return key
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        header = header[7:]
    return header.strip() or None


def init_app(app):
    from .views import bp
    login_manager.init_app(app)
    login_manager.login_view = "account.signin"
    login_manager.login_message = "Please sign in to access this page."
    login_manager.session_protection = None  # server-side session records do this job
    app.register_blueprint(bp)

    @login_manager.user_loader
    def load_user(user_id):
        try:
            user_id = int(user_id)
        except (TypeError, ValueError):
            return None
        if sessions.current_record(user_id) is None:
            return None
        user = db.session.get(User, user_id)
        return user if user is not None and user.enabled else None

    @login_manager.request_loader
    def load_from_api_key(req):
        # API keys authenticate the REST API only; admin pages need a signed-in session (and CSRF).
        if not req.path.startswith(API_PREFIX):
            return None
        key = api_key_from_request()
        if not key:
            return None
        user = db.session.scalar(select(User).where(User.api_key == key))
        if user is None or not hmac.compare_digest(user.api_key, key):
            g.api_auth_error = (401, "Invalid API key")
            return None
        if not user.enabled:
            g.api_auth_error = (403, "This account is deactivated")
            return None
        return user

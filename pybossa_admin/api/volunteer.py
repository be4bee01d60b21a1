"""Who is contributing: the signed-in user or API-key holder, else an anonymous volunteer identified by a
signed cookie (a random token) together with the caller's address. The cookie is set on the response
that first needed it."""
from __future__ import annotations

import secrets

from flask import current_app, g, request
from itsdangerous import BadSignature, URLSafeSerializer

from ..services import contributions

COOKIE = "pba_volunteer"
SALT = "pybossa-admin-anonymous-volunteer"
MAX_AGE = 365 * 24 * 3600


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt=SALT)


def _cookie_token() -> str:
    raw = request.cookies.get(COOKIE)
    if raw:
        try:
            token = _serializer().loads(raw)
            if isinstance(token, str) and 16 <= len(token) <= 64:
                return token
        except BadSignature:
            pass  # forged or from another secret key: start a new identity
    token = getattr(g, "new_volunteer_token", None) or secrets.token_urlsafe(24)
    g.new_volunteer_token = token
    return token


def current(user) -> contributions.Volunteer:
    if user is not None:
        return contributions.registered(user, request.remote_addr)
    return contributions.anonymous(_cookie_token(), request.remote_addr)


def set_cookie(response):
    token = getattr(g, "new_volunteer_token", None)
    if token:
        response.set_cookie(COOKIE, _serializer().dumps(token), max_age=MAX_AGE, httponly=True, samesite="Lax",
                            secure=current_app.config.get("SESSION_COOKIE_SECURE", False))
    return response

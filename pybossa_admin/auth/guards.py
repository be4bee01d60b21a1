"""Who may open what. Anonymous -> 302 to sign-in (HTML and JSON alike, as PYBOSSA); signed-in
without the right role -> 403."""
from __future__ import annotations

from functools import wraps

from flask import abort, redirect, request, url_for
from flask_login import current_user


def sign_in_redirect():
    return redirect(url_for("account.signin", next=request.full_path.rstrip("?")))


def admin_denial():
    """None when the current user is an admin, else the response that refuses them."""
    if not current_user.is_authenticated:
        return sign_in_redirect()
    if not current_user.admin:
        abort(403)
    return None


def admin_required(view):
    @wraps(view)
    def guarded(*args, **kwargs):
        denial = admin_denial()
        if denial is not None:
            return denial
        return view(*args, **kwargs)
    guarded.admin_guarded = True
    return guarded


def login_required(view):
    @wraps(view)
    def guarded(*args, **kwargs):
        if not current_user.is_authenticated:
            return sign_in_redirect()
        return view(*args, **kwargs)
    return guarded


def is_admin() -> bool:
    return bool(current_user.is_authenticated and current_user.admin)

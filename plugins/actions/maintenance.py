"""Maintenance mode: while on, contributions and edits are refused with 503 and every page shows a banner.

Stored in AppSetting "maintenance" so every process sees it; each process caches the flag for a few
seconds (ACTIONS_MAINTENANCE_CACHE_SECONDS), so the hook costs nothing on most requests. Admin pages
(/admin) and sign-in (/account) keep working; reads (GET/HEAD/OPTIONS) are never refused.
"""
from __future__ import annotations

import time

from flask import current_app, jsonify, render_template, request
from sqlalchemy.exc import SQLAlchemyError

from pybossa_admin.plugin import db, models
from pybossa_admin.services import events

KEY = "maintenance"
CACHE_KEY = "actions_maintenance_cache"
DEFAULT_MESSAGE = ("The platform is under maintenance: contributions and edits are paused for a moment. "
                   "Please come back soon.")
MAX_MESSAGE = 500
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
OPEN_PREFIXES = ("/admin", "/account", "/static")
RETRY_AFTER_SECONDS = 300


def _cache(app) -> dict:
    return app.extensions["pybossa_admin"].setdefault(CACHE_KEY, {"at": float("-inf"), "value": None})


def current(app=None) -> dict | None:
    """The maintenance state ({"on", "message", "since", "by"}) when on, else None. Cached briefly."""
    app = app or current_app._get_current_object()
    cache = _cache(app)
    now = time.monotonic()
    if now - cache["at"] < app.config["ACTIONS_MAINTENANCE_CACHE_SECONDS"]:
        return cache["value"]
    try:
        row = db.session.get(models.AppSetting, KEY)
        value = row.value if row is not None and isinstance(row.value, dict) and row.value.get("on") else None
    except SQLAlchemyError:  # no table yet (fresh install): not in maintenance
        db.session.rollback()
        value = None
    cache.update(at=now, value=value)
    return value


def set_mode(on: bool, by, message: str = "") -> dict:
    """Turn maintenance on or off; logged on the platform channel with who did it."""
    message = (message or "").strip()[:MAX_MESSAGE] or DEFAULT_MESSAGE
    row = db.session.get(models.AppSetting, KEY) or models.AppSetting(key=KEY)
    value = {"on": bool(on), "message": message, "since": models.utcnow().isoformat(), "by": by.name}
    row.value, row.updated_by = value, by.id
    db.session.add(row)
    db.session.commit()
    _cache(current_app._get_current_object()).update(at=time.monotonic(), value=value if on else None)
    events.record("platform", "maintenance.on" if on else "maintenance.off",
                  f"{by.name} turned maintenance mode {'on' if on else 'off'}" + (f": {message}" if on else ""),
                  user=by, data={"setting": KEY, "on": bool(on), "message": message if on else None})
    return value


def _open_path(path: str) -> bool:
    return any(path == prefix or path.startswith(prefix + "/") for prefix in OPEN_PREFIXES)


def refusal(state: dict):
    """503 in the caller's dialect: PYBOSSA's API error shape under /api/, JSON or a page elsewhere."""
    message = state.get("message") or DEFAULT_MESSAGE
    if request.path.startswith("/api/"):
        response = jsonify({"action": request.method, "status": "failed", "status_code": 503,
                            "target": request.path.split("/")[2] if request.path.count("/") >= 2 else "",
                            "exception_cls": "MaintenanceMode", "exception_msg": message})
    elif request.args.get("response_format") == "json" or request.mimetype == "application/json" \
            or request.accept_mimetypes.best == "application/json":
        response = jsonify({"code": 503, "status": "error", "maintenance": True, "description": message})
    else:
        response = current_app.make_response(render_template("actions/maintenance.html", message=message,
                                                             title="Maintenance"))
    response.status_code = 503
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def install(app, enabled):
    """The before_request hook (first in line, before CSRF, so the answer is the clear 503) and the banner."""

    def refuse_writes_during_maintenance():
        if request.method not in WRITE_METHODS or _open_path(request.path):
            return None
        state = current(app)
        if state is None or not enabled():
            return None
        return refusal(state)

    app.before_request_funcs.setdefault(None, []).insert(0, refuse_writes_during_maintenance)

    @app.context_processor
    def maintenance_banner():
        try:
            state = current(app)
        except RuntimeError:  # rendering outside an app context
            state = None
        return {"maintenance_banner": state["message"] if state and enabled() else None}

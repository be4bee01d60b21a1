"""HTML or JSON from the same view (PYBOSSA convention: ?response_format=json or a JSON Content-Type)."""
from __future__ import annotations

import datetime as dt
import decimal

from flask import get_flashed_messages, jsonify, redirect, render_template, request
from flask_wtf.csrf import generate_csrf

# Keys that must never reach a JSON payload, whatever a view puts in its context.
FORBIDDEN_KEYS = frozenset({"passwd_hash", "password", "api_key", "secret_key", "token", "token_hash",
                            "SECRET_KEY"})


def wants_json() -> bool:
    if request.args.get("response_format") == "json":
        return True
    if request.mimetype == "application/json":
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]


def jsonable(value):
    """Turn a view context into JSON data; models go through their as_dict()."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if hasattr(value, "as_dict"):
        return jsonable(value.as_dict())
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items() if str(k) not in FORBIDDEN_KEYS}
    if isinstance(value, (list, tuple, set)):
        return [jsonable(v) for v in value]
    if hasattr(value, "_asdict"):
        return jsonable(value._asdict())
    if hasattr(value, "_mapping"):  # SQLAlchemy Row
        return jsonable(dict(value._mapping))
    if hasattr(value, "data") and hasattr(value, "errors") and hasattr(value, "_fields"):  # a WTForm
        return {"fields": {name: jsonable(f.data) for name, f in value._fields.items()
                           if name != "csrf_token" and name not in FORBIDDEN_KEYS},
                "errors": value.errors, "csrf": generate_csrf()}
    return None  # anything else (callables, views) is not data


def json_payload(template: str | None, context: dict) -> dict:
    payload = {}
    for key, value in context.items():
        if key.startswith("_") or key in FORBIDDEN_KEYS:
            continue
        data = jsonable(value)
        if data is None and value is not None:
            continue  # not data (a helper, a view object)
        payload[key] = data
    if template:
        payload["template"] = template
    payload.setdefault("csrf", generate_csrf())
    messages = get_flashed_messages(with_categories=True)
    if messages:
        category, message = messages[-1]
        payload["flash"], payload["status"] = message, category
    return payload


def respond(template: str, status: int = 200, render=render_template, **context):
    """Render template, or answer its context as JSON when JSON was asked for."""
    if wants_json():
        return jsonify(json_payload(template, context)), status
    return render(template, **context), status


def redirect_to(url: str):
    """A redirect: JSON {"next": url} for JSON callers, 302 for browsers."""
    if wants_json():
        payload = {"next": url}
        messages = get_flashed_messages(with_categories=True)
        if messages:
            payload["status"], payload["flash"] = messages[-1]
        return jsonify(payload)
    return redirect(url)


def error_response(code: int, description: str):
    if wants_json():
        return jsonify({"code": code, "description": description, "status": "error"}), code
    return render_template("errors/error.html", code=code, description=description), code

"""PYBOSSA's error shape for every /api response that fails:

    {"action": "GET", "status": "failed", "status_code": 404, "target": "project",
     "exception_cls": "NotFound", "exception_msg": "..."}

ApiError is an HTTPException, so raising it anywhere in a request reaches the core error handler,
which hands /api paths to handle() below. Failures are also written to the operational log
(channel api), without query strings: they carry API keys."""
from __future__ import annotations

from flask import current_app, g, jsonify, request
from werkzeug.exceptions import HTTPException

from ..extensions import db

API_PREFIX = "/api/"

CLASS_FOR_STATUS = {400: "BadRequest", 401: "Unauthorized", 403: "Forbidden", 404: "NotFound",
                    405: "MethodNotAllowed", 409: "Conflict", 413: "RequestEntityTooLarge",
                    415: "UnsupportedMediaType", 429: "TooManyRequests", 500: "InternalServerError"}

MESSAGE_FOR_STATUS = {404: "Not found: no such resource or object",
                      405: "This method is not allowed on this resource",
                      413: "The request body is too large",
                      500: "Something went wrong on our side. The error was logged."}


class ApiError(HTTPException):
    """An API failure with a message safe to show and PYBOSSA's exception class name."""

    def __init__(self, status: int, message: str, exception_cls: str | None = None, headers=None):
        super().__init__(description=message)
        self.code = status
        self.exception_cls = exception_cls or CLASS_FOR_STATUS.get(status, "HTTPException")
        self.extra_headers = dict(headers or {})


def target() -> str:
    """The resource a request is about: 'project' for /api/project/1, 'newtask' for the task feed."""
    if getattr(g, "api_target", None):
        return g.api_target
    parts = [p for p in request.path[len(API_PREFIX):].split("/") if p]
    return parts[0] if parts else "api"


def handle(exc: HTTPException):
    status = exc.code or 500
    cls = getattr(exc, "exception_cls", None) or type(exc).__name__
    message = exc.description if isinstance(exc, ApiError) else MESSAGE_FOR_STATUS.get(status, exc.description)
    body = {"action": request.method, "status": "failed", "status_code": status, "target": target(),
            "exception_cls": cls, "exception_msg": message}
    response = jsonify(body)
    response.status_code = status
    for name, value in getattr(exc, "extra_headers", {}).items():
        response.headers[name] = value
    if status == 405 and hasattr(exc, "valid_methods") and exc.valid_methods:
        response.headers["Allow"] = ", ".join(exc.valid_methods)
    _record(status, message)
    return response


def _record(status: int, message: str) -> None:
    if status == 429 and not getattr(g, "api_first_refusal", False):
        return  # one line per client and window, not one per refused request
    from ..services import events
    try:
        db.session.rollback()  # whatever failed must not be committed with the log line
        events.record("api", "api.error", f"{request.method} {request.path} -> {status}: {message}"[:500],
                      level="error" if status >= 500 else "warning",
                      data={"status": status, "endpoint": request.path, "method": request.method})
    except Exception:  # the log must never turn an API error into a crash
        db.session.rollback()
        current_app.logger.exception("could not record an API error")

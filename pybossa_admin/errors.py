"""Error pages: HTML or JSON, never a traceback. /api errors use PYBOSSA's shape (see api/)."""
from __future__ import annotations

from flask import request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from .responses import error_response


def _reject_malformed_json():
    """Form views read a JSON body as their form data; anything but a JSON object is a 400, not a 500."""
    if request.path.startswith("/api/") or not request.is_json or not request.content_length:
        return None
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return error_response(400, "The request body must be a JSON object.")
    return None


def init_app(app):
    app.before_request(_reject_malformed_json)

    @app.errorhandler(CSRFError)
    def csrf_error(exc):
        return error_response(400, f"The form's security token is missing or expired ({exc.description}). "
                                   "Reload the page and try again.")

    @app.errorhandler(HTTPException)
    def http_error(exc):
        handler = app.extensions["pybossa_admin"].get("api_error_handler")
        if handler and request.path.startswith("/api/"):
            return handler(exc)
        return error_response(exc.code or 500, exc.description or exc.name)

    @app.errorhandler(Exception)
    def unexpected(exc):
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        from .extensions import db
        db.session.rollback()
        handler = app.extensions["pybossa_admin"].get("api_error_handler")
        if handler and request.path.startswith("/api/"):
            return handler(InternalServerError())
        return error_response(500, "Something went wrong on our side. The error was logged.")

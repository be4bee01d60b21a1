"""The real rq-dashboard, mounted at /admin/rq behind the admin guard, on the app's own Redis client.

rq-dashboard's blueprint is a module-level object, so everything per app happens here with app-level
hooks that look at `request.blueprint` (adding hooks to the blueprint itself would stack one per app).
- Connection: rq-dashboard opens a new Redis client per request through the name `from_url` in
  `rq_dashboard.web`. It is replaced once per process by a function that returns the client of the
  app serving the request (looked up in `current_app` at call time, so nothing leaks between apps,
  and the embedded fakeredis works too).
- CSRF: its JavaScript sends the cookie `_csrf_token` as X-CSRFToken, which Flask-WTF accepts.
- Its GET "requeue all" would be a state change on GET: refused with 405.
"""
from __future__ import annotations

from urllib.parse import urlsplit

import rq_dashboard
from flask import abort, current_app, jsonify, request
from flask_wtf.csrf import generate_csrf
from rq.exceptions import InvalidJobOperation, NoSuchJobError
from rq_dashboard import web as rq_web

from pybossa_admin.plugin import error_response, is_admin
from pybossa_admin.services import events

from . import control

PREFIX = "/admin/rq"
BLUEPRINT = "rq_dashboard"
CSRF_COOKIE = "_csrf_token"
# rq-dashboard endpoints that change something, as logged on the jobs channel.
ACTIONS = {"delete_job_view": "delete", "requeue_job_view": "requeue", "requeue_all": "requeue all",
           "empty_queue": "empty", "compact_queue": "compact"}


def app_connection(*args, **kwargs):
    """Stands in for redis_sentinel_url.connect: (sentinel, client) with the serving app's client."""
    return None, current_app.extensions["redis"]


def display_url(url: str) -> str:
    """What rq-dashboard shows as the instance: no credentials, ever."""
    if url.startswith("fakeredis://"):
        return "embedded (in-process fakeredis; jobs run inline)"
    parts = urlsplit(url)
    where = parts.hostname or parts.path
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{where}{port}{parts.path if parts.hostname else ''}"


def _refuse_unsafe():
    if request.blueprint != BLUEPRINT:
        return None
    if request.endpoint == f"{BLUEPRINT}.requeue_all" and request.method != "POST":
        response, status = error_response(405, "Requeue all changes state: POST it (with the CSRF token).")
        response = current_app.make_response((response, status))
        response.headers["Allow"] = "POST"
        return response
    instance = (request.view_args or {}).get("instance_number")
    if instance not in (None, 0):
        abort(404, "There is one Redis instance: number 0.")
    if request.endpoint == f"{BLUEPRINT}.compact_queue" and request.method == "POST":
        # rq's compact renames the queue's key, which fails (500) when the queue is empty.
        if not current_app.extensions["redis"].exists(f"rq:queue:{request.view_args['queue_name']}"):
            return jsonify(status="OK")
    return None


def _after(response):
    if request.blueprint != BLUEPRINT or not is_admin():
        return response
    if request.method == "GET" and response.status_code == 200 and response.mimetype == "text/html":
        response.set_cookie(CSRF_COOKIE, generate_csrf(), path=PREFIX, samesite="Strict", httponly=False,
                            secure=current_app.config.get("SESSION_COOKIE_SECURE", False))
    action = ACTIONS.get((request.endpoint or "").rpartition(".")[2])
    if request.method == "POST" and action and response.status_code == 200:
        args = {k: v for k, v in (request.view_args or {}).items()}
        status = (response.get_json(silent=True) or {}).get("status", "")
        events.record("jobs", f"rq_dashboard.{action.replace(' ', '_')}",
                      f"rq-dashboard {action} {' '.join(f'{k}={v}' for k, v in args.items())}: {status}",
                      data={"action": action, **args, "status": status})
        if current_app.config["EMBEDDED_JOBS"] and action.startswith("requeue"):
            control.run_queued_inline()  # no worker on the embedded default: run what was requeued now
    return response


def _no_such_job(exc):
    return error_response(404, "No such job (it may have expired).")


def _invalid_operation(exc):
    return error_response(409, str(exc) or "That cannot be done to this job in its current state.")


def mount(app) -> None:
    rq_web.from_url = app_connection  # idempotent; stateless (reads current_app per call)
    app.config["RQ_DASHBOARD_REDIS_URL"] = (display_url(app.config["REDIS_URL"]),)
    app.config.setdefault("RQ_DASHBOARD_POLL_INTERVAL", app.config["JOBS_POLL_INTERVAL_MS"])
    if BLUEPRINT not in app.blueprints:
        app.register_blueprint(rq_dashboard.blueprint, url_prefix=PREFIX)
    with app.app_context():
        rq_web.setup_rq_connection(app)
    app.before_request(_refuse_unsafe)
    app.after_request(_after)
    app.register_error_handler(NoSuchJobError, _no_such_job)
    app.register_error_handler(InvalidJobOperation, _invalid_operation)
    # Disabling the jobs plugin closes rq-dashboard too.
    app.extensions["pybossa_admin"]["plugin_blueprints"][BLUEPRINT] = "jobs"

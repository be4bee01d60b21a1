"""The contribute page and the sandboxed task presenter.

The presenter is owner-supplied HTML and script. It is served by its own route into an
<iframe sandbox="allow-scripts"> (no allow-same-origin), so it runs in an opaque origin: it cannot read
the platform's cookies or storage, and its requests to the platform are cross-origin and credential-less.
Its CSP also forbids network connections and form posts. The only thing it can do is talk to the
trusted parent page (static/js/contribute.js) through postMessage: receive a task, send an answer.
"""
from __future__ import annotations

import functools
import os

from flask import current_app, make_response, request, url_for
from flask_login import current_user

from ..repositories import projects as project_repo
from ..responses import respond
from .access import can_manage, project_view, visible_project
from .blueprint import bp

PRESENTER_CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
                 "img-src https: data:; media-src https: data:; font-src https: data:; connect-src 'none'; "
                 "form-action 'none'; base-uri 'none'; frame-ancestors 'self'; sandbox allow-scripts")
# The trusted parent page: only our own scripts, and frames from our own origin.
CONTRIBUTE_CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                  "img-src 'self' data: https:; connect-src 'self'; frame-src 'self'; object-src 'none'; "
                  "base-uri 'self'; form-action 'self'; frame-ancestors 'self'")
# Largest answer the parent bridge forwards (bytes of JSON).
MAX_ANSWER_BYTES = 64 * 1024


@functools.lru_cache(maxsize=4)
def _read_static(path: str) -> str:
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def presenter_shim() -> str:
    return _read_static(os.path.join(current_app.static_folder, "js", "presenter-shim.js"))


def _api_paths(project) -> dict:
    # PYBOSSA's fixed API contract (pbclient and presenters rely on these paths), so they are spelled out
    # rather than looked up from an endpoint name.
    root = request.script_root
    return {"newtask": f"{root}/api/project/{project.id}/newtask", "taskrun": f"{root}/api/taskrun"}


def contribute_state(project) -> str:
    """ready | preview (a manager trying a draft) | paused | signin (anonymous volunteers not allowed)."""
    if not project.published:
        return "preview"
    if project.paused:
        return "paused"
    if not current_user.is_authenticated and not project.allow_anonymous_contributors:
        return "signin"
    return "ready"


def _preview_task(project) -> dict:
    task = project_repo.first_task(project)
    if task is not None:
        return task.as_dict()
    return {"id": 0, "project_id": project.id, "info": {"question": "An example task (the project has none yet)"}}


@bp.route("/project/<short_name>/contribute")
def contribute(short_name):
    project = visible_project(short_name)  # drafts: 404 unless owner or admin
    state = contribute_state(project)
    context = {"title": f"Contribute to {project.name}", "project": project_view(project),
               "state": state, "can_manage": can_manage(project),
               "presenter_url": url_for("web.presenter", short_name=project.short_name),
               "api": _api_paths(project), "max_answer_bytes": MAX_ANSWER_BYTES,
               "preview_task": _preview_task(project) if state == "preview" else None,
               "has_presenter": project.has_presenter}
    body, status = respond("web/contribute.html", **context)
    response = make_response(body, status)
    response.headers["Content-Security-Policy"] = CONTRIBUTE_CSP
    return response


@bp.route("/project/<short_name>/presenter")
def presenter(short_name):
    project = visible_project(short_name)
    html = (project.info or {}).get("task_presenter") or ""
    parent_origin = request.host_url.rstrip("/")
    body, status = respond("web/presenter.html", project={"id": project.id, "short_name": project.short_name,
                                                          "name": project.name},
                           task_presenter=html, parent_origin=parent_origin, _shim=presenter_shim())
    response = make_response(body, status)
    response.headers["Content-Security-Policy"] = PRESENTER_CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response

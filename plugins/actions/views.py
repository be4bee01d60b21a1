"""/admin/actions: operations, each behind a confirmation step and logged with who did it.

GET /admin/actions/<action> shows what will happen; POST with confirm=yes does it. Purging a
project's task runs needs the project's short name typed as the confirmation. No action deletes
everything.
"""
from __future__ import annotations

from flask import current_app, flash, jsonify, request, url_for

from sqlalchemy import select
from werkzeug.routing import BuildError

from pybossa_admin.plugin import (AdminView, current_user, db, enqueue, error_response, expose, models,
                                  redirect_to, wants_json)
from pybossa_admin.services import events

from . import dashboard, maintenance, purge, restart

ACTIONS = {
    "restart-workers": "Restart background workers",
    "restart-web": "Restart the web processes",
    "refresh-dashboard": "Refresh the dashboard now",
    "maintenance": "Maintenance mode",
}


def _form() -> dict:
    data = request.get_json(silent=True) if request.is_json else None
    return data if isinstance(data, dict) else request.form


def _done(message: str, category: str = "success", **result):
    """After an action: JSON callers get the outcome, browsers go back to the list with a flash."""
    if wants_json():
        return jsonify({"status": category, "flash": message, "result": result, "next": url_for(".index")})
    flash(message, category)
    return redirect_to(url_for(".index"))


def _state() -> dict:
    """What each action would do right now (for the list and the confirmation pages)."""
    job, why_not = dashboard.dashboard_job()
    return {
        "workers": restart.workers(),
        "embedded_jobs": current_app.config["EMBEDDED_JOBS"],
        "web": restart.web_restart_status(),
        "dashboard": {"available": job is not None, "job": job.name if job else None,
                      "function": job.func if job else None, "explanation": why_not},
        "maintenance": maintenance.current(),
    }


class ActionsView(AdminView):
    @expose("")  # /admin/actions answers as well as /admin/actions/ (no redirect for API-style callers)
    @expose("/")
    def index(self):
        try:
            logs_url = url_for("logs.index", channel="platform")
        except BuildError:  # the logs plugin is not loaded
            logs_url = None
        return self.respond("actions/index.html", title="Actions", actions=ACTIONS, state=_state(),
                            logs_url=logs_url)

    @expose("/<action_name>", methods=["GET", "POST"])
    def action(self, action_name):  # not `name`: Flask-Admin's _handle_view takes that argument
        name = action_name
        if name not in ACTIONS:
            return error_response(404, f"No action named {name!r}. Actions: {', '.join(ACTIONS)}.")
        if request.method == "GET":
            return self.respond("actions/confirm.html", title=ACTIONS[name], action=name, label=ACTIONS[name],
                                state=_state())
        form = _form()
        if str(form.get("confirm", "")).strip().lower() != "yes":
            return error_response(400, f"{ACTIONS[name]}: not confirmed. Open the confirmation page and press "
                                       "the button (JSON callers send confirm=yes).")
        return getattr(self, "_" + name.replace("-", "_"))(form)

    def _restart_workers(self, form):
        embedded = current_app.config["EMBEDDED_JOBS"]
        told = restart.restart_workers()
        message = (f"{len(told)} worker{'s' if len(told) != 1 else ''} told to shut down after their current "
                   "job; a supervised worker comes back by itself." if told else
                   "No worker is running" + (": on the embedded default jobs run inline in the web process."
                                             if embedded else ", so no worker was told."))
        events.record("platform", "action.restart_workers", f"{current_user.name} restarted workers: {message}",
                      data={"workers": told})
        return _done(message, "success" if told else "info", workers=told, count=len(told))

    def _restart_web(self, form):
        status = restart.web_restart_status()
        if not status["available"]:
            events.record("platform", "action.restart_web", f"{current_user.name} asked for a web restart: "
                          "not available under this server", level="warning", data={"server": status["server"]})
            if wants_json():
                return error_response(409, status["explanation"])
            flash(status["explanation"], "error")
            return redirect_to(url_for(".index"))
        events.record("platform", "action.restart_web",
                      f"{current_user.name} restarted the web processes (SIGHUP to gunicorn master "
                      f"{status['master_pid']})", data={"master_pid": status["master_pid"]})
        master = restart.restart_web()
        return _done(f"The gunicorn master (pid {master}) is starting fresh web workers; the old ones finish "
                     "their requests first.", master_pid=master)

    def _refresh_dashboard(self, form):
        job, why_not = dashboard.dashboard_job()
        if job is None:
            if wants_json():
                return error_response(409, why_not)
            flash(why_not, "error")
            return redirect_to(url_for(".index"))
        queued = enqueue(job.func, queue="low", description=f"{job.name} (on demand)")
        events.record("platform", "action.refresh_dashboard",
                      f"{current_user.name} asked for a dashboard refresh ({job.name})",
                      data={"job": job.name, "job_id": queued.id})
        message = ("Dashboard refreshed." if queued.is_finished else
                   "The dashboard refresh failed; see the Jobs tab of the logs." if queued.is_failed else
                   f"Dashboard refresh queued on low (job {queued.id}).")
        return _done(message, "error" if queued.is_failed else "success", job_id=queued.id,
                     state=str(queued.get_status()))

    def _maintenance(self, form):
        mode = str(form.get("mode", "")).strip().lower()
        if mode not in ("on", "off"):
            return error_response(400, f"mode: expected on or off, got {mode!r}")
        message = str(form.get("message", "") or "")
        if len(message) > maintenance.MAX_MESSAGE:
            return error_response(400, f"message: at most {maintenance.MAX_MESSAGE} characters")
        value = maintenance.set_mode(mode == "on", current_user._get_current_object(), message)
        return _done("Maintenance mode is on: contributions and edits are refused with 503, admin pages "
                     "keep working." if mode == "on" else "Maintenance mode is off.", maintenance=value)

    @expose("/purge", methods=["GET", "POST"])
    def purge(self):
        form = _form() if request.method == "POST" else request.args
        ref = str(form.get("project", "") or "").strip()
        if not ref:
            return error_response(400, "project: give the short name (or id) of the project to purge")
        project = db.session.scalar(select(models.Project).where(models.Project.short_name == ref))
        if project is None and ref.isdigit():
            project = db.session.get(models.Project, int(ref))
        if project is None:
            return error_response(404, f"No project with short name or id {ref!r}.")
        numbers = purge.counts(project.id)
        if request.method == "GET":
            return self.respond("actions/purge.html", title="Purge task runs", project=project, counts=numbers)
        typed = str(form.get("confirm", "") or "").strip()
        if typed != project.short_name:
            message = (f"The confirmation does not match: type the project's short name "
                       f"{project.short_name!r} exactly to purge its task runs.")
            if wants_json():
                return error_response(400, message)
            return self.respond("actions/purge.html", status=400, title="Purge task runs", project=project,
                                counts=numbers, error=message)
        job = enqueue(purge.purge_task_runs, project.id, current_user.id, queue="maintenance",
                      description=f"purge task runs of {project.short_name}")
        events.record("platform", "action.purge_task_runs",
                      f"{current_user.name} asked to purge the {numbers['task_runs']} task runs of "
                      f"{project.short_name}", data={"project_id": project.id, "project": project.short_name,
                                                     "task_runs": numbers["task_runs"], "job_id": job.id})
        if job.is_finished:
            outcome = job.return_value()
            return _done(f"Purged {outcome['task_runs']} task runs and {outcome['results']} results of "
                         f"{project.short_name}; {outcome['tasks_reset']} tasks are ongoing again.", **outcome)
        if job.is_failed:
            return _done("The purge failed; see the Jobs tab of the logs.", "error", job_id=job.id)
        return _done(f"Purge of {project.short_name}'s {numbers['task_runs']} task runs queued on maintenance "
                     f"(job {job.id}).", job_id=job.id, project=project.short_name)

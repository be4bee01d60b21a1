"""/admin/jobs: queues at a glance, cancel / stop / retry, and the periodic-job table."""
from __future__ import annotations

from flask import current_app, flash, url_for

from pybossa_admin.plugin import AdminView, error_response, expose, redirect_to, schedule_table
from pybossa_admin.services import events

from . import control

DONE = {"cancel": "Canceled", "stop": "Asked the worker to stop", "retry": "Requeued"}
EMBEDDED_LIMITS = ("no retries", "no delayed or periodic jobs", "one process (a second web process has its own "
                   "empty queue)")


class JobsView(AdminView):

    @expose("/")
    def index(self):
        embedded = current_app.config["EMBEDDED_JOBS"]
        return self.respond("jobs/jobs.html", title="Background jobs", embedded=embedded,
                            limits=list(EMBEDDED_LIMITS) if embedded else [],
                            queues=control.overview(current_app.config["JOBS_LIST_LIMIT"]),
                            periodic=schedule_table(), workers=control.workers(),
                            rq_dashboard_url=url_for("rq_dashboard.queues_overview"))

    def _act(self, action: str, job_id: str):
        try:
            job = getattr(control, action)(job_id)
        except control.JobError as exc:
            return error_response(exc.status, str(exc))
        message = f"{DONE[action]} job {job.id} ({job.description})."
        if action == "retry" and current_app.config["EMBEDDED_JOBS"]:
            message += f" It ran inline and is now {control.describe(job)['status']}."
        events.record("jobs", f"job.{action}", message, data={"job_id": job.id, "queue": job.origin})
        flash(message, "success")
        return redirect_to(url_for(".index"))

    @expose("/job/<job_id>/cancel", methods=["POST"])
    def cancel(self, job_id):
        return self._act("cancel", job_id)

    @expose("/job/<job_id>/stop", methods=["POST"])
    def stop(self, job_id):
        return self._act("stop", job_id)

    @expose("/job/<job_id>/retry", methods=["POST"])
    def retry(self, job_id):
        return self._act("retry", job_id)

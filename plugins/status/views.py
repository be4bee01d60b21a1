"""The status page and the session revoke action."""
from __future__ import annotations

from flask import flash, request, url_for

from pybossa_admin.plugin import AdminView, current_user, db, error_response, expose, models, redirect_to
from pybossa_admin.services import events, sessions

from . import probes


class StatusView(AdminView):

    @expose("/")
    def index(self):
        q = (request.args.get("q") or "").strip()[:100]
        queue_state = probes.queues()
        return self.respond("status/index.html", database=probes.database(), redis=probes.redis(),
                            queues=queue_state["queues"], workers=queue_state["workers"],
                            queue_error=queue_state["error"], versions=probes.versions(),
                            plugins=probes.plugin_versions(), packages=probes.packages(q), q=q,
                            environment=probes.environment(), configuration=probes.configuration(),
                            sessions=probes.active_sessions(), embedded_limits=probes.embedded_limits(),
                            title="Status")

    @expose("/sessions/<int:session_id>/revoke", methods=["POST"])
    def revoke_session(self, session_id):
        row = db.session.get(models.SignInSession, session_id)
        if row is None:
            return error_response(404, f"No sign-in session with id {session_id}.")
        owner = db.session.get(models.User, row.user_id)
        me = current_user._get_current_object()
        if not sessions.revoke(session_id):
            flash(f"Session {session_id} had already ended.", "info")
            return redirect_to(url_for(".index"))
        events.record("platform", "session.revoked",
                      f"{me.name} ended sign-in session {session_id} of {owner.name if owner else row.user_id}",
                      user=me, data={"session_id": session_id, "target_user_id": row.user_id})
        flash(f"Session {session_id} of {owner.name if owner else row.user_id} ended.", "success")
        # If it was this very session, the next page load goes to the sign-in page.
        return redirect_to(url_for(".index") + "#sessions")

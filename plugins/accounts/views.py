"""Accounts admin pages: the list, one user's page, their actions and the CSV export."""
from __future__ import annotations

from flask import Response, current_app, flash, request, stream_with_context, url_for

from pybossa_admin.plugin import (AdminView, current_user, db, error_response, expose, issue_reset_link, models,
                                  redirect_to)
from pybossa_admin.services import events, sessions, users

from . import csv_export, queries

# action -> (what it does, success message). Every one is a POST with a CSRF token.
ACTIONS = {
    "activate": "{name} is active again.",
    "deactivate": "{name} is deactivated and signed out everywhere.",
    "grant-admin": "{name} is now an admin.",
    "revoke-admin": "{name} is no longer an admin.",
    "grant-pro": "{name} is now pro.",
    "revoke-pro": "{name} is no longer pro.",
    "sign-out-everywhere": "{name} is signed out everywhere ({count} session{plural} ended).",
    "reset-link": "",  # answered with the link itself, see _reset_link
}


def _me():
    return current_user._get_current_object()


class AccountsView(AdminView):

    @expose("/")
    def index(self):
        try:
            params = queries.ListParams.from_args(request.args, current_app.config["ACCOUNTS_PER_PAGE"])
            page = queries.list_page(params)
        except queries.BadRequest as exc:
            return error_response(400, str(exc))
        return self.respond("accounts/list.html", users=page.rows, next_cursor=page.next_cursor,
                            prev_cursor=page.prev_cursor, total=page.total, filters=params.as_args(),
                            params=params, sorts={k: s.label for k, s in queries.SORTS.items()},
                            organizations=queries.organizations_for_filter(), title="Accounts")

    @expose("/export.csv")
    def export(self):
        try:
            params = queries.ListParams.from_args(request.args)
        except queries.BadRequest as exc:
            return error_response(400, str(exc))
        events.record("platform", "accounts.exported", f"{_me().name} exported the accounts list as CSV",
                      user=_me(), data={"filters": params.as_args(sort=None, order=None)})
        body = csv_export.stream(queries.EXPORT_COLUMNS, queries.export_rows(params))
        stamp = models.utcnow().strftime("%Y%m%d-%H%M%S")
        return Response(stream_with_context(body), mimetype="text/csv",
                        headers={"Content-Disposition": f'attachment; filename="accounts-{stamp}.csv"',
                                 "Cache-Control": "no-store"})

    @expose("/<int:user_id>")
    def detail(self, user_id):
        return self._detail(user_id)

    def _detail(self, user_id, status=200, **extra):
        data = queries.user_detail(user_id)
        if data is None:
            return error_response(404, f"No user with id {user_id}.")
        org = data["organization"]
        org_url = url_for("organizations.detail", org_id=org.id) \
            if org is not None and "organizations.detail" in current_app.view_functions else None
        return self.respond("accounts/detail.html", status=status, actions=list(ACTIONS),
                            organization_url=org_url, title=f"Account {data['user'].name}", **data, **extra)

    @expose("/<int:user_id>/<action>", methods=["POST"])
    def act(self, user_id, action):
        if action not in ACTIONS:
            return error_response(404, f"Unknown action {action!r}. Actions: {', '.join(ACTIONS)}.")
        user = db.session.get(models.User, user_id)
        if user is None:
            return error_response(404, f"No user with id {user_id}.")
        if action == "reset-link":
            return self._reset_link(user)
        me = _me()
        count = 0
        try:
            if action in ("activate", "deactivate"):
                users.set_enabled(user, action == "activate", by=me)
            elif action in ("grant-admin", "revoke-admin"):
                users.set_admin(user, action == "grant-admin", by=me)
            elif action in ("grant-pro", "revoke-pro"):
                users.set_pro(user, action == "grant-pro", by=me)
            elif action == "sign-out-everywhere":
                count = sessions.revoke_all(user.id)
                events.record("platform", "user.signed_out_everywhere",
                              f"{me.name} signed {user.name} out everywhere ({count} sessions)", user=me,
                              data={"target_user_id": user.id, "sessions": count})
        except users.UserError as exc:
            db.session.rollback()
            flash(str(exc), "error")
            return self._detail(user_id, status=400)
        flash(ACTIONS[action].format(name=user.name, count=count, plural="" if count == 1 else "s"), "success")
        if action == "sign-out-everywhere" and user.id == me.id:
            return redirect_to(url_for("account.signin"))
        return redirect_to(url_for(".detail", user_id=user.id))

    def _reset_link(self, user):
        """Shown once, in this response only: the token is kept hashed and never logged."""
        if not user.enabled:
            flash("Activate the account first: a deactivated user cannot sign in, even with a new password.",
                  "error")
            return self._detail(user.id, status=400)
        link = issue_reset_link(user, _me())
        flash(f"Reset link for {user.name} generated. Copy it now: it is shown only once, works once and "
              "expires in one hour.", "success")
        return self._detail(user.id, reset_link=link)

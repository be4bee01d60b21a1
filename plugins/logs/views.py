"""/admin/logs: one tab per channel, filters, keyset pages, HTML and JSON."""
from __future__ import annotations

from flask import current_app, request, url_for

from pybossa_admin.plugin import AdminView, error_response, expose, wants_json
from pybossa_admin.services import masking

from . import queries

TABS = (("platform", "Platform"), ("auth", "Authentication"), ("api", "API errors"), ("jobs", "Jobs"),
        ("startup", "Start-up"), ("all", "All"))


def present(row, known) -> dict:
    """A row as shown: message and data scanned for secrets (whatever the writer put there)."""
    data = row.as_dict()
    data["message"] = masking.mask_text(data["message"], known)
    data["data"] = masking.mask_data(data["data"] or {}, known)
    return data


class LogsView(AdminView):
    @expose("")  # /admin/logs answers as well as /admin/logs/ (no redirect for API-style callers)
    @expose("/")
    def index(self):
        try:
            found = queries.parse(request.args)
        except queries.FilterError as exc:
            if wants_json():
                return error_response(400, str(exc))
            return self.respond("logs/index.html", status=400, title="Logs", tabs=TABS, error=str(exc),
                                filter=queries.LogFilter(), events=[], event_names=[], levels=queries.LEVELS,
                                newer_url=None, older_url=None)
        result = queries.page(found)
        known = masking.known_secrets(current_app.config)
        json_arg = {"response_format": "json"} if wants_json() else {}
        newer_url = url_for(".index", **found.as_args(after=result.newer), **json_arg) if result.newer else None
        older_url = url_for(".index", **found.as_args(before=result.older), **json_arg) if result.older else None
        return self.respond("logs/index.html", title="Logs", tabs=TABS, filter=found,
                            events=[present(row, known) for row in result.rows],
                            event_names=queries.event_names(found.channel), levels=queries.LEVELS,
                            newer_url=newer_url, older_url=older_url,
                            retention_days=current_app.config["LOG_RETENTION_DAYS"],
                            max_rows_per_channel=current_app.config["LOGS_MAX_ROWS_PER_CHANNEL"])

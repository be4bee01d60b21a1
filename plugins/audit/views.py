"""The project audit log (/project/<short_name>/auditlog) and the global one (/admin/auditlog).

Both are read-only: every route here answers GET only, and the model refuses updates and deletes.
"""
from __future__ import annotations

from flask import Blueprint, current_app, request, url_for

from pybossa_admin.plugin import (AdminView, current_user, error_response, expose, login_required, repositories,
                                  respond)

from . import export, queries

bp = Blueprint("audit", __name__)

DENIED = "The audit log is open to admins and to pro users who own the project."


def can_read(user, project) -> bool:
    """PYBOSSA's rule: admins, and pro users who own the project (auditlog is a pro feature)."""
    return bool(user.is_authenticated and (user.admin or (user.pro and project.owner_id == user.id)))


def _listing(project, allow_project: bool, endpoint: str, endpoint_args: dict):
    """Parse the query string and fetch a page; returns (context, None) or (None, error response)."""
    try:
        filters = queries.parse_filters(request.args, allow_project)
        cfg = current_app.config
        per_page = queries.parse_int(request.args, "per_page", cfg["AUDIT_PER_PAGE"], 1, cfg["AUDIT_MAX_PER_PAGE"])
        before = queries.parse_int(request.args, "before")
        after = queries.parse_int(request.args, "after", minimum=0)
    except queries.FilterError as exc:
        return None, error_response(400, str(exc))
    if before is not None and after is not None:
        return None, error_response(400, "Use either before or after, not both.")
    project_id = project.id if project is not None else None
    result = queries.page(project_id, filters, per_page, before=before, after=after)
    keep = dict(endpoint_args, **filters.query_args())
    if per_page != current_app.config["AUDIT_PER_PAGE"]:
        keep["per_page"] = per_page
    context = {
        "logs": result.rows,
        "filters": filters.as_dict(),
        "actions": queries.ACTIONS,
        "attributes": queries.attributes(project_id) if project_id is not None else [],
        "per_page": per_page,
        "newer_url": url_for(endpoint, after=result.newer, **keep) if result.newer is not None else None,
        "older_url": url_for(endpoint, before=result.older, **keep) if result.older is not None else None,
        "first_url": url_for(endpoint, **keep) if (before is not None or after is not None) else None,
    }
    return context, None


@bp.route("/project/<short_name>/auditlog")
@login_required
def project_auditlog(short_name):
    project = repositories.projects.by_short_name(short_name)
    if project is None:
        return error_response(404, f"No project named {short_name!r}.")
    if not can_read(current_user, project):
        return error_response(403, DENIED)
    context, error = _listing(project, False, "audit.project_auditlog", {"short_name": short_name})
    if error is not None:
        return error
    filters = {k: v for k, v in context["filters"].items() if v and k != "project"}
    return respond("audit/project_auditlog.html", project=project, title=f"Audit log · {project.name}",
                   export_csv=url_for("audit.project_export", short_name=short_name, format="csv", **filters),
                   export_json=url_for("audit.project_export", short_name=short_name, format="json", **filters),
                   **context)


@bp.route("/project/<short_name>/auditlog/export")
@login_required
def project_export(short_name):
    project = repositories.projects.by_short_name(short_name)
    if project is None:
        return error_response(404, f"No project named {short_name!r}.")
    if not can_read(current_user, project):
        return error_response(403, DENIED)
    try:
        filters = queries.parse_filters(request.args, allow_project=False)
    except queries.FilterError as exc:
        return error_response(400, str(exc))
    return export.export_response(request.args.get("format"), project.id, filters, f"auditlog-{project.short_name}")


class AuditLogView(AdminView):
    """Every project's audit rows, for admins, with a project filter on top of the project page's."""

    @expose("/")
    def index(self):
        context, error = _listing(None, True, "auditlog.index", {})
        if error is not None:
            return error
        filters = {k: v for k, v in context["filters"].items() if v}
        return self.respond("audit/admin_auditlog.html", title="Audit log",
                            export_csv=url_for("auditlog.export_rows", format="csv", **filters),
                            export_json=url_for("auditlog.export_rows", format="json", **filters),
                            **context)

    @expose("/export")
    def export_rows(self):
        try:
            filters = queries.parse_filters(request.args, allow_project=True)
        except queries.FilterError as exc:
            return error_response(400, str(exc))
        return export.export_response(request.args.get("format"), None, filters, "auditlog")

"""Audit log: per project (/project/<short_name>/auditlog) and across projects (/admin/auditlog)."""
from datetime import timedelta

from pybossa_admin.plugin import AdminCard, Plugin, models


def _views():
    from .views import AuditLogView
    return [AuditLogView(name="Audit log", url="/admin/auditlog", endpoint="auditlog", category="Projects")]


def _recent_count():
    from .queries import count_since
    return count_since(models.utcnow() - timedelta(days=7))


def _blueprint():
    from .views import bp
    return bp


plugin = Plugin(
    name="audit",
    version="1.0.0",
    description="Who changed what in each project, when and from where (web, API, CLI, jobs). Read-only.",
    admin_views=_views,
    blueprints=(_blueprint(),),
    cards=(AdminCard("Audit log", "auditlog.index", "Project changes recorded in the last 7 days.",
                     count=_recent_count),),
    config={"AUDIT_PER_PAGE": 50, "AUDIT_MAX_PER_PAGE": 500},
)

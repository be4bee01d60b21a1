"""The 7-day dashboard figures, computed with portable SQL on indexed timestamp columns.

Keys and shapes follow PYBOSSA's dashboard JSON (`{labels, series: [[...]]}` and project lists with
day, id, short_name, p_name, owner_id, u_name, email_addr), with its known faults fixed:
- every series has all 7 days, oldest first, zeros included (PYBOSSA #1741: no ORDER BY, gaps);
- "published" lists every project published in the window, whoever published it (PYBOSSA kept only
  publishes by the owner);
- "returning users" counts users by their number of distinct active days, 1 to 7 (PYBOSSA's 1-day
  bucket was always 0).
"""
from __future__ import annotations

import time
from datetime import timezone

from sqlalchemy import and_, case, distinct, func, or_, select

from pybossa_admin.plugin import db, models

from .days import as_day, utc_day, window

DAYS = 7


def _series(labels: list[str], counts: dict[str, int]) -> dict:
    return {"labels": list(labels), "series": [[int(counts.get(label, 0)) for label in labels]]}


def _per_day(column, start, end, *where) -> dict[str, int]:
    day = utc_day(column)
    stmt = select(day, func.count()).where(column >= start, column < end, *where).group_by(day)
    return {as_day(d): n for d, n in db.session.execute(stmt)}


def task_run_activity(start, end, labels) -> dict:
    """Runs, active users and active anonymous volunteers per day, in one pass over the window."""
    run = models.TaskRun
    day = utc_day(run.finish_time)
    anonymous = case((run.user_id.is_(None), func.coalesce(run.anon_id, run.user_ip)))
    stmt = (select(day, func.count(), func.count(distinct(run.user_id)), func.count(distinct(anonymous)))
            .where(run.finish_time >= start, run.finish_time < end).group_by(day))
    runs, users, anon = {}, {}, {}
    for d, n_runs, n_users, n_anon in db.session.execute(stmt):
        label = as_day(d)
        runs[label], users[label], anon[label] = n_runs, n_users, n_anon
    return {"new_task_runs_week": _series(labels, runs),
            "active_users_last_week": _series(labels, users),
            "active_anon_last_week": _series(labels, anon)}


def returning_users(start, end) -> dict:
    """Registered volunteers active in the window, grouped by how many distinct days they came."""
    run = models.TaskRun
    per_user = (select(run.user_id, func.count(distinct(utc_day(run.finish_time))).label("n_days"))
                .where(run.finish_time >= start, run.finish_time < end, run.user_id.is_not(None))
                .group_by(run.user_id).subquery())
    counts = dict(db.session.execute(select(per_user.c.n_days, func.count()).group_by(per_user.c.n_days)).all())
    labels = [f"{n} day" if n == 1 else f"{n} days" for n in range(1, DAYS + 1)]
    return {"labels": labels, "series": [[int(counts.get(n, 0)) for n in range(1, DAYS + 1)]]}


def _project_rows(stmt) -> list[dict]:
    items = []
    for row in db.session.execute(stmt):
        items.append({"day": as_day(row.at), "at": models.iso(row.at.astimezone(timezone.utc)),
                      "id": row.id, "short_name": row.short_name, "p_name": row.name, "owner_id": row.owner_id,
                      "u_name": row.u_name,
                      # Restricted (GDPR) accounts keep their address private, even from this list.
                      "email_addr": None if row.restrict else row.email_addr})
    return items


def _projects(where, at, limit: int) -> dict:
    project, user = models.Project, models.User
    base = select(project.id).select_from(project).join(user, user.id == project.owner_id)
    total = db.session.scalar(select(func.count()).select_from(base.where(*where).subquery())) or 0
    stmt = (select(project.id, project.short_name, project.name, project.owner_id, at.label("at"),
                   user.name.label("u_name"), user.email_addr, user.restrict)
            .select_from(project).join(user, user.id == project.owner_id)
            .where(*where).order_by(at.desc(), project.id.desc()).limit(limit))
    return {"items": _project_rows(stmt), "total": total}


def projects(start, end, limit: int) -> dict:
    project, log = models.Project, models.AuditLog
    drafts = _projects([project.created >= start, project.created < end, project.published.is_(False)],
                       project.created, limit)
    # Published in the window: the audit row of the publish, whoever made it; projects created
    # already published (imports) count on their creation day.
    publishes = (select(log.project_id, func.max(log.created).label("at"))
                 .where(log.created >= start, log.created < end, log.attribute == "published",
                        log.new_value == "true", log.project_id.is_not(None))
                 .group_by(log.project_id).subquery())
    published_at = func.coalesce(publishes.c.at, project.created)
    published_query = (select(project.id, project.short_name, project.name, project.owner_id,
                              published_at.label("at"), models.User.name.label("u_name"),
                              models.User.email_addr, models.User.restrict)
                       .select_from(project)
                       .join(models.User, models.User.id == project.owner_id)
                       .outerjoin(publishes, publishes.c.project_id == project.id)
                       .where(project.published.is_(True),
                              or_(publishes.c.project_id.is_not(None),
                                  and_(project.created >= start, project.created < end))))
    total = db.session.scalar(select(func.count()).select_from(published_query.subquery())) or 0
    published = {"items": _project_rows(published_query.order_by(published_at.desc(), project.id.desc())
                                        .limit(limit)), "total": total}
    updated = _projects([project.updated >= start, project.updated < end], project.updated, limit)
    return {"draft_projects_last_week": drafts["items"], "published_projects_last_week": published["items"],
            "update_projects_last_week": updated["items"],
            "project_totals": {"draft": drafts["total"], "published": published["total"],
                               "updated": updated["total"]}}


def compute(now=None, list_limit: int = 100) -> dict:
    """Every dashboard figure for the 7 UTC days ending today."""
    started = time.perf_counter()
    now = now or models.utcnow()
    start, end, labels = window(now, DAYS)
    data = {"window": {"start": labels[0], "end": labels[-1], "days": labels}}
    data.update(task_run_activity(start, end, labels))
    data["returning_users_week"] = returning_users(start, end)
    data["new_users_week"] = _series(labels, _per_day(models.User.created, start, end))
    data["new_tasks_week"] = _series(labels, _per_day(models.Task.created, start, end))
    data.update(projects(start, end, list_limit))
    data["computed_at"] = now.isoformat()
    data["elapsed_ms"] = round((time.perf_counter() - started) * 1000, 1)
    return data

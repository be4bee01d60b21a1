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

import re
import time
from datetime import timedelta, timezone

from sqlalchemy import and_, case, func, literal, or_, select, text, union_all

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
    """Runs, active users and active anonymous volunteers per day, and returning users, in one pass.

    The window's runs are folded into (volunteer, day) pairs once; both results are then read from the
    pairs (a CTE). Days are numbered by comparing the indexed finish_time with the day boundaries, so
    no per-row date function runs and the SQL is the same on SQLite and PostgreSQL."""
    run = models.TaskRun
    bounds = [start + timedelta(days=i) for i in range(1, len(labels))]
    day_index = case(*((run.finish_time < bound, i) for i, bound in enumerate(bounds)), else_=len(labels) - 1)
    anonymous = case((run.user_id.is_(None), func.coalesce(run.anon_id, run.user_ip)))
    rows = (select(run.user_id.label("user_id"), anonymous.label("anon"), day_index.label("d"))
            .where(run.finish_time >= start, run.finish_time < end).subquery())
    pairs = (select(rows.c.user_id, rows.c.anon, rows.c.d, func.count().label("n"))
             .group_by(rows.c.user_id, rows.c.anon, rows.c.d).cte("pairs"))
    per_day = select(literal(0).label("kind"), pairs.c.d, func.count(pairs.c.user_id), func.count(pairs.c.anon),
                     func.sum(pairs.c.n)).group_by(pairs.c.d)
    per_user = (select(pairs.c.user_id, func.count().label("n_days")).where(pairs.c.user_id.is_not(None))
                .group_by(pairs.c.user_id).subquery())
    by_days = select(literal(1), per_user.c.n_days, func.count(), literal(0), literal(0)).group_by(per_user.c.n_days)
    users, anon, runs = [0] * len(labels), [0] * len(labels), [0] * len(labels)
    returning = [0] * DAYS
    for kind, k, a, b, c in db.session.execute(union_all(per_day, by_days)):
        if kind == 0:
            users[k], anon[k], runs[k] = int(a), int(b), int(c)
        elif 1 <= k <= DAYS:
            returning[k - 1] = int(a)
    return {"new_task_runs_week": {"labels": list(labels), "series": [runs]},
            "active_users_last_week": {"labels": list(labels), "series": [users]},
            "active_anon_last_week": {"labels": list(labels), "series": [anon]},
            "returning_users_week": {"labels": [f"{n} day" if n == 1 else f"{n} days" for n in range(1, DAYS + 1)],
                                     "series": [returning]}}


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


def _tune(work_mem: str | None) -> None:
    """PostgreSQL only, this transaction only: room to aggregate the week in memory instead of on disk."""
    if not work_mem or db.session.get_bind().dialect.name != "postgresql":
        return
    if not re.fullmatch(r"[1-9][0-9]{0,5}(kB|MB|GB)", work_mem):
        raise ValueError(f"STATS_WORK_MEM must look like 64MB, not {work_mem!r}")
    db.session.execute(text(f"SET LOCAL work_mem = '{work_mem}'"))


def compute(now=None, list_limit: int = 100, work_mem: str | None = None) -> dict:
    """Every dashboard figure for the 7 UTC days ending today."""
    started = time.perf_counter()
    _tune(work_mem)
    now = now or models.utcnow()
    start, end, labels = window(now, DAYS)
    data = {"window": {"start": labels[0], "end": labels[-1], "days": labels}}
    data.update(task_run_activity(start, end, labels))
    data["new_users_week"] = _series(labels, _per_day(models.User.created, start, end))
    data["new_tasks_week"] = _series(labels, _per_day(models.Task.created, start, end))
    data.update(projects(start, end, list_limit))
    data["computed_at"] = now.isoformat()
    data["elapsed_ms"] = round((time.perf_counter() - started) * 1000, 1)
    return data

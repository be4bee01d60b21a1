"""The recent-activity feed, read live from the newest rows of indexed `created`/`updated` columns.

Each source is one `ORDER BY <indexed timestamp> DESC LIMIT n` query, so the feed costs the same with
five thousand or five million task runs, is bounded by construction, and needs no extra writer
(PYBOSSA kept a Redis sorted set that was never trimmed).
"""
from __future__ import annotations

from datetime import timedelta, timezone

from sqlalchemy import select

from pybossa_admin.plugin import db, models


def _item(kind: str, when, text: str, key: str, project=None, user=None) -> dict:
    return {"action_updated": kind, "updated": when.astimezone(timezone.utc).isoformat(), "text": text,
            "project": project, "user": user, "key": key, "_when": when}


def _contributions(limit: int) -> list[dict]:
    run, project, user = models.TaskRun, models.Project, models.User
    stmt = (select(run.id, run.created, project.short_name, project.name, user.name.label("u_name"))
            .join(project, project.id == run.project_id).outerjoin(user, user.id == run.user_id)
            .order_by(run.created.desc(), run.id.desc()).limit(limit))
    return [_item("UserContribution", r.created,
                  f"{r.u_name or 'An anonymous volunteer'} contributed to {r.name}",
                  f"taskrun:{r.id}", r.short_name, r.u_name)
            for r in db.session.execute(stmt)]


def _new_projects(limit: int) -> list[dict]:
    project, user = models.Project, models.User
    stmt = (select(project.id, project.created, project.short_name, project.name, project.published,
                   user.name.label("u_name"))
            .join(user, user.id == project.owner_id).order_by(project.created.desc()).limit(limit))
    return [_item("Project", r.created,
                  f"New {'project' if r.published else 'draft project'} {r.name} by {r.u_name}",
                  f"project:{r.id}", r.short_name, r.u_name)
            for r in db.session.execute(stmt)]


def _updated_projects(limit: int) -> list[dict]:
    project = models.Project
    stmt = (select(project.id, project.created, project.updated, project.short_name, project.name)
            .order_by(project.updated.desc()).limit(limit))
    return [_item("ProjectUpdated", r.updated, f"{r.name} was updated",
                  f"project-update:{r.id}:{r.updated.timestamp():.0f}", r.short_name)
            for r in db.session.execute(stmt) if r.updated - r.created > timedelta(seconds=1)]


def _new_users(limit: int) -> list[dict]:
    user = models.User
    stmt = select(user.id, user.created, user.name).order_by(user.created.desc()).limit(limit)
    return [_item("User", r.created, f"{r.name} joined", f"user:{r.id}", user=r.name)
            for r in db.session.execute(stmt)]


def _new_tasks(limit: int) -> list[dict]:
    """Tasks arrive in bulk imports: consecutive tasks of one project become one line."""
    task, project = models.Task, models.Project
    stmt = (select(task.id, task.created, task.project_id, project.short_name, project.name)
            .join(project, project.id == task.project_id).order_by(task.created.desc(), task.id.desc())
            .limit(limit))
    groups: list[list] = []
    for r in db.session.execute(stmt):
        if groups and groups[-1][0].project_id == r.project_id:
            groups[-1].append(r)
        else:
            groups.append([r])
    items = []
    for group in groups:
        newest, n = group[0], len(group)
        items.append(_item("Task", newest.created,
                           f"{n} new task{'s' if n != 1 else ''} in {newest.name}",
                           f"tasks:{newest.id}:{n}", newest.short_name))
    return items


def recent_activity(limit: int = 30) -> list[dict]:
    """The newest `limit` events across sources, newest first."""
    events = (_contributions(limit) + _new_projects(limit) + _updated_projects(limit) + _new_users(limit)
              + _new_tasks(limit))
    events.sort(key=lambda e: e["_when"], reverse=True)
    for event in events:
        del event["_when"]
    return events[:limit]

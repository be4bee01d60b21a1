"""Read queries of the projects plugin: one page of projects with their task and task-run counts.

Counts are aggregated in one GROUP BY per table for the whole page (never one query per row), and
draft reasons are computed from those counts."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import aliased, contains_eager

from pybossa_admin.plugin import db, models
from pybossa_admin.services import projects as project_service

Project, Category, User, Task, TaskRun = (models.Project, models.Category, models.User, models.Task,
                                          models.TaskRun)
Result = models.Result
PAGE_SIZE = 50
SORTS = ("updated", "created", "name", "owner", "category", "tasks", "task_runs")


@dataclass(frozen=True)
class Filters:
    q: str = ""
    status: str = ""          # "" | published | draft
    featured: str = ""        # "" | yes | no
    category_id: int | None = None
    sort: str = "updated"
    direction: str = "desc"
    page: int = 1

    def as_dict(self) -> dict:
        return {"q": self.q, "status": self.status, "featured": self.featured, "category": self.category_id,
                "sort": self.sort, "dir": self.direction, "page": self.page}

    def args(self, **changes) -> dict:
        """Query-string arguments for a link to this listing with some filters changed."""
        data = {"q": self.q, "status": self.status, "featured": self.featured,
                "category": self.category_id or "", "sort": self.sort, "dir": self.direction, "page": self.page}
        data.update(changes)
        return {k: v for k, v in data.items() if v not in ("", None)}


def project_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Project)) or 0


def _like(text: str) -> str:
    return "%" + text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _conditions(filters: Filters) -> list:
    where = []
    if filters.q:
        pattern = _like(filters.q)
        where.append(or_(func.lower(Project.name).like(pattern, escape="\\"),
                         func.lower(Project.short_name).like(pattern, escape="\\")))
    if filters.status:
        where.append(Project.published.is_(filters.status == "published"))
    if filters.featured:
        where.append(Project.featured.is_(filters.featured == "yes"))
    if filters.category_id is not None:
        where.append(Project.category_id == filters.category_id)
    return where


def _counts(model, project_ids: list[int]) -> dict[int, int]:
    if not project_ids:
        return {}
    rows = db.session.execute(select(model.project_id, func.count()).where(model.project_id.in_(project_ids))
                              .group_by(model.project_id))
    return dict(rows.all())


def _order(filters: Filters, owner, category):
    if filters.sort in ("tasks", "task_runs"):
        model = Task if filters.sort == "tasks" else TaskRun
        counted = (select(func.count()).select_from(model).where(model.project_id == Project.id)
                   .correlate(Project).scalar_subquery())
        key = counted
    else:
        key = {"updated": Project.updated, "created": Project.created, "name": func.lower(Project.name),
               "owner": func.lower(owner.name), "category": func.lower(category.name)}[filters.sort]
    key = key.desc() if filters.direction == "desc" else key.asc()
    return key, Project.id.desc() if filters.direction == "desc" else Project.id.asc()


def page(filters: Filters, per_page: int | None = None) -> tuple[list[dict], int]:
    """(rows, total) for one page of the listing."""
    per_page = per_page or PAGE_SIZE
    owner, category = aliased(User), aliased(Category)
    where = _conditions(filters)
    total = db.session.scalar(select(func.count()).select_from(Project).where(*where)) or 0
    query = (select(Project).join(owner, Project.owner).join(category, Project.category)
             .options(contains_eager(Project.owner.of_type(owner)), contains_eager(Project.category.of_type(category)))
             .where(*where).order_by(*_order(filters, owner, category))
             .offset((filters.page - 1) * per_page).limit(per_page))
    projects = list(db.session.scalars(query).unique())
    ids = [p.id for p in projects]
    n_tasks, n_runs = _counts(Task, ids), _counts(TaskRun, ids)
    return [row(p, n_tasks.get(p.id, 0), n_runs.get(p.id, 0)) for p in projects], total


def row(project, n_tasks: int, n_task_runs: int) -> dict:
    return {"id": project.id, "name": project.name, "short_name": project.short_name,
            "owner": {"id": project.owner.id, "name": project.owner.name},
            "category": {"id": project.category.id, "name": project.category.name,
                         "short_name": project.category.short_name},
            "published": project.published, "status": "published" if project.published else "draft",
            "draft_reasons": [] if project.published else project_service.draft_reasons(project, n_tasks),
            "featured": project.featured, "paused": project.paused,
            "n_tasks": n_tasks, "n_task_runs": n_task_runs,
            "created": project.created, "updated": project.updated}


def footprint(project) -> dict:
    """What deleting the project takes with it."""
    return {"n_tasks": _counts(Task, [project.id]).get(project.id, 0),
            "n_task_runs": _counts(TaskRun, [project.id]).get(project.id, 0),
            "n_results": _counts(Result, [project.id]).get(project.id, 0)}

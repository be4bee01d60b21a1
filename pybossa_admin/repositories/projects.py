"""Read queries: the only place that builds SELECTs for views and the API."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import distinct, func, select

from ..extensions import db
from ..models import Category, Project, Task, TaskRun


def featured(limit: int = 24) -> list[Project]:
    return list(db.session.scalars(select(Project).where(Project.featured.is_(True), Project.published.is_(True))
                                   .order_by(Project.updated.desc()).limit(limit)))


def categories() -> list[Category]:
    return list(db.session.scalars(select(Category).order_by(Category.name)))


def by_short_name(short_name: str) -> Project | None:
    return db.session.scalar(select(Project).where(Project.short_name == short_name))


def category_by_short_name(short_name: str) -> Category | None:
    return db.session.scalar(select(Category).where(Category.short_name == short_name))


def published_counts_by_category() -> dict[int, int]:
    """{category_id: number of published projects}; drafts are not listed anywhere public."""
    rows = db.session.execute(select(Project.category_id, func.count()).where(Project.published.is_(True))
                              .group_by(Project.category_id))
    return {category_id: count for category_id, count in rows}


def published_in_category(category: Category, page: int = 1, per_page: int = 20) -> tuple[list[Project], int]:
    """One page of a category's published projects (by name) and the total count."""
    where = (Project.category_id == category.id, Project.published.is_(True))
    total = db.session.scalar(select(func.count()).select_from(Project).where(*where)) or 0
    items = db.session.scalars(select(Project).where(*where).order_by(Project.name, Project.id)
                               .offset((page - 1) * per_page).limit(per_page))
    return list(items), total


def owned_by(user_id: int, limit: int = 50) -> list[Project]:
    """A user's own projects, drafts included (they are listed only to their owner)."""
    return list(db.session.scalars(select(Project).where(Project.owner_id == user_id)
                                   .order_by(Project.updated.desc()).limit(limit)))


@dataclass(frozen=True)
class Progress:
    n_tasks: int
    n_completed: int
    n_task_runs: int
    n_volunteers: int

    @property
    def percent(self) -> int:
        return int(100 * self.n_completed / self.n_tasks) if self.n_tasks else 0

    def as_dict(self) -> dict:
        return {"n_tasks": self.n_tasks, "n_completed": self.n_completed, "n_task_runs": self.n_task_runs,
                "n_volunteers": self.n_volunteers, "percent_completed": self.percent}


def progress(project: Project) -> Progress:
    """Tasks, completed tasks, task runs and distinct volunteers (registered + anonymous) of a project."""
    tasks = db.session.execute(
        select(func.count(), func.count().filter(Task.state == "completed")).where(Task.project_id == project.id)
    ).one()
    runs = db.session.execute(
        select(func.count(), func.count(distinct(TaskRun.user_id)),
               func.count(distinct(func.coalesce(TaskRun.anon_id, TaskRun.user_ip)))
               .filter(TaskRun.user_id.is_(None)))
        .where(TaskRun.project_id == project.id)
    ).one()
    return Progress(n_tasks=tasks[0], n_completed=tasks[1], n_task_runs=runs[0], n_volunteers=runs[1] + runs[2])


def first_task(project: Project) -> Task | None:
    return db.session.scalar(select(Task).where(Task.project_id == project.id).order_by(Task.id).limit(1))

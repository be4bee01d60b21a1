"""`pybossa-admin demo seed`: a realistic demo with a progress bar, refusing a database with projects."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from pybossa_admin.extensions import db
from pybossa_admin.models import Category, Project, Task, TaskRun, User, utcnow

from .. import factories


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def test_demo_seed(app):
    result = app.test_cli_runner().invoke(args=["demo", "seed", "--volunteers", "25", "--tasks", "12"])
    assert result.exit_code == 0, result.output
    assert "Seeding demo tasks and answers" in result.output  # the progress bar's label
    assert "Demo data: 28 users, 8 projects" in result.output

    assert _count(Category) >= 2
    assert _count(User) == 28 and _count(User, User.admin.is_(True)) == 0  # the first admin stays yours
    published = db.session.scalars(select(Project).where(Project.published.is_(True))).all()
    drafts = db.session.scalars(select(Project).where(Project.published.is_(False))).all()
    assert len(published) >= 4 and len(drafts) >= 1
    assert all(p.has_presenter for p in published)
    assert any(p.has_presenter for p in drafts) and any(not p.has_presenter for p in drafts)
    assert _count(Project, Project.featured.is_(True)) >= 1
    assert _count(Task) >= 12 * len(published)

    runs = db.session.scalars(select(TaskRun)).all()
    registered = [r for r in runs if r.user_id is not None]
    anonymous = [r for r in runs if r.user_id is None]
    assert registered and anonymous
    assert all(r.anon_id and r.user_ip for r in anonymous)
    now = utcnow()
    assert all(now - timedelta(days=14) <= r.finish_time <= now for r in runs)
    assert len({r.finish_time.date() for r in runs}) >= 10  # spread over the last two weeks


def test_demo_seed_refuses_a_database_with_projects(app):
    factories.project()
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["demo", "seed", "--volunteers", "3", "--tasks", "2"])
    assert refused.exit_code == 1
    assert "already has projects; use --force" in refused.output
    assert _count(Project) == 1
    forced = runner.invoke(args=["demo", "seed", "--volunteers", "3", "--tasks", "2", "--force"])
    assert forced.exit_code == 0, forced.output
    assert _count(Project) == 9
    twice = runner.invoke(args=["demo", "seed", "--volunteers", "3", "--tasks", "2", "--force"])
    assert twice.exit_code == 1 and "already loaded" in twice.output

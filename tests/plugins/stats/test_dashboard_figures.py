"""Dashboard figures against data made at known days (PYBOSSA behaviours 26 and 27, with §12 fixes)."""
from datetime import datetime, time, timedelta, timezone

from sqlalchemy import text

from pybossa_admin.extensions import db
from pybossa_admin.services import projects as project_service
from plugins.stats import figures

from ... import factories

NOW = datetime.now(timezone.utc).replace(hour=15, minute=0, second=0, microsecond=0)


def day(offset: int, hour: int = 12) -> datetime:
    """`offset` days before NOW's UTC date, at `hour` o'clock UTC."""
    return datetime.combine(NOW.date() - timedelta(days=offset), time(hour), tzinfo=timezone.utc)


def label(offset: int) -> str:
    return (NOW.date() - timedelta(days=offset)).isoformat()


def series_at(figure, offset):
    return figure["series"][0][figure["labels"].index(label(offset))]


def test_series_cover_seven_days_oldest_first_with_zeros(app):
    data = figures.compute(now=NOW)
    expected = [label(i) for i in range(6, -1, -1)]
    for key in ("active_users_last_week", "active_anon_last_week", "new_users_week", "new_tasks_week",
                "new_task_runs_week"):
        assert data[key]["labels"] == expected, key   # PYBOSSA #1741: today on the right, every day present
        assert data[key]["series"] == [[0] * 7], key
    assert data["returning_users_week"] == {"labels": ["1 day"] + [f"{n} days" for n in range(2, 8)],
                                            "series": [[0] * 7]}


def test_one_new_user_today(app):
    factories.user(name="fresh", created=day(0, 1))
    factories.user(name="old", created=day(9))
    data = figures.compute(now=NOW)
    assert data["new_users_week"]["series"] == [[0, 0, 0, 0, 0, 0, 1]]


def test_task_runs_active_users_anonymous_and_returning(app):
    alice, bob, carol = (factories.user(name=n, created=day(30)) for n in ("alice", "bob", "carol"))
    project = factories.project(owner=alice, created=day(30), updated=day(30))
    tasks = [factories.task(project, created=day(30)) for _ in range(6)]
    # alice: runs on 2 distinct days; bob: 3 runs on one day; carol: runs on 3 days, one outside the window.
    factories.task_run(tasks[0], alice, finish_time=day(1, 9))
    factories.task_run(tasks[1], alice, finish_time=day(1, 20))
    factories.task_run(tasks[2], alice, finish_time=day(4))
    for t in tasks[:3]:
        factories.task_run(t, bob, finish_time=day(4, 8))
    factories.task_run(tasks[0], carol, finish_time=day(0, 2))
    factories.task_run(tasks[1], carol, finish_time=day(6, 1))
    factories.task_run(tasks[2], carol, finish_time=day(5))
    factories.task_run(tasks[3], carol, finish_time=day(8))          # older than the window
    # anonymous: one cookie twice on day 2, and one IP-only run on day 2
    factories.task_run(tasks[4], None, anon_id="cookie-a", finish_time=day(2, 10))
    factories.task_run(tasks[5], None, anon_id="cookie-a", finish_time=day(2, 11))
    factories.task_run(tasks[3], None, user_ip="10.0.0.9", finish_time=day(2, 12))

    data = figures.compute(now=NOW)
    runs = data["new_task_runs_week"]
    assert sum(runs["series"][0]) == 12
    assert series_at(runs, 4) == 4 and series_at(runs, 1) == 2 and series_at(runs, 2) == 3
    users = data["active_users_last_week"]
    assert series_at(users, 4) == 2 and series_at(users, 1) == 1 and series_at(users, 2) == 0
    assert series_at(data["active_anon_last_week"], 2) == 2
    assert sum(data["active_anon_last_week"]["series"][0]) == 2
    # bob: 1 day; alice: 2 days; carol: 3 days in the window
    assert data["returning_users_week"]["series"] == [[1, 1, 1, 0, 0, 0, 0]]


def test_days_are_utc_whatever_the_database_time_zone(app):
    owner = factories.user(name="owner", created=day(30))
    project = factories.project(owner=owner, created=day(30), updated=day(30))
    task = factories.task(project, created=day(30))
    factories.task_run(task, owner, finish_time=day(3, 23) + timedelta(minutes=30))
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("SET TIME ZONE 'Pacific/Kiritimati'"))  # UTC+14: 23:30 UTC is tomorrow there
    data = figures.compute(now=NOW)
    assert series_at(data["new_task_runs_week"], 3) == 1
    assert series_at(data["new_task_runs_week"], 2) == 0


def test_new_tasks_per_day(app):
    project = factories.project(created=day(30), updated=day(30))
    for offset in (0, 0, 3, 12):
        factories.task(project, created=day(offset))
    data = figures.compute(now=NOW)
    assert data["new_tasks_week"]["series"] == [[0, 0, 0, 1, 0, 0, 2]]


def test_project_lists(app):
    admin = factories.user(name="root", admin=True, created=day(40))
    owner = factories.user(name="owner", created=day(40))
    hidden = factories.user(name="hidden", restrict=True, created=day(40))
    draft = factories.project(owner=owner, short_name="draft", published=False, created=day(2), updated=day(2))
    factories.project(owner=owner, short_name="olddraft", published=False, created=day(20), updated=day(20))
    secret = factories.project(owner=hidden, short_name="secret", published=False, created=day(1), updated=day(1))
    # Published by an admin who is not the owner: PYBOSSA left it out (§12.8).
    to_publish = factories.project(owner=owner, short_name="topub", published=False, created=day(20),
                                   updated=day(20))
    factories.task(to_publish)
    project_service.publish(to_publish, admin)
    data = figures.compute(now=NOW)

    drafts = {p["short_name"]: p for p in data["draft_projects_last_week"]}
    assert set(drafts) == {"draft", "secret"}
    assert set(drafts["draft"]) >= {"day", "id", "short_name", "p_name", "owner_id", "u_name", "email_addr"}
    assert drafts["draft"]["day"] == label(2)
    assert drafts["draft"]["email_addr"] == "owner@example.org" and drafts["draft"]["u_name"] == "owner"
    assert drafts["draft"]["owner_id"] == owner.id and drafts["draft"]["id"] == draft.id
    assert drafts["secret"]["email_addr"] is None and secret.id
    assert [p["short_name"] for p in data["draft_projects_last_week"]] == ["secret", "draft"]  # newest first

    published = data["published_projects_last_week"]
    assert [p["short_name"] for p in published] == ["topub"]
    assert published[0]["day"] == datetime.now(timezone.utc).date().isoformat()
    updated = [p["short_name"] for p in data["update_projects_last_week"]]
    assert updated[0] == "topub" and "olddraft" not in updated
    assert data["project_totals"] == {"draft": 2, "published": 1, "updated": 3}


def test_lists_are_bounded_but_totals_exact(app):
    owner = factories.user(name="owner", created=day(40))
    for i in range(5):
        factories.project(owner=owner, published=False, created=day(1, 1 + i), updated=day(1, 1 + i))
    data = figures.compute(now=NOW, list_limit=2)
    assert len(data["draft_projects_last_week"]) == 2
    assert data["project_totals"]["draft"] == 5

"""The recent-activity feed: bounded, newest first, live (polled JSON endpoint)."""
from datetime import timedelta

from pybossa_admin.models import utcnow
from plugins.stats import feed, jobs as stats_jobs

from ... import factories


def _ago(minutes):
    return utcnow() - timedelta(minutes=minutes)


def test_newest_first_across_sources(app):
    joe = factories.user(name="joe", created=_ago(50))
    project = factories.project(owner=joe, name="Birds", created=_ago(40), updated=_ago(40))
    tasks = [factories.task(project, created=_ago(30)) for _ in range(3)]
    factories.task_run(tasks[0], joe, created=_ago(20), finish_time=_ago(20))
    factories.task_run(tasks[1], None, anon_id="c1", created=_ago(10), finish_time=_ago(10))
    items = feed.recent_activity(30)
    texts = [i["text"] for i in items]
    assert texts[:5] == ["An anonymous volunteer contributed to Birds", "joe contributed to Birds",
                         "3 new tasks in Birds", "New project Birds by joe", "joe joined"]
    stamps = [i["updated"] for i in items]
    assert stamps == sorted(stamps, reverse=True)
    assert items[0]["action_updated"] == "UserContribution" and items[1]["user"] == "joe"


def test_bounded(app):
    owner = factories.user(created=_ago(300))
    project = factories.project(owner=owner, created=_ago(200), updated=_ago(200))
    task = factories.task(project, created=_ago(200))
    volunteers = [factories.user(created=_ago(300)) for _ in range(12)]
    for n, volunteer in enumerate(volunteers):
        factories.task_run(task, volunteer, created=_ago(60 - n))
    items = feed.recent_activity(5)
    assert len(items) == 5
    assert [i["user"] for i in items] == [v.name for v in reversed(volunteers)][:5]


def test_project_updates_show_up(app, admin_user):
    from pybossa_admin.services import projects as project_service
    project = factories.project(name="Frogs", created=_ago(90), updated=_ago(90))
    project_service.update(project, admin_user, {"description": "new"})
    assert "Frogs was updated" in [i["text"] for i in feed.recent_activity(10)]


def test_page_embeds_feed_and_polls_it(make_app):
    app = make_app(STATS_FEED_LIMIT=3, STATS_FEED_POLL_SECONDS=15)
    with app.app_context():
        from tests.conftest import Client
        admin = factories.user(name="root", admin=True)
        client = Client(app)
        client.signin(admin)
        stats_jobs.refresh_dashboard()
        for i in range(4):
            factories.user(name=f"late{i}")
        html = client.get("/admin/dashboard/").get_data(as_text=True)
        assert 'id="activity-feed"' in html and "late3 joined" in html and "late0 joined" not in html
        assert "slow = 15 * 1000" in html and "/admin/dashboard/activity" in html
        data = client.get("/admin/dashboard/activity").get_json()
        assert [i["text"] for i in data["update_feed"]] == ["late3 joined", "late2 joined", "late1 joined"]
        assert data["snapshot"]["id"] and data["refresh_pending"] is False
        factories.user(name="later")
        data = client.get("/admin/dashboard/activity").get_json()
        assert data["update_feed"][0]["text"] == "later joined"
        assert client.get_json("/admin/dashboard/").get_json()["update_feed"][0]["text"] == "later joined"

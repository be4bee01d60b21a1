import pytest
"""/admin/logs: access, the five channels with what writes them, filters, keyset pages, masking, retention."""
from datetime import timedelta

from pybossa_admin.extensions import db
from pybossa_admin.jobs import enqueue
from pybossa_admin.models import LogEvent, utcnow
from pybossa_admin.services import events

from ... import factories

URL = "/admin/logs/"


def rows(client, **args):
    query = "&".join(f"{k}={v}" for k, v in args.items())
    response = client.get_json(URL + ("?" + query if query else ""))
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_json()["events"]


def test_anonymous_and_non_admin_are_refused(client, user_client):
    for url in (URL, "/admin/logs", URL + "?channel=auth"):
        response = client.get(url)
        assert response.status_code == 302 and "/account/signin" in response.headers["Location"]
        assert client.get_json(url).status_code == 302
        assert user_client.get(url).status_code == 403
        assert user_client.get_json(url).status_code == 403


def test_admin_gets_html_tabs_and_json(admin_client):
    html = admin_client.get(URL).get_data(as_text=True)
    for tab in ("platform", "auth", "api", "jobs", "startup", "all"):
        assert f'id="tab-{tab}"' in html
    data = admin_client.get_json(URL + "?channel=auth").get_json()
    assert data["template"] == "logs/index.html" and data["filter"]["channel"] == "auth"
    assert all(row["channel"] == "auth" for row in data["events"])


def test_failed_sign_in_shows_in_auth_tab_with_name_ip_and_agent(client, admin_client):
    response = client.post("/account/signin", {"name": "mallory", "password": "wrong password"},
                           environ_base={"REMOTE_ADDR": "203.0.113.9"}, headers={"User-Agent": "EvilBot/1.0"})
    assert response.status_code == 401
    found = [r for r in rows(admin_client, channel="auth", event="signin.failure") if r["user_name"] == "mallory"]
    assert len(found) == 1
    assert found[0]["ip"] == "203.0.113.9" and found[0]["user_agent"] == "EvilBot/1.0"
    assert found[0]["level"] == "warning"
    html = admin_client.get(URL + "?channel=auth").get_data(as_text=True)
    assert "mallory" in html and "203.0.113.9" in html and "EvilBot/1.0" in html
    # The password typed never reaches the log.
    assert "wrong password" not in admin_client.get_json(URL + "?channel=all").get_data(as_text=True)


def test_sign_in_success_and_sign_out_are_in_auth_tab(app, client_for, admin_client):
    joe = factories.user(name="joe")
    c = client_for()
    c.signin(joe)
    c.signout()
    names = [r["event"] for r in rows(admin_client, channel="auth", user="joe")]
    assert names[:2] == ["signout", "signin.success"]


def test_api_error_row_shows_status_endpoint_and_caller(make_app):
    app = make_app()

    def broken():
        raise RuntimeError("forced failure")

    # A route under /api/ that fails: the API's error handler records it on the api channel.
    app.add_url_rule("/api/forced-error", "forced_error", broken)
    from tests.conftest import Client
    with app.app_context():
        admin = factories.user(name="root", admin=True)
        caller = Client(app)
        response = caller.get("/api/forced-error", environ_base={"REMOTE_ADDR": "198.51.100.7"})
        assert response.status_code == 500
        c = Client(app)
        c.signin(admin)
        found = rows(c, channel="api")
        assert found, "no row on the api channel"
        row = found[0]
        assert row["level"] in ("error", "critical") and row["ip"] == "198.51.100.7"
        assert "/api/forced-error" in (row["message"] + str(row["data"]))
        assert "500" in (row["message"] + str(row["data"]))
        db.session.remove()


def test_failing_job_row_has_its_exception_and_no_secret(admin_client, app, run_jobs):
    enqueue("tests.plugins.logs.jobs_for_tests.explode", 42, queue="low")
    run_jobs(["low"])
    found = rows(admin_client, channel="jobs", event="job.failed")
    assert len(found) == 1
    row = found[0]
    assert row["level"] == "error"
    assert "RuntimeError: kaboom on project 42" in row["message"]
    assert row["data"]["exception"] == "RuntimeError"
    assert row["data"]["function"] == "tests.plugins.logs.jobs_for_tests.explode"
    assert "Traceback" in row["data"]["traceback"]
    page = admin_client.get(URL + "?channel=jobs").get_data(as_text=True)
    assert "kaboom on project 42" in page
    for body in (page, admin_client.get_json(URL + "?channel=jobs").get_data(as_text=True)):
        assert "hunter2-planted" not in body
    # The stored row is masked too, not only the page.
    assert "hunter2" not in str(db.session.query(LogEvent).filter_by(event="job.failed").one().as_dict())


def test_periodic_job_run_is_logged_but_ad_hoc_success_is_not(admin_client, app, run_jobs):
    enqueue("pybossa_admin.jobs.core_jobs.housekeeping", queue="maintenance")
    enqueue("tests.plugins.logs.jobs_for_tests.succeed", 1, queue="low")
    run_jobs()
    found = rows(admin_client, channel="jobs")
    assert [r["event"] for r in found] == ["job.periodic"]
    assert found[0]["data"]["periodic"] == "core.housekeeping" and "result" in found[0]["data"]


def test_startup_rows_once_per_process_with_secrets_masked(make_app):
    planted = {"SECRET_KEY": "planted-secret-key-0123456789", "LOGS_API_TOKEN": "planted-token-abcdef"}
    app = make_app(**planted)
    from pybossa_admin.plugin.loader import PluginRecord
    app.extensions["pybossa_admin"]["plugins"]["broken"] = PluginRecord(
        name="broken", source="folder:/tmp/broken", status="failed",
        error="Traceback (most recent call last):\nImportError: cannot reach postgresql://u:pw-planted-99@db/x")
    from tests.conftest import Client
    with app.app_context():
        admin = factories.user(name="root", admin=True)
        c = Client(app)
        c.signin(admin)
        c.get(URL)
        startup = rows(c, channel="startup")
        assert [r["event"] for r in startup].count("startup.config") == 1
        config_row = next(r for r in startup if r["event"] == "startup.config")
        assert config_row["user_name"] == "system" and config_row["ip"] is None
        assert config_row["data"]["plugins"]["failed"] == ["broken"]
        assert "logs" in config_row["data"]["plugins"]["loaded"]
        failed = next(r for r in startup if r["event"] == "startup.plugin_failed")
        assert failed["level"] == "error" and "broken" in failed["message"]
        platform = rows(c, channel="platform", event="plugins.loaded")
        assert len(platform) == 1 and platform[0]["data"]["failed"] == ["broken"]
        for body in (c.get(URL + "?channel=startup").get_data(as_text=True),
                     c.get_json(URL + "?channel=all").get_data(as_text=True)):
            for secret in ("planted-secret-key-0123456789", "planted-token-abcdef", "pw-planted-99"):
                assert secret not in body
        db.session.remove()


def test_filters_level_event_user_text_and_dates(admin_client, app):
    events.record("platform", "demo.one", "alpha widget", level="info", user_name="ann")
    events.record("platform", "demo.two", "beta widget", level="error", user_name="bob")
    old = events.record("platform", "demo.one", "gamma gizmo", level="warning", user_name="ann")
    old.created = utcnow() - timedelta(days=10)
    db.session.commit()
    assert {r["message"] for r in rows(admin_client, level="error")} == {"beta widget"}
    assert {r["message"] for r in rows(admin_client, event="demo.one")} == {"alpha widget", "gamma gizmo"}
    assert {r["message"] for r in rows(admin_client, event="demo")} == {"alpha widget", "beta widget", "gamma gizmo"}
    assert {r["message"] for r in rows(admin_client, user="ANN")} == {"alpha widget", "gamma gizmo"}
    assert {r["message"] for r in rows(admin_client, q="WIDGET")} == {"alpha widget", "beta widget"}
    assert {r["message"] for r in rows(admin_client, q="50%")} == set()  # % is literal, not a wildcard
    day = (utcnow() - timedelta(days=10)).date().isoformat()
    assert {r["message"] for r in rows(admin_client, since=day, until=day)} == {"gamma gizmo"}
    today = utcnow().date().isoformat()
    assert "gamma gizmo" not in {r["message"] for r in rows(admin_client, since=today)}


def test_bad_filters_are_400_with_a_message(admin_client):
    for query in ("channel=nope", "level=loud", "since=yesterday", "limit=0", "limit=abc", "before=x",
                  "since=2024-05-02&until=2024-05-01"):
        response = admin_client.get_json(URL + "?" + query)
        assert response.status_code == 400, query
        assert response.get_json()["description"]
        page = admin_client.get(URL + "?" + query)
        assert page.status_code == 400 and 'id="filter-error"' in page.get_data(as_text=True)


def test_keyset_pages_walk_older_and_newer_without_overlap(admin_client, app):
    for i in range(7):
        events.record("api", "api.error", f"row {i}", level="error")
    first = admin_client.get_json(URL + "?channel=api&limit=3").get_json()
    assert [r["message"] for r in first["events"]] == ["row 6", "row 5", "row 4"]
    assert first["newer_url"] is None and first["older_url"]
    second = admin_client.get(first["older_url"]).get_json()
    assert [r["message"] for r in second["events"]] == ["row 3", "row 2", "row 1"]
    third = admin_client.get(second["older_url"]).get_json()
    assert [r["message"] for r in third["events"]] == ["row 0"] and third["older_url"] is None
    back = admin_client.get(third["newer_url"]).get_json()
    assert [r["message"] for r in back["events"]] == ["row 3", "row 2", "row 1"]
    html = admin_client.get(URL + "?channel=api&limit=3").get_data(as_text=True)
    assert 'id="older"' in html and 'id="newer"' not in html


def test_secret_looking_data_is_masked_on_the_page_and_in_json(admin_client, app):
    events.record("platform", "settings.changed", "DATABASE_URL now postgresql://app:pg-pass-planted@db/x",
                  data={"password": "plain-planted", "api_key": "0123456789abcdef0123456789abcdef01234567",
                        "nested": {"SMTP_TOKEN": "tok-planted", "note": "Bearer bearer-planted-xyz"}, "count": 3})
    html = admin_client.get(URL).get_data(as_text=True)
    body = admin_client.get_json(URL).get_data(as_text=True)
    for text in (html, body):
        for secret in ("pg-pass-planted", "plain-planted", "0123456789abcdef0123456789abcdef01234567",
                       "tok-planted", "bearer-planted-xyz"):
            assert secret not in text
    row = rows(admin_client, event="settings.changed")[0]
    assert row["data"]["count"] == 3 and row["data"]["nested"]["SMTP_TOKEN"] == "***"


def test_row_cap_per_channel_keeps_the_newest(make_app, run_jobs):
    app = make_app(LOGS_MAX_ROWS_PER_CHANNEL=3)
    with app.app_context():
        for i in range(5):
            events.record("auth", "signin.failure", f"auth {i}")
        events.record("platform", "demo", "platform row")
        enqueue("plugins.logs.jobs.trim_channels", queue="maintenance")
        if not app.config["EMBEDDED_JOBS"]:
            from rq import SimpleWorker

            from pybossa_admin.jobs import get_queue, get_redis
            SimpleWorker([get_queue("maintenance")], connection=get_redis()).work(burst=True)
        db.session.expire_all()
        kept = [e.message for e in db.session.query(LogEvent).filter_by(channel="auth").order_by(LogEvent.id)]
        assert kept == ["auth 2", "auth 3", "auth 4"]
        assert db.session.query(LogEvent).filter_by(channel="platform", event="demo").count() == 1
        db.session.remove()


def test_core_housekeeping_applies_retention_days(admin_client, app, run_jobs):
    stale = events.record("auth", "signin.failure", "long ago")
    stale.created = utcnow() - timedelta(days=app.config["LOG_RETENTION_DAYS"] + 1)
    db.session.commit()
    enqueue("pybossa_admin.jobs.core_jobs.housekeeping", queue="maintenance")
    run_jobs(["maintenance"])
    assert "long ago" not in {r["message"] for r in rows(admin_client, channel="auth")}


def test_wrong_first_admin_link_is_in_auth_tab(make_app):
    app = make_app()
    from tests.conftest import Client
    with app.app_context():
        c = Client(app)
        response = c.post("/account/bootstrap", {"token": "not-a-real-token", "name": "eve",
                                                 "email_addr": "eve@example.org", "password": "long enough pw",
                                                 "fullname": "Eve"})
        assert response.status_code == 403
        row = db.session.query(LogEvent).filter_by(channel="auth", event="bootstrap.invalid").one()
        assert row.user_name == "eve" and row.level == "warning" and row.ip == "127.0.0.1"
        assert "not-a-real-token" not in str(row.as_dict())
        db.session.remove()


def test_secrets_planted_in_settings_and_environment_never_show(make_app, monkeypatch, run_jobs):
    monkeypatch.setenv("PYBOSSA_ADMIN_LOGS_WEBHOOK_SECRET", "env-planted-secret-777")
    monkeypatch.setenv("PYBOSSA_ADMIN_LOGS_FORWARD_URL", "https://shipper:url-planted-pw@logs.example/in")
    monkeypatch.setenv("FOO_SECRET", "xyz-planted-foo")
    app = make_app(SECRET_KEY="settings-planted-key-0123456789")
    from tests.conftest import Client
    with app.app_context():
        assert app.config["LOGS_WEBHOOK_SECRET"] == "env-planted-secret-777"  # it did reach the config
        c = Client(app)
        c.signin(factories.user(name="root", admin=True))
        enqueue("tests.plugins.logs.jobs_for_tests.explode", 1, queue="low")
        urls = [URL + f"?channel={ch}" for ch in ("platform", "auth", "api", "jobs", "startup", "all")]
        urls += ["/admin/stats/", "/admin/actions/", "/admin/actions/maintenance", "/admin/actions/restart-web"]
        seen = 0
        for url in urls:
            for response in (c.get(url), c.get_json(url)):
                assert response.status_code == 200, url
                body = response.get_data(as_text=True)
                for secret in ("env-planted-secret-777", "url-planted-pw", "xyz-planted-foo",
                               "settings-planted-key-0123456789"):
                    assert secret not in body, (url, secret)
                seen += 1
        assert seen == 20
        startup = c.get_json(URL + "?channel=startup").get_json()["events"][-1]["data"]["settings"]
        assert startup["LOGS_FORWARD_URL"]["value"] == "https://shipper:***@logs.example/in"
        db.session.remove()


def test_plugin_settings_are_parsed_at_start_up(make_app, monkeypatch):
    from pybossa_admin.config import ConfigError
    monkeypatch.setenv("PYBOSSA_ADMIN_LOGS_MAX_ROWS_PER_CHANNEL", "5000")
    monkeypatch.setenv("PYBOSSA_ADMIN_ACTIONS_MAINTENANCE_CACHE_SECONDS", "2.5")
    app = make_app()
    assert app.config["LOGS_MAX_ROWS_PER_CHANNEL"] == 5000
    assert app.config["ACTIONS_MAINTENANCE_CACHE_SECONDS"] == 2.5
    monkeypatch.setenv("PYBOSSA_ADMIN_LOGS_MAX_ROWS_PER_CHANNEL", "lots")
    with pytest.raises(ConfigError) as caught:  # even without PLUGINS_STRICT: a bad setting stops start-up
        make_app(PLUGINS_STRICT=False)
    assert str(caught.value).startswith("PYBOSSA_ADMIN_LOGS_MAX_ROWS_PER_CHANNEL (environment, plugin logs):")

"""Secrets planted in settings and in the environment never appear on any page or JSON, of any plugin.

The walk visits every GET route the app has (admin pages and plugin pages alike), as an admin, in
HTML and JSON, with real ids filled into the URL arguments, and greps each answer for the planted values.
"""
import io
import logging
import zipfile

from sqlalchemy.engine import make_url

from pybossa_admin.extensions import db
from pybossa_admin.models import Category
from pybossa_admin.services import organizations

from ... import factories
from ...conftest import BACKEND, Client

PLANTED = {
    "SECRET_KEY": "planted-secret-key-5b7e1c9d2f",
    "FOO_API_TOKEN": "tok-planted-98765",
    "BAR_PASSWORD": "pw-planted-24680",
    "PYBOSSA_ADMIN_FOO_SECRET": "xyz123",
    "PYBOSSA_ADMIN_BAZ_DSN": "dsn-planted-13579",
    "REDIS_PASSWORD_IN_URL": "redispw-planted-4321",
    "DATABASE_PASSWORD_IN_URL": "pgpw-planted-777",
}
MY_PLUGINS = ("accounts", "organizations", "plugins", "status")


def _database_url_with_password(app):
    """PostgreSQL here trusts local connections, so a password in the URL is accepted and ignored."""
    url = make_url(app.config["DATABASE_URL"])
    return url.set(password=PLANTED["DATABASE_PASSWORD_IN_URL"]).render_as_string(hide_password=False)


def _build(make_app, monkeypatch):
    monkeypatch.setenv("PYBOSSA_ADMIN_FOO_SECRET", PLANTED["PYBOSSA_ADMIN_FOO_SECRET"])
    monkeypatch.setenv("PYBOSSA_ADMIN_BAZ_DSN", PLANTED["PYBOSSA_ADMIN_BAZ_DSN"])
    overrides = {"SECRET_KEY": PLANTED["SECRET_KEY"], "FOO_API_TOKEN": PLANTED["FOO_API_TOKEN"],
                 "BAR_PASSWORD": PLANTED["BAR_PASSWORD"],
                 # The embedded queue ignores the rest of its URL, so a password can be planted in it.
                 "REDIS_URL": f"fakeredis://:{PLANTED['REDIS_PASSWORD_IN_URL']}@localhost:6379/0"}
    if BACKEND == "postgresql":
        probe = make_app()
        overrides["DATABASE_URL"] = _database_url_with_password(probe)
    return make_app(**overrides)


def _readable(response) -> bytes:
    """The body as bytes; a ZIP download is opened and its members read, so compression hides nothing."""
    body = response.get_data()
    if body[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            body += b"".join(archive.read(name) for name in archive.namelist())
    return body


def _fill(adapter, rule, ids):
    """The rule's URL with real ids in it; None when an argument is unknown."""
    if any(arg not in ids for arg in rule.arguments):
        return None
    return adapter.build(rule.endpoint, {arg: ids[arg] for arg in rule.arguments})


def test_planted_secrets_never_appear_on_any_page(make_app, monkeypatch, caplog):
    caplog.set_level(logging.DEBUG)
    app = _build(make_app, monkeypatch)
    adapter = app.url_map.bind("localhost")
    with app.app_context():
        admin = factories.user(name="root", admin=True)
        joe = factories.user(name="joe")
        org = organizations.create("Planted Org", admin)
        project = factories.project(owner=joe, short_name="planted", organization_id=org.id)
        task = factories.task(project=project)
        factories.task_run(task=task, user=joe)
        category = db.session.query(Category).first()
        client = Client(app)
        client.signin(admin)
        other = Client(app)
        other.signin(joe)
        from pybossa_admin.models import SignInSession
        session_id = db.session.query(SignInSession).filter_by(user_id=joe.id).first().id
        ids = {"user_id": joe.id, "org_id": org.id, "project_id": project.id, "category_id": category.id,
               "session_id": session_id, "short_name": project.short_name, "task_id": task.id,
               "id": project.id, "oid": project.id, "action_name": "maintenance", "instance_number": 0,
               "queue_name": "low", "registry_name": "queued", "per_page": 10, "order": "asc", "page": 1,
               "job_id": "no-such-job", "channel": "platform"}

        targets = []
        for rule in app.url_map.iter_rules():
            if "GET" not in rule.methods or rule.endpoint.endswith("static") or rule.endpoint == "static":
                continue
            url = _fill(adapter, rule, ids)
            if url is not None:
                targets.append((url, rule.endpoint))
        if "logs.index" in app.view_functions:  # the log tabs (start-up summary, platform events, ...)
            targets += [(f"/admin/logs/?channel={c}", "logs.index")
                        for c in ("platform", "auth", "api", "jobs", "startup", "all")]
        targets.append(("/admin/status/?q=a", "status.index"))

        visited, failures = [], []
        for url, endpoint in targets:
            owner = app.extensions["pybossa_admin"]["plugin_blueprints"].get(endpoint.split(".")[0])
            for fmt in ("html", "json"):
                response = client.get(url) if fmt == "html" else client.get_json(url)
                body = _readable(response)
                visited.append((url, fmt, response.status_code))
                if owner in MY_PLUGINS and response.status_code >= 500:
                    failures.append(f"{url} ({fmt}) answered {response.status_code}")
                for name, value in PLANTED.items():
                    if value.encode() in body:
                        failures.append(f"{url} ({fmt}) shows {name}")
                    for header, header_value in response.headers.items():
                        if value in header_value and header.lower() != "set-cookie":
                            failures.append(f"{url} ({fmt}) header {header} shows {name}")
        assert not failures, failures
        urls = {u for u, _, _ in visited}
        # The walk did reach the pages that show configuration and environment.
        for must in ("/admin/status/", "/admin/plugins/", "/admin/accounts/", f"/admin/accounts/{joe.id}",
                     f"/admin/organizations/{org.id}", "/admin/accounts/export.csv"):
            assert must in urls, must
        status = client.get_json("/admin/status/").get_json()
        shown = {row["name"]: row["value"] for row in status["configuration"]}
        assert shown["FOO_API_TOKEN"] == "***" and shown["BAR_PASSWORD"] == "***" and shown["SECRET_KEY"] == "***"
        assert "PYBOSSA_ADMIN_FOO_SECRET" in {row["name"] for row in status["environment"]}
        for value in PLANTED.values():
            assert value not in caplog.text

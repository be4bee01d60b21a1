"""Test fixtures. The same suite runs on two stacks:

- default: SQLite (a fresh file per test, copied from a migrated template) + fakeredis, jobs inline;
- PYBOSSA_ADMIN_TEST_DATABASE_URL=postgresql://... and PYBOSSA_ADMIN_TEST_REDIS_URL=redis://...:
  real PostgreSQL (migrated once, tables emptied between tests) and real Redis (flushed between
  tests), with jobs run by a real rq worker (`run_jobs`).

When the variables are set and the services are unreachable the run fails; it never skips.
"""
from __future__ import annotations

import os
import re
import shutil
import uuid

import pytest
from flask import g, has_app_context
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from pybossa_admin import create_app
from pybossa_admin.config import normalize_database_url
from pybossa_admin.extensions import db

from . import factories

PG_URL = normalize_database_url(os.environ.get("PYBOSSA_ADMIN_TEST_DATABASE_URL", ""))
REDIS_URL = os.environ.get("PYBOSSA_ADMIN_TEST_REDIS_URL", "")
BACKEND = "postgresql" if PG_URL else "sqlite"

BASE_CONFIG = {
    "PLUGINS_STRICT": True,
    "SECRET_KEY": "test-secret-key-0123456789abcdef",
    "BOOTSTRAP_LINK": "auto",
}


def pytest_report_header(config):
    return f"pybossa-admin stack: {BACKEND} + {'redis ' + REDIS_URL if REDIS_URL else 'fakeredis (inline jobs)'}"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """A migrated database for the session: the SQLite template file or a PostgreSQL database."""
    if PG_URL:
        url = make_url(PG_URL)
        name = f"pba_test_{uuid.uuid4().hex[:8]}"
        admin_engine = create_engine(url, isolation_level="AUTOCOMMIT")
        with admin_engine.connect() as conn:  # fails loudly if PostgreSQL is down
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        test_url = url.set(database=name).render_as_string(hide_password=False)
        _migrate(test_url, tmp_path_factory.mktemp("pg-instance"))
        yield test_url
        with admin_engine.connect() as conn:
            conn.execute(text(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"))
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin_engine.dispose()
    else:
        folder = tmp_path_factory.mktemp("sqlite-template")
        path = folder / "template.db"
        _migrate(f"sqlite:///{path}", folder)
        yield f"sqlite:///{path}"


def _migrate(url, instance):
    """The schema from the models (db.create_all) plus the defaults a fresh install gets.

    tests/core/test_migrations.py checks separately that the committed migrations build the same
    schema, so a model change without its migration fails there and nowhere else."""
    from pybossa_admin.models import DEFAULT_CATEGORIES, Category
    app = create_app(dict(BASE_CONFIG, DATABASE_URL=url, REDIS_URL="fakeredis://"), instance_path=str(instance))
    with app.app_context():
        db.create_all()
        for name, short_name, description in DEFAULT_CATEGORIES:
            db.session.add(Category(name=name, short_name=short_name, description=description))
        db.session.commit()
        db.engine.dispose()


def _fresh_sqlite(template_url: str, tmp_path) -> str:
    source = template_url[len("sqlite:///"):]
    target = tmp_path / "test.db"
    shutil.copyfile(source, target)
    return f"sqlite:///{target}"


def _empty_postgres(app):
    with app.app_context():
        names = [t.name for t in db.metadata.sorted_tables]
        with db.engine.begin() as conn:
            conn.execute(text("TRUNCATE " + ", ".join(f'"{n}"' for n in names) + " RESTART IDENTITY CASCADE"))
            # Tests may rename or delete the default categories: put them back as a fresh install has them.
            from pybossa_admin.models import DEFAULT_CATEGORIES
            for name, short_name, description in DEFAULT_CATEGORIES:
                conn.execute(text("INSERT INTO category (name, short_name, description, created, info) "
                                  "VALUES (:name, :short_name, :description, now(), '{}')"),
                             {"name": name, "short_name": short_name, "description": description})


class FreshGlobalsClient(FlaskClient):
    """Every request starts with an empty `g`, as in production.

    The `app` fixture keeps an app context pushed, and Flask reuses it for test requests, so `g`
    (Flask-Login's cached user, Flask-WTF's cached CSRF token) would otherwise leak from one request,
    and one client, into the next."""

    def open(self, *args, **kwargs):
        if has_app_context():
            g.__dict__.clear()
        return super().open(*args, **kwargs)


@pytest.fixture
def make_app(database_url, tmp_path):
    """Build a fresh app on a clean database: make_app(**config_overrides)."""
    apps = []
    db_url = database_url if PG_URL else _fresh_sqlite(database_url, tmp_path)
    if REDIS_URL:
        import redis
        redis.Redis.from_url(REDIS_URL).flushdb()  # fails loudly if Redis is down

    def build(**overrides):
        config = dict(BASE_CONFIG, DATABASE_URL=db_url, REDIS_URL=REDIS_URL or "fakeredis://")
        config.update(overrides)
        app = create_app(config, instance_path=str(tmp_path / "instance"))
        app.config["TESTING"] = True
        app.test_client_class = FreshGlobalsClient
        apps.append(app)
        return app

    yield build
    for app in apps:
        with app.app_context():
            db.session.remove()
            if PG_URL:
                db.engine.dispose()
    if PG_URL and apps:
        _empty_postgres(apps[0])
        with apps[0].app_context():
            db.engine.dispose()


@pytest.fixture
def app(make_app):
    app = make_app()
    with app.app_context():
        yield app
        db.session.remove()


class Client:
    """A test client that behaves like a browser: it carries the CSRF token of its session."""

    TOKEN_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|'
                          r'type="hidden" name="csrf_token" value="([^"]+)"|'
                          r'name="csrf_token" value="([^"]+)"')

    def __init__(self, app):
        self.app = app
        self.raw = app.test_client()

    def __getattr__(self, name):
        return getattr(self.raw, name)

    def csrf_token(self) -> str:
        response = self.raw.get("/account/signin")
        match = self.TOKEN_RE.search(response.get_data(as_text=True))
        assert match, "no CSRF token on the sign-in page"
        return next(group for group in match.groups() if group)

    def post(self, url, data=None, csrf=True, **kwargs):
        data = dict(data or {})
        if csrf and "json" not in kwargs:
            data.setdefault("csrf_token", self.csrf_token())
        if csrf and "json" in kwargs:
            kwargs.setdefault("headers", {})["X-CSRFToken"] = self.csrf_token()
        return self.raw.post(url, data=data if "json" not in kwargs else None, **kwargs)

    def delete(self, url, csrf=True, **kwargs):
        if csrf:
            kwargs.setdefault("headers", {})["X-CSRFToken"] = self.csrf_token()
        return self.raw.delete(url, **kwargs)

    def signin(self, user, password=factories.PASSWORD):
        response = self.post("/account/signin", {"name": user.name, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return response

    def signout(self):
        return self.post("/account/signout")

    def get_json(self, url, **kwargs):
        sep = "&" if "?" in url else "?"
        return self.raw.get(url + sep + "response_format=json", **kwargs)


@pytest.fixture
def client(app):
    return Client(app)


@pytest.fixture
def client_for(app):
    return lambda: Client(app)


@pytest.fixture
def admin_user(app):
    return factories.user(name="root", admin=True)


@pytest.fixture
def user(app, admin_user):
    return factories.user(name="joe")


@pytest.fixture
def admin_client(app, admin_user):
    c = Client(app)
    c.signin(admin_user)
    return c


@pytest.fixture
def user_client(app, user):
    c = Client(app)
    c.signin(user)
    return c


@pytest.fixture
def run_jobs(app):
    """Run queued jobs with a real rq worker (PostgreSQL + Redis stack); inline stacks have none left."""
    def run(queues=("high", "medium", "low", "maintenance")):
        if app.config["EMBEDDED_JOBS"]:
            return 0
        from rq import SimpleWorker

        from pybossa_admin.jobs import get_queue, get_redis
        worker = SimpleWorker([get_queue(q) for q in queues], connection=get_redis())
        db.session.commit()  # let the worker see what the test wrote
        worker.work(burst=True)
        db.session.expire_all()
        return worker.successful_job_count if hasattr(worker, "successful_job_count") else 1
    return run

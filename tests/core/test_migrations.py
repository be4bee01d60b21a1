"""The committed migrations build exactly the schema the models declare, on this stack's database.

When this fails after a model change, regenerate the migrations:
    pybossa-admin db migrate -m "what changed"   (then review the new file under pybossa_admin/migrations/versions/)
"""
from __future__ import annotations

import uuid
import warnings

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, select, text
from sqlalchemy.engine import make_url

from pybossa_admin import create_app
from pybossa_admin.extensions import db
from pybossa_admin.models import DEFAULT_CATEGORIES, Category

from ..conftest import BASE_CONFIG, PG_URL

# Plugins may declare models too, so they are loaded; a broken one is not this test's business.

# Indexes written by hand in the migrations (expressions, trigram GIN) that autogenerate cannot
# compare: SQLite cannot reflect them and the models do not declare the trigram ones.
HAND_WRITTEN_INDEXES = {"ix_users_lower_name", "ix_users_lower_email", "ix_users_name_trgm",
                        "ix_users_fullname_trgm", "ix_users_email_trgm"}


@pytest.fixture
def empty_database(tmp_path):
    if not PG_URL:
        yield f"sqlite:///{tmp_path / 'migrated.db'}"
        return
    url = make_url(PG_URL)
    name = f"pba_mig_{uuid.uuid4().hex[:8]}"
    server = create_engine(url, isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with server.connect() as conn:
        conn.execute(text(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"))
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    server.dispose()


def _index_name(item) -> str | None:
    kind = item[0]
    if kind in ("add_index", "remove_index"):
        return item[1].name
    return None


def _differences(diff) -> list:
    kept = []
    for item in diff:
        if isinstance(item, list):  # column-level changes come grouped
            item = [change for change in item if change]
            if item:
                kept.append(item)
            continue
        if _index_name(item) in HAND_WRITTEN_INDEXES:
            continue
        kept.append(item)
    return kept


def test_upgrade_on_an_empty_database_matches_the_models(empty_database, tmp_path):
    from flask_migrate import upgrade
    app = create_app(dict(BASE_CONFIG, DATABASE_URL=empty_database, REDIS_URL="fakeredis://", PLUGINS_STRICT=False),
                     instance_path=str(tmp_path / "instance"))
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn, warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "cannot reflect expression-based index" on SQLite
            context = MigrationContext.configure(conn, opts={"compare_type": True, "render_as_batch": True})
            differences = _differences(compare_metadata(context, db.metadata))
        tables = set(inspect(db.engine).get_table_names())
        categories = {c.name: c.description for c in db.session.scalars(select(Category))}
        db.session.remove()
        db.engine.dispose()
    assert not differences, ("The migrations do not match the models; regenerate them "
                             "(pybossa-admin db migrate). Differences:\n"
                             + "\n".join(repr(d) for d in differences))
    assert set(db.metadata.tables) <= tables
    assert categories == {name: description for name, _, description in DEFAULT_CATEGORIES}


def test_upgrade_twice_is_harmless(empty_database, tmp_path):
    from flask_migrate import upgrade
    app = create_app(dict(BASE_CONFIG, DATABASE_URL=empty_database, REDIS_URL="fakeredis://", PLUGINS_STRICT=False),
                     instance_path=str(tmp_path / "instance"))
    with app.app_context():
        upgrade()
        upgrade()
        count = db.session.query(Category).count()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SQLite cannot reflect the expression indexes
            indexes = {ix["name"] for ix in inspect(db.engine).get_indexes("users")}
        db.session.remove()
        db.engine.dispose()
    assert count == len(DEFAULT_CATEGORIES)
    assert {"ix_users_admin", "ix_users_created", "ix_users_last_login"} <= indexes
    if PG_URL:
        assert {"ix_users_name_trgm", "ix_users_email_trgm"} <= indexes

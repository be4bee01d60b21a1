"""pybossa-admin: a crowdsourcing platform in the PYBOSSA family, administered through plugins."""
from __future__ import annotations

import os

__version__ = "0.1.0"

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def create_app(config: dict | None = None, instance_path: str | None = None):
    """Build an app. Wiring only: nothing here connects to a database or the network."""
    from flask import Flask

    from . import admin_shell, api, auth, cli, errors, jobs, web
    from .config import load_config
    from .extensions import csrf, db, migrate
    from .plugin.loader import load_plugins

    instance_path = instance_path or os.environ.get("PYBOSSA_ADMIN_INSTANCE_PATH") or os.path.join(ROOT, "instance")
    app = Flask(__name__, instance_path=os.path.abspath(instance_path),
                template_folder=os.path.join(ROOT, "templates"),
                static_folder=os.path.join(os.path.dirname(__file__), "static"))
    app.config.update(load_config(app.instance_path, config))
    app.config.update(SQLALCHEMY_ENGINE_OPTIONS=_engine_options(app.config["SQLALCHEMY_DATABASE_URI"]),
                      SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
                      WTF_CSRF_TIME_LIMIT=None, JSON_SORT_KEYS=False)
    app.extensions["pybossa_admin"] = {"version": __version__}

    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(__file__), "migrations"),
                     render_as_batch=True)
    csrf.init_app(app)
    jobs.init_app(app)
    auth.init_app(app)
    api.init_app(app)
    web.init_app(app)
    errors.init_app(app)
    admin = admin_shell.init_app(app)
    load_plugins(app, admin)
    cli.init_app(app)
    if app.config["TRUST_PROXY_HEADERS"]:
        from werkzeug.middleware.proxy_fix import ProxyFix
        n = app.config["TRUST_PROXY_HEADERS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)
    return app


def _engine_options(uri: str) -> dict:
    if uri.startswith("sqlite"):
        # Wait for the writer instead of failing at once with "database is locked".
        return {"connect_args": {"timeout": 30}}
    return {"pool_pre_ping": True, "pool_size": 10, "max_overflow": 10}

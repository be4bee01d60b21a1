"""What the status page shows, gathered one section at a time. A section that cannot be read says why
instead of failing the page; every value that could hold a secret goes through services.masking."""
from __future__ import annotations

import importlib.metadata
import os
import platform
import sqlite3
import sys

from flask import current_app
from sqlalchemy import func, select, text

from pybossa_admin.plugin import CORE_SETTINGS as SETTINGS
from pybossa_admin.plugin import QUEUES, db, get_queue, get_redis, models
from pybossa_admin.plugin import plugin_records
from pybossa_admin.services import masking, sessions

# Environment variables worth showing. Anything else in os.environ stays private.
ENV_ALLOWLIST = ("PATH", "LANG", "LC_ALL", "TZ", "PYTHONPATH", "VIRTUAL_ENV", "SERVER_SOFTWARE",
                 "GUNICORN_CMD_ARGS", "FLASK_APP", "FLASK_DEBUG")
ENV_PREFIX = "PYBOSSA_ADMIN_"
KEY_PACKAGES = ("Flask", "Flask-Admin", "Flask-SQLAlchemy", "SQLAlchemy", "Flask-Login", "Flask-WTF",
                "Flask-Migrate", "alembic", "rq", "redis", "psycopg2-binary", "gunicorn", "Werkzeug", "Jinja2")


def _error(exc: Exception) -> str:
    return masking.mask_text(f"{exc.__class__.__name__}: {exc}", masking.known_secrets(current_app.config))


def _human(size: int | None) -> str | None:
    if size is None:
        return None
    value = float(size)
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if value < 1024 or unit == "TB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return None


def database() -> dict:
    engine = db.engine
    info = {"backend": engine.dialect.name, "driver": engine.dialect.driver,
            "url": masking.mask_url(engine.url.render_as_string(hide_password=False))}
    try:
        if engine.dialect.name == "postgresql":
            info["version"] = db.session.scalar(text("SHOW server_version"))
            info["size_bytes"] = db.session.scalar(text("SELECT pg_database_size(current_database())"))
            info["name"] = db.session.scalar(text("SELECT current_database()"))
        elif engine.dialect.name == "sqlite":
            info["version"] = sqlite3.sqlite_version
            path = engine.url.database or ""
            files = [p for p in (path, path + "-wal") if p and os.path.exists(p)]
            info["size_bytes"] = sum(os.path.getsize(p) for p in files) if files else None
            info["name"] = os.path.basename(path) if path else ":memory:"
        info["size"] = _human(info.get("size_bytes"))
        info["reachable"] = True
    except Exception as exc:  # noqa: BLE001  (shown on the page, never raised)
        db.session.rollback()
        info.update(reachable=False, error=_error(exc))
    return info


def redis() -> dict:
    app = current_app
    if app.config["EMBEDDED_JOBS"]:
        return {"mode": "embedded", "reachable": True,
                "note": "Embedded in-process queue (fakeredis): nothing to connect to, no memory figures."}
    info = {"mode": "server", "url": masking.mask_url(app.config["REDIS_URL"])}
    try:
        connection = get_redis()
        connection.ping()
        memory = connection.info("memory")
        server = connection.info("server")
        info.update(reachable=True, version=server.get("redis_version"),
                    used_memory=memory.get("used_memory_human"), peak_memory=memory.get("used_memory_peak_human"),
                    max_memory=memory.get("maxmemory_human"), policy=memory.get("maxmemory_policy"))
    except Exception as exc:  # noqa: BLE001
        info.update(reachable=False, error=_error(exc))
    return info


def queues() -> dict:
    from rq import Worker
    out = {"queues": [], "workers": [], "error": None}
    try:
        for name in QUEUES:
            queue = get_queue(name)
            out["queues"].append({"name": name, "queued": queue.count,
                                  "started": queue.started_job_registry.count,
                                  "failed": queue.failed_job_registry.count,
                                  "scheduled": queue.scheduled_job_registry.count})
        for worker in Worker.all(connection=get_redis()):
            job = worker.get_current_job_id()
            out["workers"].append({"name": worker.name, "state": str(worker.get_state()),
                                   "queues": worker.queue_names(), "current_job": job,
                                   "last_heartbeat": worker.last_heartbeat, "hostname": worker.hostname,
                                   "pid": worker.pid})
    except Exception as exc:  # noqa: BLE001
        out["error"] = _error(exc)
    return out


def _version(name: str) -> str | None:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def versions() -> dict:
    return {"platform": current_app.extensions["pybossa_admin"]["version"],
            "python": sys.version.split()[0], "implementation": platform.python_implementation(),
            "os": platform.platform(),
            "packages": [{"name": n, "version": v} for n in KEY_PACKAGES if (v := _version(n))]}


def plugin_versions() -> list[dict]:
    return [{"name": r.name, "version": r.version, "status": r.status} for r in plugin_records(current_app)]


def packages(q: str = "") -> list[dict]:
    """Installed distributions, one row per name (the first on sys.path wins, as for imports)."""
    q = (q or "").strip().lower()
    seen = {}
    for dist in importlib.metadata.distributions():
        name = dist.metadata["Name"] or ""
        key = name.lower().replace("_", "-")
        if not name or key in seen:
            continue
        if q and q not in key and q not in name.lower():
            continue
        try:
            location = str(dist.locate_file(""))
        except Exception:  # noqa: BLE001  (some odd distributions have no location)
            location = ""
        seen[key] = {"name": name, "version": dist.version, "location": location}
    return sorted(seen.values(), key=lambda row: row["name"].lower())


def environment() -> list[dict]:
    known = masking.known_secrets(current_app.config)
    names = sorted(n for n in os.environ if n.startswith(ENV_PREFIX) or n in ENV_ALLOWLIST)
    return [{"name": n, "value": masking.mask_value(n, os.environ[n], known)} for n in names]


def configuration() -> list[dict]:
    """Core settings, plugin settings and any other key the operator set; values masked."""
    config = current_app.config
    sources = config.get("CONFIG_SOURCES") or {}
    plugin_keys = {}
    for record in plugin_records(current_app):
        if record.plugin is not None:
            for key in record.plugin.config:
                plugin_keys[key] = record.name
    names = set(SETTINGS) | set(plugin_keys) | {k for k, s in sources.items() if s != "default"}
    names = {n for n in names if n in config}
    shown = masking.masked_config({n: config[n] for n in names})
    rows = []
    for name in sorted(names):
        kind = "core" if name in SETTINGS else ("plugin " + plugin_keys[name] if name in plugin_keys else "other")
        rows.append({"name": name, "value": shown[name], "source": sources.get(name, "default"), "kind": kind})
    return rows


def active_sessions(limit: int = 200) -> list[dict]:
    rows = sessions.active(limit=limit)
    ids = {r.user_id for r in rows}
    names = dict(db.session.execute(select(models.User.id, models.User.name).where(models.User.id.in_(ids))).all()) \
        if ids else {}
    return [dict(r.as_dict(), user_name=names.get(r.user_id)) for r in rows]


def active_session_count() -> int:
    S = models.SignInSession
    return db.session.scalar(select(func.count()).select_from(S)
                             .where(S.revoked_at.is_(None), S.expires > models.utcnow())) or 0


def embedded_limits() -> list[str]:
    config = current_app.config
    limits = []
    if config["EMBEDDED_JOBS"]:
        limits += ["Background jobs run inline, inside the web request that starts them (embedded queue, "
                   "REDIS_URL=fakeredis://).",
                   "No retries: a failing job is marked failed and not tried again.",
                   "No delayed or periodic jobs: scheduled work (daily snapshots, retention) does not run by itself.",
                   "One process only: queue state lives in this process's memory, so several web processes or "
                   "a separate worker would each see their own empty queue."]
    if db.engine.dialect.name == "sqlite":
        limits.append("SQLite database: one writer at a time; fine for trying the platform, use PostgreSQL "
                      "for real traffic.")
    return limits

"""Start-up rows, written once per process on the first request (create_app never touches the database).

Recorded: a configuration summary with every secret masked (channel startup), one row per plugin that
failed to load with its traceback (startup, level error), and which plugins loaded (platform).
"""
from __future__ import annotations

import os
import platform
import sys
import threading

from sqlalchemy.exc import SQLAlchemyError

from pybossa_admin.plugin import db
from pybossa_admin.services import events, masking

STATE_KEY = "logs_startup"


def install(app, enabled):
    """Register the once-per-process hook; `enabled()` says whether the logs plugin is enabled."""
    state = app.extensions["pybossa_admin"].setdefault(STATE_KEY, {"done": False, "lock": threading.Lock()})

    def record_startup_once():
        if state["done"]:
            return None
        with state["lock"]:
            if state["done"]:
                return None
            state["done"] = True
            if enabled():
                try:
                    record_startup(app)
                except SQLAlchemyError:  # tables not created yet: nothing to write to, and no retry storm
                    db.session.rollback()
                    app.logger.warning("start-up log rows not written (database not ready)", exc_info=True)
        return None

    app.before_request(record_startup_once)


def _settings_summary(app) -> dict:
    from pybossa_admin.plugin import CORE_SETTINGS as SETTINGS
    records = app.extensions["pybossa_admin"].get("plugins", {})
    plugin_prefixes = tuple(f"{name.upper()}_" for name in records)
    names = [k for k in app.config if k in SETTINGS or (plugin_prefixes and k.startswith(plugin_prefixes))]
    shown = masking.masked_config({k: app.config[k] for k in names})
    sources = app.config.get("CONFIG_SOURCES", {})
    return {k: {"value": v, "source": sources.get(k, "plugin default")} for k, v in shown.items()
            if v is None or isinstance(v, (str, int, float, bool, list))}


def record_startup(app) -> None:
    records = app.extensions["pybossa_admin"].get("plugins", {})
    loaded = sorted(name for name, r in records.items() if r.loaded)
    failed = sorted(name for name, r in records.items() if r.status == "failed")
    skipped = sorted(f"{name} ({r.status})" for name, r in records.items()
                     if not r.loaded and r.status != "failed")
    database = app.config["SQLALCHEMY_DATABASE_URI"].split(":", 1)[0]
    jobs = "embedded (inline, fakeredis)" if app.config.get("EMBEDDED_JOBS") else "redis"
    version = app.extensions["pybossa_admin"].get("version")
    known = masking.known_secrets(app.config)
    rows = [events.record(
        "startup", "startup.config",
        f"pybossa-admin {version} started (pid {os.getpid()}): database {database}, jobs {jobs}, "
        f"{len(loaded)} plugins loaded, {len(failed)} failed", level="warning" if failed else "info",
        user_name="system", commit=False,
        data={"version": version, "pid": os.getpid(), "python": sys.version.split()[0],
              "platform": platform.platform(), "database": database, "jobs": jobs,
              "safe_mode": bool(app.config.get("SAFE_MODE")), "settings": _settings_summary(app),
              "plugins": {"loaded": loaded, "failed": failed, "skipped": skipped}})]
    for name in failed:
        record = records[name]
        last = (record.error or "").strip().splitlines()[-1:] or ["unknown error"]
        rows.append(events.record("startup", "startup.plugin_failed",
                      masking.mask_text(f"plugin {name} failed to load: {last[0]}", known),
                      level="error", user_name="system", commit=False,
                      data={"plugin": name, "source": record.source,
                            "traceback": masking.mask_text((record.error or "")[-4000:], known)}))
    rows.append(events.record("platform", "plugins.loaded",
                  f"{len(loaded)} plugins loaded" + (f", {len(failed)} failed: {', '.join(failed)}" if failed else "")
                  + (f"; not loaded: {', '.join(skipped)}" if skipped else ""),
                  level="error" if failed else "info", user_name="system", commit=False,
                  data={"loaded": loaded, "failed": failed, "skipped": skipped}))
    # Written on behalf of the process, not of whoever happened to make the first request.
    for row in rows:
        row.user_id, row.user_name, row.ip, row.user_agent = None, "system", None, None
    db.session.commit()

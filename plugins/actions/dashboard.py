"""Refreshing the 7-day dashboard of the `stats` plugin now, by its declared periodic job."""
from __future__ import annotations

import importlib

from flask import current_app

STATS = "stats"


def _resolve(path: str):
    module_name, _, attr = path.replace(":", ".").rpartition(".")
    return getattr(importlib.import_module(module_name), attr)


def dashboard_job():
    """(PeriodicJob, None) for the stats plugin's dashboard job, or (None, why not)."""
    from pybossa_admin.plugin import disabled_in_database
    app = current_app._get_current_object()
    record = app.extensions["pybossa_admin"].get("plugins", {}).get(STATS)
    if record is None or record.plugin is None:
        return None, "The dashboard plugin `stats` is not installed, so there is no dashboard to refresh."
    if not record.loaded:
        return None, f"The dashboard plugin `stats` is not loaded ({record.status}), so there is nothing to refresh."
    if STATS in disabled_in_database(app):
        return None, "The dashboard plugin `stats` is disabled, so there is nothing to refresh."
    jobs = list(record.plugin.periodic_jobs)
    # The dashboard job: by name if the plugin has several, else the one on `low`, else the first.
    jobs.sort(key=lambda j: ("dashboard" not in j.name.lower(), j.queue != "low", j.name))
    if not jobs:
        return None, "The dashboard plugin `stats` declares no periodic job to run."
    try:
        _resolve(jobs[0].func)
    except (ImportError, AttributeError, ValueError) as exc:
        return None, f"The dashboard job {jobs[0].func} cannot be imported ({exc.__class__.__name__})."
    return jobs[0], None

"""Logs: the operational log in tabs (platform, authentication, API errors, jobs, start-up).

Core and plugins write rows with pybossa_admin.services.events.record(); this plugin shows them,
records the start-up rows once per process, and caps each channel's size (core's housekeeping job
already removes rows older than LOG_RETENTION_DAYS).

Setting (plugin default, override in settings.py or PYBOSSA_ADMIN_LOGS_MAX_ROWS_PER_CHANNEL):
    LOGS_MAX_ROWS_PER_CHANNEL = 200000   # the daily logs.trim job keeps the newest rows of each channel
"""
from flask import current_app

from pybossa_admin.plugin import AdminCard, PeriodicJob, Plugin, Setting, integer

NAME = "logs"


def _enabled() -> bool:
    from pybossa_admin.plugin import disabled_in_database
    return NAME not in disabled_in_database(current_app._get_current_object())


def _views():
    from .views import LogsView
    return [LogsView(name="Logs", url="/admin/logs", endpoint="logs", category="Insights")]


def _setup(app):
    from . import startup
    startup.install(app, _enabled)


plugin = Plugin(
    name=NAME,
    version="1.0.0",
    description="Operational logs: platform events, sign-ins, API errors, jobs and start-up, filterable, as JSON too.",
    admin_views=_views,
    cards=(AdminCard("Logs", "logs.index", "Platform, authentication, API, jobs and start-up events."),),
    periodic_jobs=(PeriodicJob("logs.trim", f"{__name__}.jobs.trim_channels", "maintenance", 24 * 3600),),
    config={"LOGS_MAX_ROWS_PER_CHANNEL": Setting(integer(1), 200_000)},
    setup=_setup,
)

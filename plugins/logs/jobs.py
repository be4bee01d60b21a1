"""Retention beyond core's age limit: a row cap per channel, so a flood cannot fill the database."""
from flask import current_app

from . import queries


def trim_channels() -> dict:
    """Keep the newest LOGS_MAX_ROWS_PER_CHANNEL rows of each channel. Idempotent."""
    return queries.trim(int(current_app.config["LOGS_MAX_ROWS_PER_CHANNEL"]))

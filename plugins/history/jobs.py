"""Jobs of the stats-over-time plugin: the daily snapshot and the backfill, with progress in Redis."""
from __future__ import annotations

import json
from datetime import timedelta

from pybossa_admin.plugin import get_redis, models

from . import snapshots

PROGRESS_KEY = "pybossa_admin:history:backfill"


def daily_snapshot() -> dict:
    """Yesterday (now complete) and today (so far). Idempotent; runs every 24 h on `low`."""
    day = snapshots.today()
    snapshots.snapshot_days([day - timedelta(days=1), day])
    return {"days": [(day - timedelta(days=1)).isoformat(), day.isoformat()]}


def _publish(state: dict) -> None:
    get_redis().set(PROGRESS_KEY, json.dumps(state), ex=24 * 3600)


def progress() -> dict | None:
    raw = get_redis().get(PROGRESS_KEY)
    return json.loads(raw) if raw else None


def backfill(days: int, overwrite: int = 0) -> dict:
    """The web button's job: backfill with its progress published for the page."""
    state = {"state": "running", "done": 0, "total": int(days), "started": models.utcnow().isoformat()}
    _publish(state)

    def step(done, total):
        if done == total or done % 10 == 0:  # a Redis write every 10 days is plenty for a progress bar
            _publish({**state, "done": done})

    try:
        result = snapshots.backfill(int(days), bool(overwrite), progress=step)
    except Exception:
        _publish({**state, "state": "failed", "finished": models.utcnow().isoformat()})
        raise
    _publish({**state, **result, "state": "finished", "done": int(days),
              "finished": models.utcnow().isoformat()})
    return result

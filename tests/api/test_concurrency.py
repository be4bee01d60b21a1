"""Concurrent answers against a live server: nothing lost, nothing doubled, exactly one completion."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from pybossa_admin.extensions import db
from pybossa_admin.models import Result, Task, TaskRun

from .. import factories
from ..browser_support import live_server  # noqa: F401  (fixture)

pytestmark = pytest.mark.live


def test_racing_answers_complete_the_task_once(live_server, project):
    task = factories.task(project, n_answers=5)
    people = [factories.user(name=f"racer{i}") for i in range(12)]
    url, task_id = f"{live_server.url}/api/taskrun", task.id

    def answer(key):
        return requests.post(url, params={"api_key": key}, json={"task_id": task_id, "info": {"k": key[:4]}},
                             timeout=60).status_code

    keys = [p.api_key for p in people] * 2  # every volunteer also sends a duplicate at the same time
    with ThreadPoolExecutor(max_workers=12) as pool:
        statuses = list(pool.map(answer, keys))
    assert sorted(set(statuses)) == [200, 409], statuses
    assert statuses.count(200) == 5
    db.session.expire_all()
    runs = TaskRun.query.filter_by(task_id=task.id).all()
    assert len(runs) == 5 and len({r.user_id for r in runs}) == 5
    assert db.session.get(Task, task.id).state == "completed"
    [result] = Result.query.all()
    assert sorted(result.task_run_ids) == sorted(r.id for r in runs)

"""Restart workers: rq's shutdown command to every registered worker; a real worker process exits."""
import os
import subprocess
import sys
import time

from rq import Worker

from pybossa_admin.extensions import db
from pybossa_admin.jobs import get_queue, get_redis
from pybossa_admin.models import LogEvent

from ...conftest import REDIS_URL

URL = "/admin/actions/restart-workers"


def _wait(predicate, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_each_registered_worker_is_told(admin_client, app):
    """Works on both stacks: workers registered in this app's Redis get the command over pub/sub."""
    redis = get_redis()
    pubsub = redis.pubsub()
    names = []
    for n in range(2):
        worker = Worker([get_queue("low")], connection=redis, name=f"test-worker-{n}-{os.getpid()}")
        worker.register_birth()
        names.append(worker.name)
        pubsub.subscribe(f"rq:pubsub:{worker.name}")
    page = admin_client.get(URL).get_data(as_text=True)
    assert all(name in page for name in names)
    response = admin_client.post(URL + "?response_format=json", {"confirm": "yes"})
    assert response.status_code == 200
    result = response.get_json()["result"]
    assert result["count"] == 2 and sorted(result["workers"]) == sorted(names)
    assert "2 workers told" in response.get_json()["flash"]
    commands = []
    _wait(lambda: (commands.append(pubsub.get_message(ignore_subscribe_messages=True, timeout=0.2)) or
                   len([c for c in commands if c]) >= 2), timeout=5)
    assert sum(1 for c in commands if c and b"shutdown" in c["data"]) == 2
    row = db.session.query(LogEvent).filter_by(event="action.restart_workers").one()
    assert row.user_name == "root" and sorted(row.data["workers"]) == sorted(names)
    for name in names:
        Worker.find_by_key(f"rq:worker:{name}", connection=redis).register_death()


def test_a_real_worker_process_exits_after_the_shutdown_command(admin_client, app, database_url, tmp_path):
    if app.config["EMBEDDED_JOBS"]:
        # The embedded default has no worker processes: the action says so instead of pretending.
        response = admin_client.post(URL + "?response_format=json", {"confirm": "yes"})
        assert response.get_json()["result"]["count"] == 0
        assert "embedded default" in response.get_json()["flash"]
        return
    env = dict(os.environ, PYBOSSA_ADMIN_DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
               PYBOSSA_ADMIN_REDIS_URL=REDIS_URL, PYBOSSA_ADMIN_SECRET_KEY=app.config["SECRET_KEY"],
               PYBOSSA_ADMIN_INSTANCE_PATH=str(tmp_path / "worker-instance"))
    command = [os.path.join(os.path.dirname(sys.executable), "pybossa-admin"), "jobs", "worker", "low",
               "--no-scheduler"]
    worker = subprocess.Popen(command, env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        assert _wait(lambda: len(Worker.all(connection=get_redis())) == 1), "the worker never registered"
        # Give it a moment to subscribe to its command channel (after registering).
        assert _wait(lambda: get_redis().pubsub_numsub(f"rq:pubsub:{Worker.all(connection=get_redis())[0].name}")[0][1] == 1)
        response = admin_client.post(URL + "?response_format=json", {"confirm": "yes"})
        assert response.get_json()["result"]["count"] == 1
        worker.wait(timeout=30)
        assert worker.returncode is not None
        assert _wait(lambda: Worker.all(connection=get_redis()) == [], timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
        output = worker.stdout.read().decode(errors="replace")
    assert "shutdown" in output.lower() or "stopping" in output.lower() or "warm" in output.lower(), output[-2000:]

"""Restart web processes under a real gunicorn: SIGHUP to the master, fresh workers replace the old ones."""
import os
import socket
import subprocess
import sys
import time

import pytest
import requests

from pybossa_admin.extensions import db

from ... import factories


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def children(pid: int) -> set[int]:
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                found.add(int(entry))
    return found


def wait_for(predicate, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except requests.RequestException:
            pass
        time.sleep(0.2)
    return False


@pytest.mark.live
def test_sighup_to_the_gunicorn_master_replaces_its_workers(app, tmp_path):
    root = factories.user(name="root", admin=True)
    db.session.commit()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ, PYBOSSA_ADMIN_DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
               PYBOSSA_ADMIN_REDIS_URL=app.config["REDIS_URL"], PYBOSSA_ADMIN_SECRET_KEY=app.config["SECRET_KEY"],
               PYBOSSA_ADMIN_INSTANCE_PATH=str(tmp_path / "instance"))
    gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
    server = subprocess.Popen([gunicorn, "-w", "2", "-b", f"127.0.0.1:{port}", "--graceful-timeout", "5",
                               "pybossa_admin:create_app()"], env=env, cwd=tmp_path,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        http = requests.Session()
        assert wait_for(lambda: http.get(base + "/account/signin", timeout=2).status_code == 200), "no gunicorn"
        assert wait_for(lambda: len(children(server.pid)) == 2)
        before = children(server.pid)
        token = http.get(base + "/account/signin?response_format=json", timeout=5).json()["csrf"]
        signed = http.post(base + "/account/signin", data={"name": root.name, "password": factories.PASSWORD,
                                                            "csrf_token": token}, allow_redirects=False, timeout=5)
        assert signed.status_code == 302
        page = http.get(base + "/admin/actions/?response_format=json", timeout=5).json()
        assert page["state"]["web"]["available"] is True and page["state"]["web"]["master_pid"] == server.pid
        assert page["state"]["web"]["server"].startswith("gunicorn/")
        response = http.post(base + "/admin/actions/restart-web?response_format=json",
                             data={"confirm": "yes", "csrf_token": page["csrf"]}, timeout=10)
        assert response.status_code == 200, response.text[:300]
        assert response.json()["result"]["master_pid"] == server.pid
        # Fresh workers, none of the old ones, and the master itself still serving.
        assert wait_for(lambda: len(children(server.pid)) == 2 and not children(server.pid) & before), \
            (before, children(server.pid))
        assert server.poll() is None
        assert wait_for(lambda: http.get(base + "/admin/actions/", timeout=2).status_code == 200)
        log = http.get(base + "/admin/logs/?channel=platform&event=action.restart_web&response_format=json",
                       timeout=5).json()["events"]
        assert len(log) == 1 and log[0]["user_name"] == "root"
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()

"""Restarting background workers (rq's shutdown command) and gunicorn's web workers (SIGHUP)."""
from __future__ import annotations

import os
import signal

from flask import current_app, request

from pybossa_admin.plugin import get_redis


def workers() -> list[dict]:
    """Every rq worker registered in Redis, with what it is doing now."""
    from rq.worker import Worker
    found = []
    for worker in Worker.all(connection=get_redis()):
        found.append({"name": worker.name, "state": str(worker.get_state()), "queues": worker.queue_names(),
                      "current_job": worker.get_current_job_id(), "pid": worker.pid, "hostname": worker.hostname})
    return sorted(found, key=lambda w: w["name"])


def restart_workers() -> list[str]:
    """Tell every worker to shut down (after its current job); a supervised worker comes back.

    Returns the names of the workers told. rq delivers the command over Redis pub/sub, so workers on
    other machines get it too."""
    from rq.command import send_shutdown_command
    names = [w["name"] for w in workers()]
    for name in names:
        send_shutdown_command(get_redis(), name)
    return names


def _cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return handle.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def server_software() -> str:
    environ = request.environ if request else {}
    return environ.get("SERVER_SOFTWARE") or os.environ.get("SERVER_SOFTWARE") or ""


def gunicorn_master() -> int | None:
    """The pid of the gunicorn master this process serves under, or None.

    Both must agree: the WSGI server says it is gunicorn, and our parent process is a gunicorn
    command (gunicorn's workers are forked by the master, the arbiter)."""
    if not server_software().lower().startswith("gunicorn"):
        return None
    parent = os.getppid()
    if parent <= 1 or "gunicorn" not in _cmdline(parent):
        return None
    return parent


def web_restart_status() -> dict:
    master = gunicorn_master()
    software = server_software() or "unknown"
    if master:
        return {"available": True, "master_pid": master, "server": software,
                "explanation": f"gunicorn master pid {master}: SIGHUP starts fresh workers and lets the "
                               "old ones finish their requests."}
    return {"available": False, "master_pid": None, "server": software,
            "explanation": f"Not available under this server ({software}): graceful restart works when the "
                           "platform runs under gunicorn. Restart this process with whatever started it "
                           "(systemd, supervisor, docker, or Ctrl+C and run it again)."}


def restart_web() -> int:
    """SIGHUP to the gunicorn master; returns its pid. RuntimeError when not under gunicorn."""
    master = gunicorn_master()
    if master is None:
        raise RuntimeError(web_restart_status()["explanation"])
    current_app.logger.warning("sending SIGHUP to the gunicorn master (pid %s)", master)
    os.kill(master, signal.SIGHUP)
    return master

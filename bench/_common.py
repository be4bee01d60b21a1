"""Helpers shared by the benchmarks: a dedicated PostgreSQL database (create, migrate, seed with SQL,
drop), versions, percentiles, and a gunicorn server on a free loopback port.

Every benchmark is run as `/work/venv/bin/python bench/<name>.py --scale S|M` and prints its figures
last (see shared/reference/bench-volumes.md)."""
from __future__ import annotations

import contextlib
import math
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid

import psycopg2
from psycopg2 import sql

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

ADMIN_URL = os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/1")
SECRET_KEY = "benchmark-secret-key-0123456789"

SCALES = {  # shared/reference/bench-volumes.md
    "S": {"users": 100_000, "projects": 200, "tasks": 50_000, "task_runs": 500_000},
    "M": {"users": 1_000_000, "projects": 2_000, "tasks": 500_000, "task_runs": 5_000_000},
}


# --- databases ---------------------------------------------------------------------------------------

def database_url(name: str) -> str:
    base, _, _ = ADMIN_URL.rpartition("/")
    return f"{base}/{name}"


def create_database(prefix: str = "bench") -> tuple[str, str]:
    """A fresh, empty database; returns (name, url)."""
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    with contextlib.closing(psycopg2.connect(ADMIN_URL)) as conn:
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return name, database_url(name)


def drop_database(name: str) -> None:
    with contextlib.closing(psycopg2.connect(ADMIN_URL)) as conn:
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))
            cur.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))


def migrate(url: str) -> None:
    """The schema through the committed migrations (what `flask db upgrade` does)."""
    import flask_migrate

    from pybossa_admin import create_app
    with tempfile.TemporaryDirectory() as instance:
        app = create_app({"DATABASE_URL": url, "REDIS_URL": "fakeredis://", "SECRET_KEY": SECRET_KEY},
                         instance_path=instance)
        with app.app_context():
            flask_migrate.upgrade()
            from pybossa_admin.extensions import db
            db.engine.dispose()


def execute(url: str, *statements: str, params: dict | None = None) -> None:
    with contextlib.closing(psycopg2.connect(url)) as conn:
        conn.autocommit = True
        with conn.cursor() as cur:
            for statement in statements:
                cur.execute(statement, params)


def query(url: str, statement: str, params=None) -> list[tuple]:
    with contextlib.closing(psycopg2.connect(url)) as conn:
        with conn.cursor() as cur:
            cur.execute(statement, params)
            return cur.fetchall()


def versions(url: str) -> dict[str, str]:
    server = query(url, "SHOW server_version")[0][0]
    return {"postgresql": server, "python": platform.python_version(), "cpus": str(os.cpu_count())}


@contextlib.contextmanager
def timed(label: str, out=sys.stderr):
    start = time.perf_counter()
    yield
    print(f"  {label}: {time.perf_counter() - start:.1f} s", file=out, flush=True)


# --- statistics --------------------------------------------------------------------------------------

def percentile(values, p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of a non-empty sequence."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def median(values) -> float:
    ordered = sorted(values)
    n = len(ordered)
    if not n:
        return math.nan
    return ordered[n // 2] if n % 2 else (ordered[n // 2 - 1] + ordered[n // 2]) / 2


# --- CPU accounting (Linux /proc) ---------------------------------------------------------------------

def cpu_seconds(pids) -> float:
    """User + system CPU seconds used so far by these processes (gone ones count 0)."""
    total, tick = 0.0, os.sysconf("SC_CLK_TCK")
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
        except (OSError, IndexError, ValueError):
            pass
    return total


def children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as handle:
            return [int(p) for p in handle.read().split()]
    except OSError:
        return []


def backend_pids(url: str) -> list[int]:
    """The PostgreSQL server processes serving this database now."""
    name = url.rsplit("/", 1)[1]
    return [r[0] for r in query(url, "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> "
                                     "pg_backend_pid()", (name,))]


def load_average() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


# --- the server --------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    """`gunicorn -w N 'pybossa_admin:create_app()'` on 127.0.0.1:<free port>, configured by environment."""

    def __init__(self, database_url: str, workers: int = 4, redis_url: str = REDIS_URL,
                 settings: dict | None = None, ready_path: str = "/api/openapi.json", threads: int = 1):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.workers, self.threads, self.ready_path = workers, threads, ready_path
        self.instance = tempfile.mkdtemp(prefix="bench-instance-")
        self.env = dict(os.environ, PYTHONPATH=ROOT, PYBOSSA_ADMIN_DATABASE_URL=database_url,
                        PYBOSSA_ADMIN_REDIS_URL=redis_url, PYBOSSA_ADMIN_SECRET_KEY=SECRET_KEY,
                        PYBOSSA_ADMIN_INSTANCE_PATH=self.instance,
                        PYBOSSA_ADMIN_SETTINGS=os.path.join(self.instance, "no-settings.py"))
        for key, value in (settings or {}).items():
            self.env[f"PYBOSSA_ADMIN_{key}"] = str(value)
        self.process = None

    def __enter__(self):
        gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
        self.process = subprocess.Popen(
            [gunicorn, "-w", str(self.workers), "--threads", str(self.threads), "-b", f"127.0.0.1:{self.port}",
             "--backlog", "2048",
             "--log-level", "warning", "pybossa_admin:create_app()"],
            cwd=self.instance, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("gunicorn exited: " + self.process.stderr.read().decode()[-2000:])
            try:
                with urllib.request.urlopen(self.url + self.ready_path, timeout=2) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.2)
        self.__exit__()
        raise RuntimeError("gunicorn did not answer within 60 s")

    def worker_pids(self) -> list[int]:
        return children(self.process.pid) if self.process else []

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def signed_in_session(base_url: str, name: str, password: str):
    """A requests session signed in through the real form (CSRF token included)."""
    import re

    import requests
    session = requests.Session()
    page = session.get(base_url + "/account/signin").text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = session.post(base_url + "/account/signin", allow_redirects=False,
                            data={"name": name, "password": password, "csrf_token": token})
    if response.status_code != 302:
        raise RuntimeError(f"sign-in failed: {response.status_code}")
    return session


def describe_times(values, unit_ms: bool) -> str:
    scale, unit = (1000, "ms") if unit_ms else (1, "s")
    return (f"median {median(values) * scale:.1f} {unit}, p95 {percentile(values, 95) * scale:.1f} "
            f"{unit}, max {max(values) * scale:.1f} {unit} (n={len(values)})")

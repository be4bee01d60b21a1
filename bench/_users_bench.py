"""Shared by bench/users_export.py and bench/admin_user_search.py: a PostgreSQL database of N users
seeded with SQL (generate_series, shapes from docs bench-volumes.md), migrated with flask_migrate.upgrade
so the committed trigram indexes exist, and the app served by gunicorn in a separate process."""
from __future__ import annotations

import contextlib
import os
import platform
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

import psycopg2
import requests

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

SCALES = {"S": 100_000, "M": 1_000_000}
SERVER = os.environ.get("BENCH_PG", "postgresql://postgres@127.0.0.1:5432")
REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/3")
ADMIN_NAME, ADMIN_PASSWORD = "benchadmin", "bench admin password"
SECRET = "bench-secret-key-0123456789abcdef"


def db_url(name: str) -> str:
    return f"{SERVER}/{name}"


def connect(name: str):
    conn = psycopg2.connect(db_url(name))
    conn.autocommit = True
    return conn


def versions(name: str) -> str:
    with contextlib.closing(connect(name)) as conn, conn.cursor() as cur:
        cur.execute("SHOW server_version")
        pg = cur.fetchone()[0]
    return f"PostgreSQL {pg}, Python {platform.python_version()}, {os.cpu_count()} cores"


def _user_count(name: str) -> int | None:
    try:
        with contextlib.closing(connect(name)) as conn, conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM users WHERE name LIKE 'user%'")
            return cur.fetchone()[0]
    except psycopg2.Error:
        return None


def _migrate(name: str) -> None:
    """The schema as production gets it: the committed migrations (pg_trgm indexes included)."""
    from flask_migrate import upgrade

    from pybossa_admin import create_app
    with tempfile.TemporaryDirectory() as instance:
        app = create_app({"DATABASE_URL": db_url(name), "REDIS_URL": "fakeredis://", "SECRET_KEY": SECRET,
                          "PLUGINS_STRICT": False}, instance_path=instance)
        with app.app_context():
            upgrade()
            from pybossa_admin.extensions import db
            db.engine.dispose()


SEED_USERS = """
INSERT INTO users (id, name, fullname, email_addr, passwd_hash, api_key, admin, pro, enabled, restrict, consent,
                   locale, info, created)
SELECT g, 'user' || g, 'User Number ' || g, 'user' || g || '@example.org', NULL,
       md5('key' || g) || lpad(g::text, 8, '0'), false, false, true,
       g %% 50 = 0,                                     -- 2 percent restricted (GDPR): left out of the export
       g %% 3 = 0, CASE WHEN g %% 10 = 0 THEN 'es' ELSE 'en' END, '{}',
       -- created over 400 days (about 7.5 percent in the last 30), deterministic
       now() - ((g::bigint * 2654435761) %% (400 * 86400)) * interval '1 second'
FROM generate_series(1, %(n)s) AS g
"""


def prepare(scale: str, reseed: bool = False) -> str:
    """Create (or reuse) the database pba_bench_users_<scale> with its users and the bench admin."""
    n = SCALES[scale]
    name = f"pba_bench_users_{scale.lower()}"
    if not reseed and _user_count(name) == n:
        print(f"reusing database {name} ({n:,} users)")
        return name
    with contextlib.closing(connect("postgres")) as conn, conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cur.execute(f'CREATE DATABASE "{name}"')
    started = time.perf_counter()
    _migrate(name)
    from werkzeug.security import generate_password_hash
    with contextlib.closing(connect(name)) as conn, conn.cursor() as cur:
        cur.execute("SET maintenance_work_mem = '512MB'")
        cur.execute(SEED_USERS, {"n": n})
        cur.execute("INSERT INTO users (id, name, fullname, email_addr, passwd_hash, api_key, admin, pro, enabled, "
                    "restrict, consent, locale, info, created) VALUES (%s, %s, 'Bench Admin', 'bench@example.org', "
                    "%s, md5('bench-admin'), true, false, true, false, true, 'en', '{}', now())",
                    (n + 1, ADMIN_NAME, generate_password_hash(ADMIN_PASSWORD)))
        cur.execute("SELECT setval(pg_get_serial_sequence('users', 'id'), %s)", (n + 1,))
        cur.execute("VACUUM ANALYZE users")
    print(f"seeded {name}: {n:,} users in {time.perf_counter() - started:.1f} s (migrate + SQL + VACUUM ANALYZE)")
    return name


def free_port() -> int:
    with contextlib.closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn, 1 sync worker (one web process), serving create_app() on the bench database."""

    def __init__(self, name: str, workers: int = 1):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.instance = tempfile.TemporaryDirectory()
        env = dict(os.environ, PYBOSSA_ADMIN_DATABASE_URL=db_url(name), PYBOSSA_ADMIN_REDIS_URL=REDIS,
                   PYBOSSA_ADMIN_SECRET_KEY=SECRET, PYBOSSA_ADMIN_INSTANCE_PATH=self.instance.name,
                   PYBOSSA_ADMIN_SETTINGS=os.path.join(self.instance.name, "no-settings.py"),
                   PYTHONPATH=ROOT)
        self.workers = workers
        self.process = subprocess.Popen(
            [os.path.join(os.path.dirname(sys.executable), "gunicorn"), "-w", str(workers), "-k", "sync",
             "--timeout", "300", "-b", f"127.0.0.1:{self.port}", "--log-level", "warning",
             "pybossa_admin:create_app()"], cwd=ROOT, env=env)
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                requests.get(self.url + "/account/signin", timeout=60)
                break
            except requests.RequestException:
                time.sleep(0.2)
        else:
            self.stop()
            raise RuntimeError("gunicorn did not start")

    def worker_pids(self) -> list[int]:
        path = f"/proc/{self.process.pid}/task/{self.process.pid}/children"
        with open(path) as handle:
            return [int(p) for p in handle.read().split()]

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.instance.cleanup()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def signed_in_session(base_url: str) -> requests.Session:
    session = requests.Session()
    page = session.get(base_url + "/account/signin").text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = session.post(base_url + "/account/signin", allow_redirects=False,
                            data={"name": ADMIN_NAME, "password": ADMIN_PASSWORD, "csrf_token": token})
    if response.status_code != 302:
        raise RuntimeError(f"sign-in failed: {response.status_code}")
    return session


def p95(values):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]


def summary(values, unit="s", digits=3) -> str:
    return (f"median {statistics.median(values):.{digits}f} {unit}, p95 {p95(values):.{digits}f} {unit}, "
            f"min {min(values):.{digits}f}, max {max(values):.{digits}f} (n={len(values)})")

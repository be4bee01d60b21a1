"""Shared by bench/users_export.py and bench/admin_user_search.py, on top of bench/_common.py: a
PostgreSQL database of N users seeded with SQL (generate_series, shapes from bench-volumes.md),
migrated first with flask_migrate.upgrade so the committed trigram indexes exist, plus a signed-in
admin session and worker memory readings. The database pba_bench_users_<scale> is kept between runs
and reused when it holds the right number of users (--reseed rebuilds it)."""
from __future__ import annotations

import contextlib
import time

import psycopg2
import requests

import _common as common

SCALES = {scale: shape["users"] for scale, shape in common.SCALES.items()}
REDIS_URL = "redis://127.0.0.1:6379/3"
ADMIN_NAME, ADMIN_PASSWORD = "benchadmin", "bench admin password"

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


def connect(url: str):
    conn = psycopg2.connect(url)
    conn.autocommit = True
    return conn


def _seeded_users(url: str) -> int | None:
    try:
        return common.query(url, "SELECT count(*) FROM users WHERE name LIKE 'user%%'")[0][0]
    except psycopg2.Error:
        return None


def prepare(scale: str, reseed: bool = False) -> str:
    """The URL of pba_bench_users_<scale>, created, migrated and seeded unless already there."""
    n = SCALES[scale]
    name = f"pba_bench_users_{scale.lower()}"
    url = common.database_url(name)
    if not reseed and _seeded_users(url) == n:
        print(f"reusing database {name} ({n:,} users)")
        return url
    common.drop_database(name)
    with contextlib.closing(connect(common.ADMIN_URL)) as conn, conn.cursor() as cur:
        cur.execute(f'CREATE DATABASE "{name}"')
    started = time.perf_counter()
    common.migrate(url)
    from werkzeug.security import generate_password_hash
    with contextlib.closing(connect(url)) as conn, conn.cursor() as cur:
        cur.execute("SET maintenance_work_mem = '512MB'")
        cur.execute(SEED_USERS, {"n": n})
        cur.execute("INSERT INTO users (id, name, fullname, email_addr, passwd_hash, api_key, admin, pro, enabled, "
                    "restrict, consent, locale, info, created) VALUES (%s, %s, 'Bench Admin', 'bench@example.org', "
                    "%s, md5('bench-admin'), true, false, true, false, true, 'en', '{}', now())",
                    (n + 1, ADMIN_NAME, generate_password_hash(ADMIN_PASSWORD)))
        cur.execute("SELECT setval(pg_get_serial_sequence('users', 'id'), %s)", (n + 1,))
        cur.execute("VACUUM ANALYZE users")
    print(f"seeded {name}: {n:,} users in {time.perf_counter() - started:.1f} s (migrate + SQL + VACUUM ANALYZE)")
    return url


def server(url: str) -> common.Gunicorn:
    """One gunicorn sync worker (one web process) on this database, Redis db 3."""
    return common.Gunicorn(url, workers=1, redis_url=REDIS_URL, ready_path="/account/signin")


def describe(url: str) -> str:
    v = common.versions(url)
    return f"PostgreSQL {v['postgresql']}, Python {v['python']}, {v['cpus']} cores, load {common.load_average()}"


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0




def p95(values) -> float:
    return common.percentile(values, 95)


def summary(values, unit="s", digits=3) -> str:
    return (f"median {common.median(values):.{digits}f} {unit}, p95 {p95(values):.{digits}f} {unit}, "
            f"min {min(values):.{digits}f}, max {max(values):.{digits}f} (n={len(values)})")


def signed_in_session(base_url: str) -> requests.Session:
    return common.signed_in_session(base_url, ADMIN_NAME, ADMIN_PASSWORD)

"""Stats-over-time and logs benchmark: daily snapshot job, 365-day backfill, /admin/stats and /admin/logs pages.

    /work/venv/bin/python bench/history.py --scale S|M [--snapshots 5] [--requests 200] [--keep]

Seeds a dedicated PostgreSQL database with SQL (generate_series) after flask_migrate.upgrade, with the
user/project/task/task-run counts of shared/reference/bench-volumes.md but task runs spread over the last
365 days (the shape stats over time is about; 10 runs per task, 10 % anonymous, skewed volunteers), and an
operational log of 200,000 (S) or 1,000,000 (M) rows over 90 days in the five channels. Then:
- daily snapshot: plugins.history.jobs.daily_snapshot (yesterday + today) in an app context, --snapshots times;
- backfill: plugins.history.snapshots.backfill(365, overwrite=True), once;
- pages: gunicorn (2 sync workers) serves /admin/stats/?days=365 (HTML and JSON) and /admin/logs/ (a tab,
  a deep keyset page, a text search, a user filter); one signed-in client, sequential requests after warm-ups.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common as common  # noqa: E402

REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/6")
ADMIN_NAME, ADMIN_PASSWORD = "benchadmin", "bench-password-123"
RUNS_PER_TASK = 10
LOG_ROWS = {"S": 200_000, "M": 1_000_000}


def seed(url: str, scale: dict, log_rows: int) -> None:
    users, projects, tasks = scale["users"], scale["projects"], scale["tasks"]
    from werkzeug.security import generate_password_hash
    indexes = common.query(url, """SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'
        AND tablename IN ('users', 'task', 'task_run', 'project', 'log_event')
        AND indexdef NOT LIKE 'CREATE UNIQUE%'""")
    common.execute(url, *(f'DROP INDEX "{name}"' for name, _ in indexes))
    with common.timed("users"):
        common.execute(url, """
            INSERT INTO users (id, name, fullname, email_addr, passwd_hash, api_key, admin, pro, enabled, restrict,
                               consent, locale, info, created)
            SELECT g, 'user' || g, 'User Number ' || g, 'user' || g || '@example.org', NULL,
                   md5('hist-key-' || g) || lpad(to_hex(g), 8, '0'), false, false, true, g %% 50 = 0, false, 'en',
                   '{}'::jsonb, now() - random() * interval '400 days'
            FROM generate_series(1, %(users)s) g""", params={"users": users})
        common.execute(url, "UPDATE users SET name = %(name)s, admin = true, passwd_hash = %(hash)s WHERE id = 1",
                       params={"name": ADMIN_NAME, "hash": generate_password_hash(ADMIN_PASSWORD)})
    with common.timed("projects and tasks"):
        common.execute(url, """
            INSERT INTO project (id, short_name, name, description, long_description, owner_id, category_id, info,
                                 published, featured, paused, allow_anonymous_contributors, created, updated)
            SELECT g, 'project' || g, 'Project ' || g, '', '', 1 + (g * 7919) %% %(users)s,
                   (SELECT min(id) FROM category), '{}'::jsonb, g %% 5 <> 0, g <= 5, false, true, c, c
            FROM (SELECT g, now() - random() * interval '400 days' AS c FROM generate_series(1, %(projects)s) g) p""",
                       params={"projects": projects, "users": users})
        common.execute(url, """
            INSERT INTO task (id, project_id, created, state, quorum, calibration, priority_0, n_answers, info)
            SELECT g, (g - 1) / %(per)s + 1, now() - interval '365 days' - random() * interval '30 days', 'ongoing',
                   0, 0, 0, %(runs)s, '{}'::jsonb
            FROM generate_series(1, %(tasks)s) g""", params={"per": tasks // projects, "tasks": tasks,
                                                              "runs": RUNS_PER_TASK})
    with common.timed("task runs (over 365 days)"):
        common.execute(url, """
            INSERT INTO task_run (id, project_id, task_id, user_id, user_ip, anon_id, created, finish_time, info)
            SELECT (t - 1) * 10 + k + 1, (t - 1) / %(per)s + 1, t,
                   CASE WHEN k = 9 THEN NULL
                        ELSE 1 + k + 10 * floor(power(random(), 4) * (%(users)s / 10 - 1))::int END,
                   CASE WHEN k = 9 THEN '10.0.0.' || (t %% 250) END, CASE WHEN k = 9 THEN md5('anon' || t) END,
                   f - interval '30 seconds', f, '{"answer": "yes"}'::jsonb
            FROM (SELECT g AS t, k, now() - random() * interval '365 days' AS f
                  FROM generate_series(1, %(tasks)s) g CROSS JOIN generate_series(0, 9) k) r""",
                       params={"per": tasks // projects, "users": users, "tasks": tasks})
    with common.timed(f"log events ({log_rows:,})"):
        common.execute(url, """
            INSERT INTO log_event (created, channel, level, event, message, user_id, user_name, ip, user_agent, data)
            SELECT now() - (%(rows)s - g) * (interval '90 days' / %(rows)s),
                   (ARRAY['auth', 'auth', 'api', 'platform', 'jobs'])[1 + g %% 5],
                   CASE WHEN g %% 11 = 0 THEN 'error' WHEN g %% 3 = 0 THEN 'warning' ELSE 'info' END,
                   (ARRAY['signin.success', 'signin.failure', 'api.error', 'plugin.enabled', 'job.periodic'])[1 + g %% 5],
                   'event number ' || g || ' for user' || (1 + g %% %(users)s),
                   1 + g %% %(users)s, 'user' || (1 + g %% %(users)s), '10.1.' || (g %% 250) || '.' || (g %% 199),
                   'Mozilla/5.0 bench', jsonb_build_object('n', g)
            FROM generate_series(1, %(rows)s) g""", params={"rows": log_rows, "users": users})
    with common.timed("indexes and ANALYZE"):
        common.execute(url, *(definition for _, definition in indexes))
        common.execute(url, *(f"SELECT setval(pg_get_serial_sequence('{t}', 'id'), (SELECT max(id) FROM {t}))"
                              for t in ("users", "project", "task", "task_run", "log_event")), "VACUUM ANALYZE")


def bench_jobs(url: str, snapshots_n: int) -> tuple[list[float], float, dict]:
    from pybossa_admin import create_app
    from pybossa_admin.extensions import db
    from plugins.history import jobs, snapshots
    with tempfile.TemporaryDirectory() as instance:
        app = create_app({"DATABASE_URL": url, "REDIS_URL": REDIS_URL, "SECRET_KEY": common.SECRET_KEY},
                         instance_path=instance)
        with app.app_context():
            daily = []
            for _ in range(snapshots_n):
                started = time.perf_counter()
                jobs.daily_snapshot()
                daily.append(time.perf_counter() - started)
            started = time.perf_counter()
            result = snapshots.backfill(365, overwrite=True)
            backfill_s = time.perf_counter() - started
            check = snapshots.series(365)
            db.engine.dispose()
    assert result["computed"] == 365 and not check["missing_days"]
    return daily, backfill_s, check




def bench_pages(url: str, n: int, middle_id: int) -> dict[str, list[float]]:
    results = {}
    paths = (("stats 365 days", "/admin/stats/?days=365"),
             ("stats 365 days JSON", "/admin/stats?days=365&response_format=json"),
             ("logs auth tab", "/admin/logs/?channel=auth"),
             ("logs deep keyset page", f"/admin/logs/?channel=platform&before={middle_id}"),
             ("logs text search", "/admin/logs/?channel=all&q=number+4242+for"),
             ("logs user filter", "/admin/logs/?channel=auth&user=user77"))
    with common.Gunicorn(url, workers=2, redis_url=REDIS_URL, ready_path="/account/signin") as server:
        session = common.signed_in_session(server.url, ADMIN_NAME, ADMIN_PASSWORD)
        for label, path in paths:
            for _ in range(10):
                assert session.get(server.url + path).status_code == 200, path
            times = []
            for _ in range(n):
                started = time.perf_counter()
                response = session.get(server.url + path)
                times.append(time.perf_counter() - started)
                assert response.status_code == 200
            results[label] = times
    return results




def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(common.SCALES), default="S")
    parser.add_argument("--snapshots", type=int, default=5)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards (prints its name)")
    args = parser.parse_args(argv)
    scale = common.SCALES[args.scale]
    name, url = common.create_database("bench_history")
    try:
        print(f"seeding {name} at scale {args.scale} ...", file=sys.stderr, flush=True)
        started = time.perf_counter()
        with common.timed("migrate (flask_migrate.upgrade)"):
            common.migrate(url)
        seed(url, scale, LOG_ROWS[args.scale])
        seed_s = time.perf_counter() - started
        daily, backfill_s, check = bench_jobs(url, args.snapshots)
        middle = common.query(url, "SELECT (min(id) + max(id)) / 2 FROM log_event")[0][0]
        pages = bench_pages(url, args.requests, middle)
        info = common.versions(url)
        counts = common.query(url, "SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM project), "
                                   "(SELECT count(*) FROM task), (SELECT count(*) FROM task_run), "
                                   "(SELECT count(*) FROM log_event)")[0]
        print()
        print(f"stats-over-time and logs benchmark, scale {args.scale}: {counts[0]:,} users, {counts[1]:,} projects, "
              f"{counts[2]:,} tasks, {counts[3]:,} task runs over 365 days, {counts[4]:,} log rows over 90 days")
        print(f"PostgreSQL {info['postgresql']}, Python {info['python']}, {info['cpus']} CPUs; seeded in {seed_s:.0f} s")
        print(f"jobs in-process (app context); pages: gunicorn 2 workers (sync), one sequential signed-in client "
              f"over HTTP on loopback, {args.requests} requests each after 10 warm-ups")
        print(f"check: task runs in the 365-day series {sum(v or 0 for v in check['series']['task_runs']):,}, "
              f"completed tasks {sum(v or 0 for v in check['series']['completed_tasks']):,}, "
              f"users at the end {check['series']['users'][-1]:,}")
        print(f"daily snapshot job (2 days)  {common.describe_times(daily, False)}")
        print(f"backfill 365 days (once)     {backfill_s:.1f} s ({backfill_s / 365 * 1000:.0f} ms per day)")
        for label, times in pages.items():
            print(f"{label:<28} {common.describe_times(times, True)}")
    finally:
        if args.keep:
            print(f"kept database {name}", file=sys.stderr)
        else:
            common.drop_database(name)


if __name__ == "__main__":
    main()

"""Dashboard benchmark: refresh time (the real job, run by an rq SimpleWorker on Redis) and page latency.

    /work/venv/bin/python bench/dashboard.py --scale S|M [--refreshes 5] [--requests 300] [--keep]

Seeds a dedicated PostgreSQL database with SQL (generate_series, shapes of
shared/reference/bench-volumes.md: task runs over the last 30 days, 10 % anonymous, skewed volunteers),
migrated first with flask_migrate.upgrade. Then:
- refresh: enqueue plugins.stats.jobs.refresh_dashboard on `low` (Redis db 4) and run it with rq's
  SimpleWorker in this process, --refreshes times; wall time per run;
- page: gunicorn (2 workers, as on the 2-core reference machine) serves /admin/dashboard/; a signed-in
  client requests it sequentially (--requests times after 20 warm-ups), and the feed endpoint it polls.
Targets (issue 4): refresh under 10 s at M; page p95 under 50 ms.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common as common  # noqa: E402

REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/4")
ADMIN_NAME, ADMIN_PASSWORD = "benchadmin", "bench-password-123"
RUNS_PER_TASK = 10


def seed(url: str, scale: dict) -> None:
    users, projects, tasks = scale["users"], scale["projects"], scale["tasks"]
    assert scale["task_runs"] == tasks * RUNS_PER_TASK and users % RUNS_PER_TASK == 0
    from werkzeug.security import generate_password_hash
    # Secondary indexes are dropped during the load and rebuilt after (same definitions), as a restore would.
    indexes = common.query(url, """SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'
        AND tablename IN ('users', 'task', 'task_run', 'project') AND indexdef NOT LIKE 'CREATE UNIQUE%'""")
    common.execute(url, *(f'DROP INDEX "{name}"' for name, _ in indexes))
    with common.timed("users"):
        common.execute(url, """
            INSERT INTO users (id, name, fullname, email_addr, passwd_hash, api_key, admin, pro, enabled, restrict,
                               consent, locale, info, created)
            SELECT g, 'user' || g, 'User Number ' || g, 'user' || g || '@example.org', NULL,
                   md5('dash-key-' || g) || lpad(to_hex(g), 8, '0'), false, false, true, g %% 50 = 0, false, 'en',
                   '{}'::jsonb, now() - random() * interval '400 days'
            FROM generate_series(1, %(users)s) g""", params={"users": users})
        common.execute(url, """
            UPDATE users SET name = %(name)s, email_addr = 'benchadmin@example.org', admin = true,
                   passwd_hash = %(hash)s, restrict = false WHERE id = 1""",
                       params={"name": ADMIN_NAME, "hash": generate_password_hash(ADMIN_PASSWORD)})
    with common.timed("projects"):
        # 80 % published, 5 featured; created over 400 days, updated some time since.
        common.execute(url, """
            INSERT INTO project (id, short_name, name, description, long_description, owner_id, category_id, info,
                                 published, featured, paused, allow_anonymous_contributors, created, updated)
            SELECT g, 'project' || g, 'Project ' || g, 'About project ' || g, '', 1 + (g * 7919) %% %(users)s,
                   (SELECT min(id) FROM category) + g %% 2, '{"task_presenter": "<p>Answer</p>"}'::jsonb,
                   g %% 5 <> 0, g <= 5, false, true, c, c + random() * (now() - c)
            FROM (SELECT g, now() - random() * interval '400 days' AS c
                  FROM generate_series(1, %(projects)s) g) p""", params={"projects": projects, "users": users})
        # Publishes are audited; one published project in 20 was published in the last 30 days.
        common.execute(url, """
            INSERT INTO auditlog (project_id, project_short_name, user_id, user_name, created, action, caller,
                                  attribute, old_value, new_value)
            SELECT id, short_name, owner_id, 'user' || owner_id, now() - random() * interval '30 days', 'update',
                   'web', 'published', 'false', 'true'
            FROM project WHERE published AND id % 20 = 0""")
    with common.timed("tasks"):
        common.execute(url, """
            INSERT INTO task (id, project_id, created, state, quorum, calibration, priority_0, n_answers, info)
            SELECT g, (g - 1) / %(per)s + 1, now() - random() * interval '90 days', 'ongoing', 0, 0, 0, 30,
                   jsonb_build_object('image', 'img' || g)
            FROM generate_series(1, %(tasks)s) g""", params={"per": tasks // projects, "tasks": tasks})
    with common.timed("task runs"):
        # Ten runs per task. Answer k of a task comes from a user id congruent to k mod 10, so the users of
        # one task are distinct; within a class, random()^4 makes a few heavy contributors and a long tail.
        # Answer 9 is anonymous (10 %): user_ip and a cookie id, no user.
        common.execute(url, """
            INSERT INTO task_run (id, project_id, task_id, user_id, user_ip, anon_id, created, finish_time, info)
            SELECT (t - 1) * 10 + k + 1, (t - 1) / %(per)s + 1, t,
                   CASE WHEN k = 9 THEN NULL
                        ELSE 1 + k + 10 * floor(power(random(), 4) * (%(users)s / 10 - 1))::int END,
                   CASE WHEN k = 9 THEN '10.' || (t %% 250) || '.' || (t %% 199) || '.' || (t %% 97) END,
                   CASE WHEN k = 9 THEN md5('anon' || t) END,
                   f - (2 + random() * 300) * interval '1 second', f, '{"answer": "yes"}'::jsonb
            FROM (SELECT g AS t, k, now() - random() * interval '30 days' AS f
                  FROM generate_series(1, %(tasks)s) g CROSS JOIN generate_series(0, 9) k) r""",
                       params={"per": tasks // projects, "users": users, "tasks": tasks})
    with common.timed("indexes and ANALYZE"):
        common.execute(url, *(definition for _, definition in indexes))
        common.execute(url, *(f"SELECT setval(pg_get_serial_sequence('{t}', 'id'), (SELECT max(id) FROM {t}))"
                              for t in ("users", "project", "task", "task_run", "auditlog")), "VACUUM ANALYZE")


def bench_refresh(url: str, runs: int) -> tuple[list[float], dict]:
    import redis
    from rq import SimpleWorker

    from pybossa_admin import create_app
    from pybossa_admin.jobs import get_queue, get_redis
    from plugins.stats import jobs as stats_jobs

    redis.Redis.from_url(REDIS_URL).flushdb()
    with tempfile.TemporaryDirectory() as instance:
        app = create_app({"DATABASE_URL": url, "REDIS_URL": REDIS_URL, "SECRET_KEY": common.SECRET_KEY},
                         instance_path=instance)
        times, data = [], {}
        with app.app_context():
            for _ in range(runs):
                assert stats_jobs.request_refresh() == "queued"
                started = time.perf_counter()
                SimpleWorker([get_queue("low")], connection=get_redis()).work(burst=True)
                times.append(time.perf_counter() - started)
                from pybossa_admin.extensions import db
                db.session.expire_all()
                data = stats_jobs.snapshots.latest().data
                assert data["elapsed_ms"] > 0
            from pybossa_admin.extensions import db
            db.engine.dispose()
    return times, data




def bench_page(url: str, n: int) -> dict[str, list[float]]:
    results = {}
    with common.Gunicorn(url, workers=2, redis_url=REDIS_URL, ready_path="/account/signin") as server:
        session = common.signed_in_session(server.url, ADMIN_NAME, ADMIN_PASSWORD)
        for label, path in (("page", "/admin/dashboard/"), ("page JSON", "/admin/dashboard/?response_format=json"),
                            ("feed poll", "/admin/dashboard/activity")):
            for _ in range(20):
                assert session.get(server.url + path).status_code == 200
            times = []
            for _ in range(n):
                started = time.perf_counter()
                response = session.get(server.url + path)
                times.append(time.perf_counter() - started)
                assert response.status_code == 200 and len(response.content) > 1000
            results[label] = times
        html = session.get(server.url + "/admin/dashboard/").text
        assert 'id="dashboard-totals"' in html, "the page shows no snapshot"
    return results




def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(common.SCALES), default="S")
    parser.add_argument("--refreshes", type=int, default=5)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards (prints its name)")
    args = parser.parse_args(argv)
    scale = common.SCALES[args.scale]
    name, url = common.create_database("bench_dashboard")
    try:
        print(f"seeding {name} at scale {args.scale} ...", file=sys.stderr, flush=True)
        seed_started = time.perf_counter()
        with common.timed("migrate (flask_migrate.upgrade)"):
            common.migrate(url)
        seed(url, scale)
        seed_s = time.perf_counter() - seed_started
        window = common.query(url, "SELECT count(*) FROM task_run WHERE finish_time >= date_trunc('day', now() "
                                   "AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' - interval '6 days'")[0][0]
        refresh, data = bench_refresh(url, args.refreshes)
        page = bench_page(url, args.requests)
        info = common.versions(url)
        counts = common.query(url, "SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM project), "
                                   "(SELECT count(*) FROM task), (SELECT count(*) FROM task_run)")[0]
        runs_week = sum(data["new_task_runs_week"]["series"][0])
        print()
        print(f"dashboard benchmark, scale {args.scale}: {counts[0]:,} users, {counts[1]:,} projects, "
              f"{counts[2]:,} tasks, {counts[3]:,} task runs over 30 days ({window:,} in the 7-day window)")
        print(f"PostgreSQL {info['postgresql']}, Python {info['python']}, {info['cpus']} CPUs; seeded in {seed_s:.0f} s")
        print(f"refresh: plugins.stats.jobs.refresh_dashboard on queue low, rq SimpleWorker, Redis {REDIS_URL}, "
              f"{args.refreshes} runs")
        print(f"page: gunicorn 2 workers (sync), one sequential signed-in client over HTTP on loopback, "
              f"{args.requests} requests each after 20 warm-ups")
        print(f"snapshot check: {runs_week:,} task runs in the week, returning users by days "
              f"{data['returning_users_week']['series'][0]}, active users today "
              f"{data['active_users_last_week']['series'][0][-1]:,}; SQL time in the job {data['elapsed_ms']:.0f} ms")
        print(f"refresh (wall, per job)   {common.describe_times(refresh, False)}   target < 10 s")
        for label, times in page.items():
            print(f"{label:<25} {common.describe_times(times, True)}" + ("   target p95 < 50 ms" if label == "page" else ""))
    finally:
        if args.keep:
            print(f"kept database {name}", file=sys.stderr)
        else:
            common.drop_database(name)


if __name__ == "__main__":
    main()

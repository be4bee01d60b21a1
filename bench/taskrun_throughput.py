"""POST /api/taskrun throughput: gunicorn (4 workers) on a seeded PostgreSQL, 32 concurrent volunteers.

    /work/venv/bin/python bench/taskrun_throughput.py --scale S [--rounds 3] [--seconds 15] [--rate 0]

Seeds a dedicated database through SQL at the bench-volumes shape (users, projects, tasks, task runs
over 30 days, 10 % anonymous), adds 32 volunteers with their own API keys, and lets each post answers
to tasks of its own published projects as fast as it can (closed loop; --rate N paces the whole crowd
at N posts/s instead). Every 25th post repeats the previous task on purpose: it must be refused (409).
After each round the database must hold exactly the accepted task runs, no duplicate, and one result
per completed task. Target: >= 300 accepted/s with p95 < 100 ms on 2 cores."""
from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common as common  # noqa: E402

VOLUNTEERS = 32
PROCESSES = 4
VOLUNTEER_BASE = 10_000_000   # bench volunteers' user ids start above every seeded id
DUPLICATE_EVERY = 25
TASKS_PER_ROUND = 300         # per volunteer: an upper bound on a round's posts


def seed(url: str, scale: dict) -> None:
    users, projects, tasks = scale["users"], scale["projects"], scale["tasks"]
    runs_per_task = scale["task_runs"] // tasks
    per_project = tasks // projects
    common.execute(url, """
        INSERT INTO users (id, name, fullname, email_addr, passwd_hash, api_key, admin, pro, enabled, restrict,
                           consent, locale, info, created)
        SELECT g, 'user' || g, 'User Number ' || g, 'user' || g || '@example.org', NULL,
               md5('seed-key-' || g) || lpad(to_hex(g), 8, '0'), g = 1, false, true, g %% 50 = 0, false, 'en',
               '{}'::jsonb, now() - random() * interval '400 days'
        FROM generate_series(1, %(users)s) g""", params={"users": users})
    common.execute(url, """
        INSERT INTO users (id, name, fullname, email_addr, api_key, admin, pro, enabled, restrict, consent,
                           locale, info, created)
        SELECT %(base)s + g, 'volunteer' || g, 'Bench Volunteer ' || g, 'volunteer' || g || '@example.org',
               'benchvolunteer' || lpad(g::text, 26, '0'), false, false, true, false, true, 'en', '{}'::jsonb,
               now() - interval '1 day'
        FROM generate_series(1, %(n)s) g""", params={"base": VOLUNTEER_BASE, "n": VOLUNTEERS})
    common.execute(url, """
        INSERT INTO project (id, short_name, name, description, long_description, owner_id, category_id, info,
                             published, featured, paused, allow_anonymous_contributors, created, updated)
        SELECT g, 'project' || g, 'Project ' || g, 'About project ' || g, '', g,
               (SELECT min(id) FROM category) + g %% 2,
               '{"task_presenter": "<p>Answer</p>"}'::jsonb, g %% 5 <> 0, g <= 5, false, true,
               now() - interval '60 days', now() - interval '1 day'
        FROM generate_series(1, %(projects)s) g""", params={"projects": projects})
    # n_answers: one task in ten needs 11 answers, so the first benchmark answer completes it (and writes
    # its result); the others need 30.
    common.execute(url, """
        INSERT INTO task (id, project_id, created, state, quorum, calibration, priority_0, n_answers, info)
        SELECT g, (g - 1) / %(per)s + 1, now() - interval '40 days', 'ongoing', 0, 0, 0,
               CASE WHEN g %% 10 = 0 THEN %(runs)s + 1 ELSE 30 END, jsonb_build_object('image', 'img' || g)
        FROM generate_series(1, %(tasks)s) g""", params={"per": per_project, "tasks": tasks, "runs": runs_per_task})
    # Skewed volunteers: a per-task base drawn as random()^3 (a few heavy contributors), then distinct
    # users per task; the last answer of each task is anonymous (10 %).
    common.execute(url, """
        INSERT INTO task_run (id, project_id, task_id, user_id, user_ip, anon_id, created, finish_time, info)
        SELECT (b.t - 1) * %(runs)s + k + 1, (b.t - 1) / %(per)s + 1, b.t,
               CASE WHEN k = %(runs)s - 1 THEN NULL ELSE ((b.base + k * 9973) %% %(users)s) + 1 END,
               CASE WHEN k = %(runs)s - 1 THEN '10.' || (b.t %% 250) || '.' || (b.t %% 199) || '.1' END,
               CASE WHEN k = %(runs)s - 1 THEN md5('anon' || b.t) END,
               b.created, b.created + (2 + random() * 300) * interval '1 second', '{"answer": "yes"}'::jsonb
        FROM (SELECT g AS t, floor(power(random(), 3) * %(users)s)::int AS base,
                     now() - random() * interval '30 days' AS created
              FROM generate_series(1, %(tasks)s) g) b
        CROSS JOIN generate_series(0, %(runs)s - 1) k""",
                   params={"runs": runs_per_task, "per": per_project, "users": users, "tasks": tasks})
    common.execute(url, *(f"SELECT setval(pg_get_serial_sequence('{t}', 'id'), (SELECT max(id) FROM {t}))"
                          for t in ("users", "project", "task", "task_run")), "ANALYZE")


def plan(url: str) -> list[list[tuple[int, int]]]:
    """For each volunteer, the (project_id, task_id) pairs it will answer, in order: the tasks of the
    published projects whose id is congruent to it modulo VOLUNTEERS."""
    rows = common.query(url, """SELECT t.project_id, t.id FROM task t JOIN project p ON p.id = t.project_id
                                WHERE p.published AND t.state = 'ongoing' ORDER BY t.project_id, t.id""")
    done = set(common.query(url, "SELECT task_id, user_id FROM task_run WHERE user_id > %s", (VOLUNTEER_BASE,)))
    plans = [[] for _ in range(VOLUNTEERS)]
    for project_id, task_id in rows:
        volunteer = project_id % VOLUNTEERS
        if (task_id, VOLUNTEER_BASE + volunteer + 1) not in done:
            plans[volunteer].append((project_id, task_id))
    return plans


def volunteer_loop(port, key, work, deadline, interval, out):
    """One volunteer: posts answers one after the other on a keep-alive connection."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    path = f"/api/taskrun?api_key={key}"
    headers = {"Content-Type": "application/json"}
    latencies, statuses = [], {}
    next_at = time.perf_counter()
    previous, i, sent = None, 0, 0
    while i < len(work) and time.time() < deadline:
        sent += 1
        if previous is not None and sent % DUPLICATE_EVERY == 0:
            project_id, task_id = previous       # a deliberate duplicate
        else:
            project_id, task_id = work[i]
            i += 1
        body = json.dumps({"project_id": project_id, "task_id": task_id, "info": {"answer": "yes"}})
        if interval:
            next_at += interval
            time.sleep(max(0.0, next_at - time.perf_counter()))
        start = time.perf_counter()
        try:
            conn.request("POST", path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            conn.close()
            status = 0
        elapsed = time.perf_counter() - start
        statuses[status] = statuses.get(status, 0) + 1
        if status == 200:
            latencies.append(elapsed)
        previous = (project_id, task_id)
    conn.close()
    out.append((latencies, statuses))


def process_main(port, jobs, deadline, interval, queue):
    started_cpu = time.process_time()
    out, threads = [], []
    for key, work in jobs:
        thread = threading.Thread(target=volunteer_loop, args=(port, key, work, deadline, interval, out))
        thread.start()
        threads.append(thread)
    for thread in threads:
        thread.join()
    queue.put((out, time.process_time() - started_cpu))


def run_round(server, url, plans, round_no, seconds, rate):
    port = server.port
    keys = ["benchvolunteer" + str(v + 1).zfill(26) for v in range(VOLUNTEERS)]
    start_at = round_no * TASKS_PER_ROUND
    jobs = [(keys[v], plans[v][start_at:start_at + TASKS_PER_ROUND]) for v in range(VOLUNTEERS)]
    interval = VOLUNTEERS / rate if rate else 0.0
    queue = multiprocessing.Queue()
    app_pids = server.worker_pids()
    app_cpu, db_cpu = common.cpu_seconds(app_pids), common.cpu_seconds(common.backend_pids(url))
    started = time.time()
    deadline = started + seconds
    processes = [multiprocessing.Process(target=process_main,
                                         args=(port, jobs[p::PROCESSES], deadline, interval, queue))
                 for p in range(PROCESSES)]
    for proc in processes:
        proc.start()
    finished = [queue.get() for _ in processes]
    results = [item for out, _ in finished for item in out]
    client_cpu = sum(cpu for _, cpu in finished)
    elapsed = time.time() - started
    app_cpu = common.cpu_seconds(app_pids) - app_cpu
    db_cpu = common.cpu_seconds(common.backend_pids(url)) - db_cpu  # backends persist (pooled connections)
    for proc in processes:
        proc.join()
    latencies = [x for lat, _ in results for x in lat]
    statuses = {}
    for _, st in results:
        for status, count in st.items():
            statuses[status] = statuses.get(status, 0) + count
    posts = max(1, sum(statuses.values()))
    return {"elapsed": elapsed, "accepted": statuses.get(200, 0), "statuses": statuses, "load": common.load_average(),
            "cpu_ms": {"app": app_cpu / posts * 1000, "db": db_cpu / posts * 1000, "client": client_cpu / posts * 1000},
            "rate": statuses.get(200, 0) / elapsed, "p50": common.percentile(latencies, 50) * 1000,
            "p95": common.percentile(latencies, 95) * 1000, "p99": common.percentile(latencies, 99) * 1000}


def check(url: str, accepted_total: int) -> dict:
    stored = common.query(url, "SELECT count(*) FROM task_run WHERE user_id > %s", (VOLUNTEER_BASE,))[0][0]
    duplicates = common.query(url, """SELECT count(*) FROM (SELECT task_id, user_id FROM task_run
                                      WHERE user_id IS NOT NULL GROUP BY 1, 2 HAVING count(*) > 1) d""")[0][0]
    completed = common.query(url, "SELECT count(*) FROM task WHERE state = 'completed'")[0][0]
    results = common.query(url, "SELECT count(*) FROM result")[0][0]
    orphans = common.query(url, """SELECT count(*) FROM task t WHERE t.state = 'completed'
                                   AND NOT EXISTS (SELECT 1 FROM result r WHERE r.task_id = t.id)""")[0][0]
    short = common.query(url, """SELECT count(*) FROM task t WHERE t.state = 'completed'
                                 AND (SELECT count(*) FROM task_run r WHERE r.task_id = t.id) <> t.n_answers""")[0][0]
    return {"stored": stored, "accepted": accepted_total, "duplicates": duplicates, "completed": completed,
            "results": results, "completed_without_result": orphans, "completed_with_wrong_count": short}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(common.SCALES), default="S")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--rate", type=float, default=0.0, help="paced total posts/s (0: as fast as possible)")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=1,
                        help="threads per worker (1: sync workers, gunicorn's default and the fastest here; gthread when > 1)")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", metavar="DATABASE", help="a database kept by --keep (no seeding; for tuning)")
    args = parser.parse_args(argv)
    scale = common.SCALES[args.scale]

    if args.reuse:
        name, url = args.reuse, common.database_url(args.reuse)
        args.keep = True
    else:
        name, url = common.create_database("bench_taskrun")
    try:
        if not args.reuse:
            print(f"preparing database {name} (scale {args.scale})", file=sys.stderr, flush=True)
            with common.timed("migrate"):
                common.migrate(url)
            with common.timed("seed"):
                seed(url, scale)
        baseline = common.query(url, "SELECT count(*) FROM task_run WHERE user_id > %s", (VOLUNTEER_BASE,))[0][0]
        plans = plan(url)
        versions = common.versions(url)
        rounds = []
        settings = {"API_RATE_LIMIT": 10_000_000, "API_RATE_WINDOW": 900}
        with common.Gunicorn(url, workers=args.workers, threads=args.threads, settings=settings) as server:
            warmup = run_round(server, url, plans, args.rounds, 3.0, args.rate)  # on tasks after the rounds'

            for round_no in range(args.rounds):
                rounds.append(run_round(server, url, plans, round_no, args.seconds, args.rate))
                print(f"  round {round_no + 1}: {rounds[-1]['rate']:.0f}/s", file=sys.stderr, flush=True)
        verdict = check(url, baseline + warmup["accepted"] + sum(r["accepted"] for r in rounds))
    finally:
        if not args.keep:
            common.drop_database(name)

    print()
    print("POST /api/taskrun throughput")
    print(f"scale {args.scale}: {scale['users']:,} users, {scale['projects']:,} projects, {scale['tasks']:,} tasks, "
          f"{scale['task_runs']:,} task runs seeded")
    print(f"PostgreSQL {versions['postgresql']}, Python {versions['python']}, {versions['cpus']} CPUs, "
          f"gunicorn {args.workers} workers x {args.threads} thread(s), "
          f"{VOLUNTEERS} volunteers in {PROCESSES} client processes, "
          + (f"paced at {args.rate:.0f} posts/s" if args.rate else "closed loop (no think time)"))
    print(f"every {DUPLICATE_EVERY}th post is a deliberate duplicate (expected 409)")
    for i, r in enumerate(rounds, 1):
        statuses = ", ".join(f"{k}: {v}" for k, v in sorted(r["statuses"].items()))
        print(f"round {i}: {r['accepted']} accepted in {r['elapsed']:.1f} s = {r['rate']:.0f}/s; "
              f"p50 {r['p50']:.1f} ms, p95 {r['p95']:.1f} ms, p99 {r['p99']:.1f} ms  [{statuses}]; CPU per post: "
              f"app {r['cpu_ms']['app']:.2f} ms, PostgreSQL {r['cpu_ms']['db']:.2f} ms, client "
              f"{r['cpu_ms']['client']:.2f} ms; load average {r['load']}")
    ok = (verdict["stored"] == verdict["accepted"] and verdict["duplicates"] == 0
          and verdict["completed"] == verdict["results"] and verdict["completed_without_result"] == 0
          and verdict["completed_with_wrong_count"] == 0)
    print(f"check: task runs stored {verdict['stored']} = accepted {verdict['accepted']} (incl. warm-up "
          f"{warmup['accepted']}); "
          f"duplicates {verdict['duplicates']}; completed tasks {verdict['completed']}, results "
          f"{verdict['results']}, completed without result {verdict['completed_without_result']}, with a wrong "
          f"answer count {verdict['completed_with_wrong_count']} -> {'OK' if ok else 'FAILED'}")
    server_ms = common.median([r["cpu_ms"]["app"] + r["cpu_ms"]["db"] for r in rounds])
    cpus = os.cpu_count() or 1
    print(f"server CPU per post (gunicorn workers + PostgreSQL backends): {server_ms:.2f} ms, i.e. at most "
          f"{cpus * 1000 / server_ms:.0f} posts/s on {cpus} otherwise idle cores (clients elsewhere)")
    rate = common.median([r["rate"] for r in rounds])
    p50 = common.median([r["p50"] for r in rounds])
    p95 = common.median([r["p95"] for r in rounds])
    print(f"median over {len(rounds)} rounds: {rate:.0f} accepted submissions/s, p50 {p50:.1f} ms, "
          f"p95 {p95:.1f} ms (worst round p95 {max(r['p95'] for r in rounds):.1f} ms); "
          f"target >= 300/s and p95 < 100 ms: {'met' if rate >= 300 and p95 < 100 else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

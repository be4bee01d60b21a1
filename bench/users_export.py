"""Benchmark: /admin/users/export?format=csv|json at 100k (S) or 1M (M) users, against PostgreSQL's own
COPY of the same columns in the same run, with the gunicorn worker's memory sampled during each export.

    /work/venv/bin/python bench/users_export.py --scale S|M [--runs N] [--reseed]

Targets (issue 4): export wall time within 3x of COPY; server memory growth under 50 MB.
"""
from __future__ import annotations

import argparse
import contextlib
import statistics
import threading
import time

import _users_bench as bench

COLUMNS = "id, name, fullname, email_addr, created, locale, admin, consent, restrict"


class Sink:
    """A file-like that only counts what COPY writes (no disk, no memory)."""

    def __init__(self):
        self.size = 0

    def write(self, data):
        self.size += len(data)


COPY_CSV = {
    "same rows and order": (f"COPY (SELECT {COLUMNS} FROM users WHERE NOT restrict ORDER BY id) "
                            "TO STDOUT WITH CSV HEADER"),
    "plain": f"COPY (SELECT {COLUMNS} FROM users) TO STDOUT WITH CSV",
}
# PostgreSQL writing the same JSON objects itself: the floor for a JSON export (twice the bytes of CSV).
COPY_JSON = (f"COPY (SELECT row_to_json(u) FROM (SELECT {COLUMNS} FROM users WHERE NOT restrict ORDER BY id) u) "
             "TO STDOUT WITH (FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02')")


def copy_once(url: str, statement: str) -> tuple[float, int]:
    sink = Sink()
    with contextlib.closing(bench.connect(url)) as conn, conn.cursor() as cur:
        cur.execute("SET TIME ZONE 'UTC'")
        started = time.perf_counter()
        cur.copy_expert(statement, sink)
        elapsed = time.perf_counter() - started
    return elapsed, sink.size


class RssSampler(threading.Thread):
    def __init__(self, pid: int, every: float = 0.02):
        super().__init__(daemon=True)
        self.pid, self.every, self.peak, self.running = pid, every, 0.0, True

    def run(self):
        while self.running:
            self.peak = max(self.peak, bench.rss_mb(self.pid))
            time.sleep(self.every)

    def stop(self) -> float:
        self.running = False
        self.join()
        return self.peak


def export_once(session, url: str, pid: int, fmt: str) -> dict:
    before = bench.rss_mb(pid)
    sampler = RssSampler(pid)
    sampler.start()
    started = time.perf_counter()
    size, first_byte = 0, None
    with session.get(f"{url}/admin/users/export", params={"format": fmt}, stream=True) as response:
        response.raise_for_status()
        for chunk in response.iter_content(chunk_size=1 << 20):
            if first_byte is None:
                first_byte = time.perf_counter() - started
            size += len(chunk)
    elapsed = time.perf_counter() - started
    peak = sampler.stop()
    return {"seconds": elapsed, "first_byte": first_byte, "bytes": size, "rss_before": before, "rss_peak": peak,
            "growth": peak - before}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(bench.SCALES), default="S")
    parser.add_argument("--runs", type=int, default=None, help="runs per measure (default 5 at S, 3 at M)")
    parser.add_argument("--reseed", action="store_true", help="rebuild the database even if it exists")
    args = parser.parse_args()
    runs = args.runs or (5 if args.scale == "S" else 3)
    url = bench.prepare(args.scale, args.reseed)

    copies = {label: [] for label in (*COPY_CSV, "json")}
    results = {"csv": [], "json": []}
    with bench.server(url) as server:
        session = bench.signed_in_session(server.url)
        (pid,) = server.worker_pids()
        session.get(server.url + "/admin/")                     # warm the worker (imports, templates)
        rss_start = bench.rss_mb(pid)
        for run in range(runs):                                 # interleaved, so drift hits all alike
            for label, statement in COPY_CSV.items():
                copies[label].append(copy_once(url, statement))
            copies["json"].append(copy_once(url, COPY_JSON))
            for fmt in ("csv", "json"):
                results[fmt].append(export_once(session, server.url, pid, fmt))
        rss_end = bench.rss_mb(pid)

    n = bench.SCALES[args.scale]
    print()
    print(f"scale {args.scale}: {n:,} users + 1 admin; {n - n // 50 + 1:,} exported (2 % restricted left out)")
    print(bench.describe(url))
    print("web: gunicorn, 1 sync worker process (server memory = that worker's RSS, sampled every 20 ms)")
    print(f"runs per measure: {runs}, interleaved (COPYs, CSV export, JSON export, COPYs, ...)")
    print()
    seconds = {label: [t for t, _ in values] for label, values in copies.items()}
    for label in COPY_CSV:
        print(f"COPY CSV, {label:19}: {bench.summary(seconds[label])}  [{copies[label][0][1] / 1e6:.1f} MB]")
    print(f"COPY JSON (row_to_json)     : {bench.summary(seconds['json'])}  [{copies['json'][0][1] / 1e6:.1f} MB]")
    copy_floor = min(statistics.median(seconds[label]) for label in COPY_CSV)
    for fmt in ("csv", "json"):
        rows = results[fmt]
        print(f"export {fmt.upper():4}                 : {bench.summary([r['seconds'] for r in rows])}  "
              f"[{rows[0]['bytes'] / 1e6:.1f} MB, first byte after "
              f"{statistics.median([r['first_byte'] for r in rows]) * 1000:.0f} ms]")
        print(f"  worker RSS growth during it: {bench.summary([r['growth'] for r in rows], 'MB', 1)}; "
              f"peak RSS {max(r['rss_peak'] for r in rows):.1f} MB")
    print()
    print("FIGURES")
    for fmt in ("csv", "json"):
        median = statistics.median([r["seconds"] for r in results[fmt]])
        worst_growth = max(r["growth"] for r in results[fmt])
        extra = (f"; {median / statistics.median(seconds['json']):.2f}x PostgreSQL's own COPY of the same JSON"
                 if fmt == "json" else "")
        print(f"  {fmt.upper():4} export median {median:.2f} s = {median / copy_floor:.2f}x COPY CSV "
              f"(faster COPY median {copy_floor:.2f} s; target <= 3x: "
              f"{'PASS' if median <= 3 * copy_floor else 'FAIL'}){extra}")
        print(f"       max worker RSS growth {worst_growth:.1f} MB (target < 50 MB: "
              f"{'PASS' if worst_growth < 50 else 'FAIL'})")
    print(f"  worker RSS {rss_start:.1f} MB before the first export, {rss_end:.1f} MB after all "
          f"{2 * runs} exports")


if __name__ == "__main__":
    main()

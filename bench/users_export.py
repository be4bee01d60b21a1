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

import _users_bench as common

COLUMNS = "id, name, fullname, email_addr, created, locale, admin, consent, restrict"


class Sink:
    """A file-like that only counts what COPY writes (no disk, no memory)."""

    def __init__(self):
        self.size = 0

    def write(self, data):
        self.size += len(data)


def copy_once(name: str, ordered: bool) -> tuple[float, int]:
    query = f"SELECT {COLUMNS} FROM users WHERE NOT restrict" + (" ORDER BY id" if ordered else "")
    sink = Sink()
    with contextlib.closing(common.connect(name)) as conn, conn.cursor() as cur:
        started = time.perf_counter()
        cur.copy_expert(f"COPY ({query}) TO STDOUT WITH CSV HEADER", sink)
        elapsed = time.perf_counter() - started
    return elapsed, sink.size


class RssSampler(threading.Thread):
    def __init__(self, pid: int, every: float = 0.02):
        super().__init__(daemon=True)
        self.pid, self.every, self.peak, self.running = pid, every, 0.0, True

    def run(self):
        while self.running:
            self.peak = max(self.peak, common.rss_mb(self.pid))
            time.sleep(self.every)

    def stop(self) -> float:
        self.running = False
        self.join()
        return self.peak


def export_once(session, url: str, pid: int, fmt: str) -> dict:
    before = common.rss_mb(pid)
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
    parser.add_argument("--scale", choices=sorted(common.SCALES), default="S")
    parser.add_argument("--runs", type=int, default=None, help="runs per measure (default 5 at S, 3 at M)")
    parser.add_argument("--reseed", action="store_true", help="rebuild the database even if it exists")
    args = parser.parse_args()
    runs = args.runs or (5 if args.scale == "S" else 3)
    name = common.prepare(args.scale, args.reseed)

    copies = {True: [], False: []}
    results = {"csv": [], "json": []}
    with common.Server(name) as server:
        session = common.signed_in_session(server.url)
        (pid,) = server.worker_pids()
        session.get(server.url + "/admin/")                     # warm the worker (imports, templates)
        rss_start = common.rss_mb(pid)
        for run in range(runs):                                 # interleaved, so drift hits all alike
            for ordered in (True, False):
                copies[ordered].append(copy_once(name, ordered))
            for fmt in ("csv", "json"):
                results[fmt].append(export_once(session, server.url, pid, fmt))
        rss_end = common.rss_mb(pid)

    exported = common.SCALES[args.scale] - common.SCALES[args.scale] // 50 + 1
    print()
    print(f"scale {args.scale}: {common.SCALES[args.scale]:,} users + 1 admin, {exported:,} exported "
          f"(2 % restricted left out)")
    print(common.versions(name))
    print("web: gunicorn, 1 sync worker process (server memory = that worker's RSS, sampled every 20 ms)")
    print(f"runs per measure: {runs}, interleaved")
    print()
    copy_ref = {k: [t for t, _ in v] for k, v in copies.items()}
    print(f"COPY (SELECT same columns WHERE NOT restrict ORDER BY id) TO STDOUT CSV: {common.summary(copy_ref[True])}"
          f"  [{copies[True][0][1] / 1e6:.1f} MB]")
    print(f"COPY (SELECT same columns WHERE NOT restrict)          TO STDOUT CSV: {common.summary(copy_ref[False])}")
    floor = min(statistics.median(copy_ref[True]), statistics.median(copy_ref[False]))
    for fmt in ("csv", "json"):
        rows = results[fmt]
        seconds = [r["seconds"] for r in rows]
        growth = [r["growth"] for r in rows]
        print(f"export {fmt.upper():4}: {common.summary(seconds)}  [{rows[0]['bytes'] / 1e6:.1f} MB, "
              f"first byte after {statistics.median([r['first_byte'] for r in rows]) * 1000:.0f} ms]")
        print(f"           worker RSS growth during export: {common.summary(growth, 'MB', 1)}; "
              f"peak RSS {max(r['rss_peak'] for r in rows):.1f} MB")
    print()
    print("FIGURES")
    for fmt in ("csv", "json"):
        median = statistics.median([r["seconds"] for r in results[fmt]])
        worst_growth = max(r["growth"] for r in results[fmt])
        print(f"  {fmt.upper():4} export median {median:.2f} s = {median / floor:.2f}x COPY "
              f"(COPY median {floor:.2f} s; target <= 3x: {'PASS' if median <= 3 * floor else 'FAIL'}); "
              f"max RSS growth {worst_growth:.1f} MB (target < 50 MB: {'PASS' if worst_growth < 50 else 'FAIL'})")
    print(f"  worker RSS {rss_start:.1f} MB before the first export, {rss_end:.1f} MB after all "
          f"{2 * runs} exports (+{rss_end - rss_start:.1f} MB)")


if __name__ == "__main__":
    main()

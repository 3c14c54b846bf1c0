"""Overload: the final submit driven at 4x the rate `consult serve` can sustain, for 30 s (issue 14).

1. Sustainable rate: closed-loop submits from --concurrency connections for --measure seconds; the rate of
   successful submits (303 to the confirmation page) is what the server can sustain.
2. Burst: open-loop arrivals at --factor x that rate for --duration seconds, each on a new connection, as
   respondents arrive whether or not the server keeps up. A submit refused with 503 leaves its draft as it was:
   it goes back in the pool and is sent again later, as the respondent presses the button again.
3. Recovery: from the end of the burst, one submit every 50 ms until one is accepted in under 0.5 s.

Printed: p99 of accepted submits in the burst (target < 2 s), the slowest refused answer (target < 100 ms),
responses lost or doubled (the database must hold exactly the acknowledged ones, and every other draft must
still be there: target 0) and the recovery time (target < 5 s); with the machine's load average before and
after, since other work shares it.

    PYTHONPATH=. python bench/overload.py                      # SQLite in a temp dir
    PYTHONPATH=. python bench/overload.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench_i14
    PYTHONPATH=. python bench/overload.py --gate-off           # the same, without the gate (OVERLOAD_CONCURRENCY=0)
"""
from __future__ import annotations

import argparse
import collections
import http.client
import math
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.submit_load import (  # noqa: E402
    SECRET_KEY,
    SLUG,
    await_health,
    free_port,
    prepare,
    stop,
    verify,
)


def load_average() -> str:
    return open("/proc/loadavg").read().split(" ")[0:3].__str__()


def serve(url: str, port: int, workdir: Path, gate: bool, settings: list[str] = ()) -> subprocess.Popen:
    """`consult serve` exactly as deployed (its default workers and threads), on a fresh instance folder."""
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": SECRET_KEY, "RATELIMIT_ENABLED": "0",
           "CONSULT_INSTANCE": str(workdir / "instance"), "PYTHONPATH": str(ROOT)}
    env.update(setting.split("=", 1) for setting in settings)
    if not gate:
        env["OVERLOAD_CONCURRENCY"] = "0"
    log = open(workdir / "serve.log", "ab")
    server = subprocess.Popen([sys.executable, "-c", "from consult.cli import main; main()", "serve", "--port", str(port)],
                              cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    return await_health(server, port, 60, workdir / "serve.log")


def submit(port: int, job) -> tuple[int, float, str]:
    """One submit on a new connection: (status, seconds, reference or error)."""
    started = time.monotonic()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=180)
        conn.request("POST", f"/s/{SLUG}/submit", job[1], {"Cookie": job[0],
                                                             "Content-Type": "application/x-www-form-urlencoded"})
        response = conn.getresponse()
        response.read()
        location = response.getheader("Location") or ""
        conn.close()
    except (OSError, http.client.HTTPException) as error:
        return 0, time.monotonic() - started, repr(error)
    took = time.monotonic() - started
    if response.status == 303 and f"/s/{SLUG}/confirmation/" in location:
        return 303, took, location.rsplit("/", 1)[1]
    return response.status, took, location


def closed_loop(port: int, jobs: list, connections: int, seconds: float) -> tuple[float, list[str], list]:
    """Submits from `connections` at once for `seconds`: (accepted per second, references, unused jobs)."""
    pool, lock, refs = collections.deque(jobs), threading.Lock(), []
    deadline = time.monotonic() + seconds
    started = time.monotonic()

    def run() -> None:
        while time.monotonic() < deadline:
            with lock:
                if not pool:
                    return
                job = pool.popleft()
            status, _took, ref = submit(port, job)
            with lock:
                if status == 303:
                    refs.append(ref)
                else:
                    pool.append(job)
            if status != 303:
                time.sleep(0.5)  # as a respondent would, before pressing again

    threads = [threading.Thread(target=run) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(refs) / (time.monotonic() - started), refs, list(pool)


def arrivals(port: int, jobs: list, rate: float, start_at: float, seconds: float, results) -> None:
    """One generator process: arrivals at `rate` per second from `start_at`, each sent at its time."""
    pool, lock, records = collections.deque(jobs), threading.Lock(), []
    late = 0

    def one() -> None:
        with lock:
            job = pool.popleft() if pool else None
        if job is None:
            records.append((-1, 0.0, "no draft left", time.monotonic()))
            return
        status, took, ref = submit(port, job)
        with lock:
            if status != 303:
                pool.append(job)  # not stored: the respondent presses the button again later
        records.append((status, took, ref, time.monotonic()))

    count = int(rate * seconds)
    with ThreadPoolExecutor(max_workers=256) as executor:
        for n in range(count):
            due = start_at + n / rate
            wait = due - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            elif wait < -0.05:
                late += 1
            executor.submit(one)
    results.put((records, late, list(pool)))


def burst(port: int, jobs: list, rate: float, seconds: float, processes: int):
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    start_at = time.monotonic() + 0.5
    workers = [context.Process(target=arrivals, args=(port, jobs[p::processes], rate / processes, start_at + p / rate,
                                                        seconds, results)) for p in range(processes)]
    for worker in workers:
        worker.start()
    parts = [results.get(timeout=seconds + 600) for _ in workers]
    for worker in workers:
        worker.join()
    end = start_at + seconds
    return [r for part in parts for r in part[0]], sum(part[1] for part in parts), [j for part in parts for j in part[2]], end


def recovery(port: int, jobs: list, burst_end: float) -> tuple[float, list[str]]:
    """Seconds from the end of the burst until a submit is accepted in under 0.5 s (one try every 50 ms)."""
    refs = []
    while time.monotonic() < burst_end:
        time.sleep(0.01)
    for job in jobs:
        status, took, ref = submit(port, job)
        if status == 303:
            refs.append(ref)
            if took < 0.5:
                return time.monotonic() - burst_end, refs
        time.sleep(0.05)
    return math.inf, refs


def percentile(values: list[float], q: int) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default="", help="default: SQLite in a temp dir")
    parser.add_argument("--measure", type=float, default=10.0, help="seconds to find the sustainable rate")
    parser.add_argument("--concurrency", type=int, default=8, help="connections while finding it")
    parser.add_argument("--factor", type=float, default=4.0)
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--processes", type=int, default=2, help="load generator processes in the burst")
    parser.add_argument("--drafts", type=int, default=0, help="drafts to prepare (default: enough for the run)")
    parser.add_argument("--rate", type=float, default=0.0, help="skip step 1: take this as the sustainable rate")
    parser.add_argument("--gate-off", action="store_true", help="serve without the overload gate, to compare")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="a setting for the server, like OVERLOAD_CONCURRENCY=1 (repeatable)")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="overload-"))
    url = args.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    if url.startswith("postgresql"):
        import psycopg
        from bench.submit_load import reset_postgres  # noqa: F401  (a fresh schema in the named database)

        with psycopg.connect(url.replace("postgresql+psycopg", "postgresql"), autocommit=True) as conn:
            conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
            conn.execute("CREATE SCHEMA public")
    drafts = args.drafts or 6000
    print(f"Preparing {drafts} drafts on {url.split('@')[-1]} ...", flush=True)
    app, jobs = prepare(url, drafts)
    port = free_port()
    server = serve(url, port, workdir, gate=not args.gate_off, settings=args.set)
    load_before = load_average()
    refs: list[str] = []
    try:
        _warm, refs, pool = closed_loop(port, jobs, args.concurrency, 3)  # first requests fill caches: not counted
        if args.rate:
            sustainable = args.rate
        else:
            sustainable, measured, pool = closed_loop(port, pool, args.concurrency, args.measure)
            refs += measured
        offered = sustainable * args.factor
        needed = int(sustainable * (args.duration + 30)) + 200
        if len(pool) < needed:
            print(f"warning: {len(pool)} drafts left for about {needed} accepted submits; use --drafts", flush=True)
        probes, pool = pool[:400], pool[400:]
        records, late, _left, end = burst(port, pool, offered, args.duration, args.processes)
        recovered, probe_refs = recovery(port, probes, end)
        time.sleep(1)
    finally:
        stop(server)
    load_after = load_average()
    accepted = [took for status, took, _ref, _t in records if status == 303]
    refused = [took for status, took, _ref, _t in records if status == 503]
    other = collections.Counter(str(ref)[:60] if status == 0 else status for status, _took, ref, _t in records
                                if status not in (303, 503))
    refs += [ref for status, _took, ref, _t in records if status == 303] + probe_refs
    problems = verify(app, drafts, refs)
    print(f"\n{'database':<12}{url.split(':')[0]}{' (gate off)' if args.gate_off else ''} {' '.join(args.set)}")
    print(f"{'load avg':<12}before {load_before}, after {load_after} ({os.cpu_count()} CPUs, client on the same machine)")
    print(f"sustainable {sustainable:.1f} submits/s ({args.concurrency} connections, {args.measure:.0f} s)")
    print(f"burst       {offered:.1f} arrivals/s for {args.duration:.0f} s: {len(records)} requests, "
          f"{len(accepted)} accepted, {len(refused)} refused (503), {sum(other.values())} other {dict(other) or ''}; "
          f"{late} sent more than 50 ms late by the client")
    print(f"accepted    p50 {percentile(accepted, 50) * 1000:.0f} ms, p99 {percentile(accepted, 99) * 1000:.0f} ms, "
          f"max {max(accepted, default=0) * 1000:.0f} ms  (target p99 < 2000 ms)")
    print(f"refused     p50 {percentile(refused, 50) * 1000:.1f} ms, p99 {percentile(refused, 99) * 1000:.1f} ms, "
          f"max {max(refused, default=0) * 1000:.1f} ms  (target max < 100 ms)")
    lost = [p for p in problems]
    print(f"lost/doubled {'0' if not lost else '; '.join(lost)}  ({len(set(refs))} acknowledged = stored; every other "
          "draft still there)")
    print(f"recovery    {recovered:.2f} s after the burst  (target < 5 s)")


if __name__ == "__main__":
    main()

"""Where the served process spends its CPU on a journey request: inside the app, or around it.

The server is started as `consult serve` starts it (gunicorn, its threaded workers and thread count, the access
log), but its WSGI callable is the app wrapped to add up the CPU time (of the thread) each request spends inside
the app: Flask, the overload gate, the views. Respondents walk whole journeys as `journey_load.py` walks them
(after --warmup seconds of the same, so that one-off costs such as compiling templates are left out), then GET
/healthz for as long. Printed per phase: the server processes' CPU per request (from /proc: the app, gunicorn's
HTTP work, threads and access log, and the app's background jobs), the part spent inside the app, and the rest; the
part of it spent in Python's cyclic garbage collector (in any thread of the server's processes, timed by
`gc.callbacks`); on PostgreSQL also its backends' CPU per request (they share the machine's cores, and are not the
server processes').

    .venv/bin/python bench/journey_served_cpu.py --database both --duration 15
"""
from __future__ import annotations

import argparse
import gc
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATS = os.environ.get("CONSULT_CPU_STATS")  # set in the served processes only
_lock = threading.Lock()
_seen = {"requests": 0, "app": 0.0}
_gc = [0.0, 0.0]  # CPU seconds in the cyclic garbage collector (any thread), and when the running one started
_app = None


def _time_gc(phase: str, _info: dict) -> None:
    # No lock: collections never overlap (each holds the GIL), and one may start inside `with _lock`.
    if phase == "start":
        _gc[1] = time.thread_time()
    else:
        _gc[0] += time.thread_time() - _gc[1]


def app(environ, start_response):
    """The served WSGI callable: consult's app, its CPU per request added up and written to CONSULT_CPU_STATS."""
    global _app
    if _app is None:
        from consult.wsgi import app as consult_app
        _app = consult_app
        gc.callbacks.append(_time_gc)
    started = time.thread_time()
    try:
        return _app(environ, start_response)
    finally:
        spent = time.thread_time() - started
        with _lock:
            _seen["requests"] += 1
            _seen["app"] += spent
            if _seen["requests"] % 50 == 0:
                Path(STATS, f"{os.getpid()}.txt").write_text(f"{_seen['requests']} {_seen['app']} {_gc[0]}\n")


def snapshot(directory: Path) -> dict[str, tuple[int, float, float]]:
    found = {}
    for path in directory.glob("*.txt"):
        requests, spent, collecting = path.read_text().split()
        found[path.name] = (int(requests), float(spent), float(collecting))
    return found


def inside_app(before: dict, after: dict) -> tuple[int, float, float]:
    """Requests, app CPU seconds and garbage collector CPU seconds between two snapshots (to the nearest 50
    requests per worker)."""
    totals = [0, 0.0, 0.0]
    for name, now in after.items():
        for column, (value, was) in enumerate(zip(now, before.get(name, (0, 0.0, 0.0)))):
            totals[column] += value - was
    return totals[0], totals[1], totals[2]


def main() -> None:
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    from journey_load import SECRET_KEY, BackendsSpent, prepared, walkers
    from submit_load import await_health, free_port, server_cpu, stop

    from config import Config

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--duration", type=float, default=15.0, help="seconds of journeys, then of hello")
    parser.add_argument("--warmup", type=float, default=5.0, help="seconds of journeys before measuring")
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    threads = max(Config.OVERLOAD_CONCURRENCY, 1) + Config.OVERLOAD_MAX_QUEUE + 8
    print(f"{'database':<11}{'phase':<9}{'requests':>9}{'req/s':>8}{'server CPU ms/req':>19}{'in app':>8}"
          f"{'around':>8}{'GC':>6}{'PG backends':>12}   load")
    for database in (["sqlite", "postgresql"] if args.database == "both" else [args.database]):
        with tempfile.TemporaryDirectory(prefix="consult-served-cpu-") as tmp:
            workdir, stats = Path(tmp), Path(tmp) / "stats"
            stats.mkdir()
            os.environ.update(CONSULT_INSTANCE=str(workdir / "instance"), SECRET_KEY=SECRET_KEY)
            url = prepared(database, workdir)
            port = free_port()
            env = {**os.environ, "DATABASE_URL": url, "RATELIMIT_ENABLED": "0", "CONSULT_CPU_STATS": str(stats),
                   "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "bench"), os.environ.get("PYTHONPATH", "")])}
            log = open(workdir / "gunicorn.log", "ab")
            server = subprocess.Popen([  # as `consult serve` (consult/cli.py), with the wrapped app
                str(ROOT / ".venv" / "bin" / "gunicorn"), "--workers", "2", "--worker-class",
                "consult.serving.ThreadWorker", "--threads", str(threads), "--backlog", "256", "--bind",
                f"127.0.0.1:{port}", "--access-logfile", "-", "--no-control-socket", "journey_served_cpu:app"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
            try:
                await_health(server, port, 120, workdir / "gunicorn.log")
                walkers(port, args.concurrency, time.monotonic() + args.warmup, 99, hello=False)
                for phase, hello in (("journey", False), ("hello", True)):
                    time.sleep(0.5)
                    backends = BackendsSpent(url)
                    cpu, before, backends_before = server_cpu(server), snapshot(stats), backends()
                    walked = walkers(port, args.concurrency, time.monotonic() + args.duration, 0, hello=hello)
                    cpu, after = server_cpu(server) - cpu, snapshot(stats)
                    backend_ms = (backends() - backends_before) * 1000 / max(walked["requests"], 1)
                    counted, spent, collecting = inside_app(before, after)
                    whole = cpu * 1000 / max(walked["requests"], 1)
                    app_ms = spent * 1000 / max(counted, 1)
                    print(f"{database:<11}{phase:<9}{walked['requests']:>9}{walked['per_s']:>8.1f}{whole:>19.2f}"
                          f"{app_ms:>8.2f}{whole - app_ms:>8.2f}{collecting * 1000 / max(counted, 1):>6.2f}"
                          f"{(f'{backend_ms:.2f}' if database == 'postgresql' else '-'):>12}   {os.getloadavg()[0]:.1f}"
                          + (f"  ({len(walked['errors'])} errors)" if walked["errors"] else ""), flush=True)
            finally:
                stop(server)


if __name__ == "__main__":
    main()

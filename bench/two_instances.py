"""Whole respondent journeys through one `consult serve` instance, then through two, on the same machine.

The deployment the README describes, in miniature: app servers sharing one PostgreSQL database and one Redis
(background jobs, such as the campaign signatures each submit queues, run on one `consult jobs worker`). Each
simulated respondent walks the Keep it Local survey as a browser does (bench/journey_load.py's walk, CSRF on),
but sends each request to the next instance in turn, as a round-robin proxy would. Three set-ups are run, each on
a freshly migrated database:

  1 instance x W workers  |  2 instances x W workers each  |  1 instance x 2W workers (as many processes as two)

Printed per set-up: complete journeys/s, requests/s, p50/p95/p99 latency, errors, and a check that the database
holds exactly one response per confirmed journey. Everything here shares this machine's CPUs (the client, the
servers, the worker, PostgreSQL and Redis), so a second instance on the same machine can only show what the
shared database and Redis cost and that nothing is lost; the gain from a second machine is its CPUs.

    .venv/bin/python bench/two_instances.py --duration 20 --concurrency 8 \\
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench_two_instances --redis-url redis://127.0.0.1:6379/7
"""
from __future__ import annotations

import argparse
import http.client
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from journey_load import Browser, journey, percentiles, run_together  # noqa: E402
from submit_load import await_health, free_port, plausible_answers, server_cpu, stop  # noqa: E402

SECRET_KEY = "bench-only-secret-key-shared-by-the-instances"


class RoundRobin(Browser):
    """One respondent's browser behind a round-robin proxy: each request goes to the next instance."""

    def __init__(self, ports: list[int]):
        super().__init__(ports[0])
        self.slots = [[port, http.client.HTTPConnection("127.0.0.1", port, timeout=60)] for port in ports]
        self.turn = 0

    def request(self, method, path, body=None):
        slot = self.slots[self.turn % len(self.slots)]
        self.turn += 1
        self.port, self.conn = slot
        try:
            return super().request(method, path, body)
        finally:
            slot[1] = self.conn


def reset(url: str) -> None:
    """An empty database at `url` (created if need be), migrated, with the survey open."""
    from flask_migrate import upgrade
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {parsed.database} WITH (FORCE)"))
        connection.execute(text(f"CREATE DATABASE {parsed.database}"))
    admin.dispose()

    from consult import create_app
    from consult.extensions import db
    from consult.surveys.services import load_file

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET_KEY})
    with app.app_context():
        upgrade()
        load_file(ROOT / "surveys" / "keep-it-local.yaml", open_survey=True)
        db.session.remove()
        db.engine.dispose()


def start(name: str, arguments: list[str], env: dict[str, str], workdir: Path) -> subprocess.Popen:
    consult = Path(sys.executable).with_name("consult")
    command = [str(consult)] if consult.exists() else [sys.executable, "-c", "from consult.cli import main; main()"]
    (workdir / f"instance-{name}").mkdir(exist_ok=True)
    log = open(workdir / f"{name}.log", "ab")
    return subprocess.Popen(command + arguments, cwd=workdir, stdout=log, stderr=subprocess.STDOUT,
                            env={**env, "CONSULT_INSTANCE": str(workdir / f"instance-{name}")})


def wait_healthy(server: subprocess.Popen, port: int, log: Path) -> None:
    await_health(server, port, 90, log)


def walk(ports: list[int], count: int, duration: float, seed: int) -> dict:
    lock = threading.Lock()
    done, errors, latencies = [], [], []
    deadline = time.monotonic() + duration

    def run(number: int) -> None:
        rng = random.Random(seed * 1000 + number)
        browser = RoundRobin(ports)
        browser.turn = number  # respondents start on different instances
        i = 0
        while time.monotonic() < deadline:
            try:
                reference = journey(browser, plausible_answers(rng, number * 100000 + i))
                with lock:
                    done.append(reference)
            except Exception as error:  # noqa: BLE001  (counted and shown, the run goes on)
                with lock:
                    errors.append(repr(error)[:300])
            browser.cookies.clear()
            i += 1
        with lock:
            latencies.extend(browser.latencies)

    elapsed = run_together(run, count)
    cuts = percentiles(latencies)
    return {"refs": done, "errors": errors, "requests": len(latencies), "elapsed": elapsed,
            "p50": cuts[49] * 1000, "p95": cuts[94] * 1000, "p99": cuts[98] * 1000}


def stored(url: str) -> set[str]:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as connection:
        found = set(connection.execute(text("SELECT reference FROM response")).scalars())
    engine.dispose()
    return found


def run_setup(instances: int, workers: int, args, workdir: Path) -> dict:
    reset(args.database_url)
    from redis import Redis

    Redis.from_url(args.redis_url).flushdb()
    env = {**os.environ, "DATABASE_URL": args.database_url, "REDIS_URL": args.redis_url, "SECRET_KEY": SECRET_KEY,
           "RATELIMIT_ENABLED": "0", "PYTHONPATH": str(ROOT), "OVERLOAD_MAX_WAIT_SECONDS": str(args.max_wait)}
    env.pop("JOBS_MODE", None)
    processes, servers = [start("worker", ["jobs", "worker"], env, workdir)], []
    try:
        ports = [free_port() for _ in range(instances)]
        for n, port in enumerate(ports):
            servers.append(start(f"app{n}", ["serve", "--port", str(port), "--workers", str(workers)], env, workdir))
        processes += servers
        for n, (server, port) in enumerate(zip(servers, ports)):
            wait_healthy(server, port, workdir / f"app{n}.log")
        cpu = sum(server_cpu(s) for s in servers)
        result = walk(ports, args.concurrency, args.duration, args.seed)
        result["server_ms"] = (sum(server_cpu(s) for s in servers) - cpu) * 1000 / max(result["requests"], 1)
    finally:
        for process in processes:
            stop(process)
    found = stored(args.database_url)
    refs = result["refs"]
    result["lost_or_doubled"] = len(set(refs) ^ found) + (len(refs) - len(set(refs)))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of journeys per set-up")
    parser.add_argument("--concurrency", type=int, default=8, help="respondents walking at once (default 8)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per instance (default 2)")
    parser.add_argument("--database-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/bench_two_instances",
                        help="a PostgreSQL database this script may drop and create")
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/7"),
                        help="a Redis database this script may empty")
    parser.add_argument("--max-wait", type=float, default=60.0,
                        help="OVERLOAD_MAX_WAIT_SECONDS for the servers (default 60: measure throughput, turn nobody "
                             "away)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    setups = [(1, args.workers), (2, args.workers), (1, 2 * args.workers)]
    results = {}
    with tempfile.TemporaryDirectory(prefix="consult-two-") as tmp:
        os.environ.update(CONSULT_INSTANCE=str(Path(tmp) / "bench"), SECRET_KEY=SECRET_KEY)
        for instances, workers in setups:
            label = f"{instances} instance{'s' if instances > 1 else ''} x {workers} workers"
            print(f"{label}: load average {os.getloadavg()[0]:.1f} before the run", flush=True)
            results[label] = run_setup(instances, workers, args, Path(tmp))
            for error in results[label]["errors"][:3]:
                print(f"  error: {error}")
    print(f"\n{os.cpu_count()} CPUs shared by the instances, one jobs worker, PostgreSQL, Redis and the client "
          f"({args.concurrency} respondents, requests sent to the instances in turn), {args.duration:g} s each; "
          f"load average now {os.getloadavg()[0]:.1f}")
    print(f"{'set-up':<26}{'journeys':>9}{'journeys/s':>11}{'requests/s':>11}{'p50 ms':>8}{'p95 ms':>8}"
          f"{'p99 ms':>8}{'CPU ms/req':>11}{'errors':>7}{'lost/doubled':>13}")
    failed = False
    for label, r in results.items():
        print(f"{label:<26}{len(r['refs']):>9}{len(r['refs']) / r['elapsed']:>11.2f}{r['requests'] / r['elapsed']:>11.1f}"
              f"{r['p50']:>8.1f}{r['p95']:>8.1f}{r['p99']:>8.1f}{r['server_ms']:>11.2f}{len(r['errors']):>7}"
              f"{r['lost_or_doubled']:>13}")
        failed = failed or bool(r["errors"] or r["lost_or_doubled"])
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

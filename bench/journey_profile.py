"""Where a respondent's journey spends its time: whole journeys (every GET and POST, as `journey_load.py` walks
them) through the app in this process under cProfile, on a fresh database.

The test client stands in for the browser and gunicorn, so what is left is the app's own work per request:
routing, session and CSRF, database, forms, templates. Printed: wall ms per request by route and method after
a warm-up with the SQL statements each sends, then the functions with the most cumulative time (or `--sort tottime`).

    .venv/bin/python bench/journey_profile.py --database sqlite --journeys 40
    .venv/bin/python bench/journey_profile.py --database postgresql --journeys 40 --top 60 --sort tottime

Instructions, free of the shared machine's noise (the app and the test client; not PostgreSQL's backends):

    valgrind --tool=callgrind --callgrind-out-file=/tmp/cg.%p .venv/bin/python bench/journey_profile.py \
        --journeys 10 --warmup 3 --no-profile --callgrind /tmp/cg

With --callgrind the submits' background jobs stay queued (JOBS_GATHER_SECONDS of an hour): they run in threads
of this process, and how many ran in the measured time depended on how fast the journeys went, which moved the
count by up to 2x between runs of the same code (two runs under callgrind at once).
"""
from __future__ import annotations

import argparse
import collections
import cProfile
import os
import pstats
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import event
from werkzeug.datastructures import MultiDict

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from journey_load import SECRET_KEY, prepare  # noqa: E402
from journey_page import Form, fill, hidden  # noqa: E402
from submit_load import PG_URL, SLUG, plausible_answers, reset_postgres  # noqa: E402


class StatementCounter:
    """SQL statements the app sends to the database, counted by engine event listeners: those SQLAlchemy
    executes, plus one for each connection taken from the pool while the engine pings on checkout
    (`pool_pre_ping`, which runs its SELECT 1 without an execute event). On PostgreSQL also the round trips to
    the server, counted in psycopg: every statement a cursor sends (an executemany as one), and every BEGIN,
    COMMIT, ROLLBACK or DEALLOCATE psycopg sends of its own accord. A statement made through psycopg's own
    cursor (`consult.driver_statements`: a question page's survey-and-draft read and its save) sends no event,
    so on PostgreSQL it is among the round trips but not the statements."""

    def __init__(self, engine):
        self.count = self.background = self.trips = 0
        self.pings = bool(engine.pool._pre_ping)
        self.requests = threading.main_thread()  # the test client's requests; background jobs run in threads
        event.listen(engine, "before_cursor_execute", self._seen)
        event.listen(engine, "checkout", self._checkout)
        if engine.dialect.name == "postgresql":
            self._count_round_trips()

    def _count_round_trips(self) -> None:
        import psycopg
        from psycopg._connection_base import BaseConnection

        def counted(original):
            def call(*args, **kwargs):
                if threading.current_thread() is self.requests:
                    self.trips += 1
                return original(*args, **kwargs)
            return call

        BaseConnection._exec_command = counted(BaseConnection._exec_command)
        psycopg.Cursor.execute = counted(psycopg.Cursor.execute)
        psycopg.Cursor.executemany = counted(psycopg.Cursor.executemany)

    def _seen(self, *_args, pings: int = 1) -> None:
        if threading.current_thread() is self.requests:
            self.count += pings
        else:
            self.background += pings

    def _checkout(self, *_args) -> None:
        self._seen(pings=int(self.pings))


class TestBrowser:
    """The test client, timing each request (and counting its SQL statements) by route."""

    def __init__(self, client, counter: StatementCounter | None = None):
        self.client = client
        self.counter = counter
        self.times: dict[str, list[float]] = collections.defaultdict(list)
        self.statements: dict[str, list[int]] = collections.defaultdict(list)
        self.trips: dict[str, list[int]] = collections.defaultdict(list)
        self.cpu: dict[str, list[float]] = collections.defaultdict(list)

    def request(self, method: str, path: str, body=None):
        before = self.counter.count if self.counter else 0
        trips = self.counter.trips if self.counter else 0
        t0, cpu = time.perf_counter(), time.thread_time()
        response = self.client.open(path, method=method, data=None if body is None else MultiDict(body))
        label = f"{method} " + re.sub(r"/[A-Z]+-[0-9A-Z-]+$", "/N", urlsplit(path).path)
        label = re.sub(r"/page/[0-9]+$", "/page/N", label)
        self.times[label].append(time.perf_counter() - t0)
        self.cpu[label].append(time.thread_time() - cpu)
        if self.counter:
            self.statements[label].append(self.counter.count - before)
            self.trips[label].append(self.counter.trips - trips)
        return response.status_code, response.headers.get("Location"), response.get_data(as_text=True)

    def follow(self, status, location, html):
        while status in (301, 302, 303) and location:
            parts = urlsplit(location)
            status, location, html = self.request("GET", parts.path + ("?" + parts.query if parts.query else ""))
        return status, location, html


def walk(browser: TestBrowser, answers: dict) -> None:
    status, _, html = browser.request("GET", f"/s/{SLUG}/")
    form = Form(html)
    status, location, html = browser.follow(*browser.request("POST", form.action, hidden(form) + [("website", "")]))
    for _ in range(60):
        if f"/s/{SLUG}/check" in (location or "") or "Check your answers" in html:
            break
        form = Form(html)
        status, location, html = browser.follow(*browser.request(
            "POST", form.action, fill(form, answers) + [("action", "continue")]))
        if status != 200:
            raise RuntimeError(f"a page answered {status}")
    form = Form(html)
    status, location, html = browser.request("POST", form.action, hidden(form) + [("website", "")])
    if status != 303:
        raise RuntimeError(f"submit answered {status}")
    browser.follow(status, location, html)


def dumped_instructions(prefix: str) -> int:
    """Callgrind's instruction count since the last zeroing, dumped now (to OUT_FILE_PREFIX.<pid>.<n>)."""
    pid = os.getpid()
    subprocess.run(["callgrind_control", "--dump=journeys", str(pid)], check=True, capture_output=True)
    newest = max(Path(prefix).parent.glob(f"{Path(prefix).name}.{pid}.*"), key=lambda path: path.stat().st_mtime)
    for line in newest.read_text().splitlines():
        if line.startswith(("summary:", "totals:")):
            return int(line.split()[1])
    raise RuntimeError(f"no totals in {newest}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--journeys", type=int, default=40)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--top", type=int, default=45, help="functions to list")
    parser.add_argument("--routes", type=int, default=12, help="routes to list (by total time)")
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--save", help="also write the profile to this file (for pstats)")
    parser.add_argument("--no-profile", action="store_true", help="time the requests only (no profiler)")
    parser.add_argument("--callgrind", metavar="OUT_FILE_PREFIX",
                        help="running under callgrind with --callgrind-out-file=OUT_FILE_PREFIX.%%p: count the "
                             "instructions of the measured journeys alone (zeroed before them, dumped after)")
    parser.add_argument("--cpu", action="store_true",
                        help="profile the thread's CPU time, not wall time (a machine shared with other work)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="consult-profile-") as tmp:
        os.environ.update(CONSULT_INSTANCE=str(Path(tmp) / "instance"), SECRET_KEY=SECRET_KEY)
        if args.database == "postgresql":
            reset_postgres()
            url = PG_URL
        else:
            url = f"sqlite:///{Path(tmp) / 'profile.sqlite3'}"
        prepare(url)
        from consult import create_app

        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET_KEY, "RATELIMIT_ENABLED": False,
                          **({"JOBS_GATHER_SECONDS": 3600.0} if args.callgrind else {})})
        with app.app_context():
            from consult.extensions import db

            counter = StatementCounter(db.engine)
        rng = random.Random(0)
        for i in range(args.warmup):
            walk(TestBrowser(app.test_client()), plausible_answers(rng, i))
        counter.background = 0
        profile = cProfile.Profile(time.thread_time) if args.cpu else cProfile.Profile()
        totals: dict[str, list[float]] = collections.defaultdict(list)
        statements: dict[str, list[int]] = collections.defaultdict(list)
        trips: dict[str, list[int]] = collections.defaultdict(list)
        cpu: dict[str, list[float]] = collections.defaultdict(list)
        started = time.perf_counter()
        if args.callgrind:
            subprocess.run(["callgrind_control", "--zero", str(os.getpid())], check=True, capture_output=True)
        if not args.no_profile:
            profile.enable()
        for i in range(args.journeys):
            browser = TestBrowser(app.test_client(), counter)
            walk(browser, plausible_answers(rng, 1000 + i))
            for label, times in browser.times.items():
                totals[label].extend(times)
                statements[label].extend(browser.statements[label])
                trips[label].extend(browser.trips[label])
                cpu[label].extend(browser.cpu[label])
        profile.disable()
        elapsed = time.perf_counter() - started
        if args.callgrind:
            instructions = dumped_instructions(args.callgrind)
        hello = TestBrowser(app.test_client())
        for _ in range(200):
            hello.request("GET", "/healthz")
    count = sum(len(t) for t in totals.values())
    print(f"{args.journeys} journeys, {count} requests, {elapsed * 1000 / count:.2f} ms per request "
          f"{'' if args.no_profile else 'under the profiler '}({elapsed * 1000 / args.journeys:.0f} ms per "
          f"journey, with the client's work); GET /healthz "
          f"{statistics.median(hello.times['GET /healthz']) * 1000:.2f} ms (median, no profiler)")
    sql = sum(sum(counts) for counts in statements.values())
    print(f"SQL statements: {sql / count:.2f} per request, {sql / args.journeys:.1f} per journey "
          f"({'with a' if counter.pings else 'no'} ping per pool checkout); background jobs' statements in the "
          f"same time: {counter.background / args.journeys:.1f} per journey")
    if args.callgrind:
        print(f"Instructions (callgrind): {instructions / args.journeys / 1e6:.1f}M per journey, "
              f"{instructions / count / 1e6:.2f}M per request")
    all_cpu = [c for times in cpu.values() for c in times]
    print(f"CPU (the requests' thread: the app and the test client, not background jobs): "
          f"{statistics.mean(all_cpu) * 1000:.2f} ms per request; load average "
          f"{os.getloadavg()[0]:.1f}")
    if counter.trips:
        print(f"Round trips to PostgreSQL: {sum(sum(t) for t in trips.values()) / count:.2f} per request")
    print(f"  {'route':<40}{'count':>6}{'median ms':>12}{'CPU ms mean':>12}{'CPU median':>12}{'SQL/request':>12}"
          + (f"{'trips/req':>10}" if counter.trips else ""))
    for label, times in sorted(totals.items(), key=lambda item: -sum(item[1]))[:args.routes]:
        print(f"  {label:<40}{len(times):>6}{statistics.median(times) * 1000:>12.2f}"
              f"{statistics.mean(cpu[label]) * 1000:>12.2f}{statistics.median(cpu[label]) * 1000:>12.2f}"
              f"{statistics.mean(statements[label]):>12.2f}"
              + (f"{statistics.mean(trips[label]):>10.2f}" if counter.trips else ""))
    if args.no_profile:
        return
    pstats.Stats(profile).sort_stats(args.sort).print_stats(args.top)
    if args.save:
        profile.dump_stats(args.save)


if __name__ == "__main__":
    main()

"""Whole respondent journeys under `consult serve`, against a bare route of the same server, same client, same run.

Each simulated respondent does what a browser does: opens the start page, presses Start, then on every question
page GETs the page and POSTs the form it finds there (filled from a plausible Keep it Local response, choosing
the first option where the response has no value), follows each redirect, GETs "check your answers", submits,
and opens the confirmation page. Cookies and CSRF tokens are kept as a browser keeps them; CSRF stays on. Each
respondent's journey is on a kept-alive connection of its own, as a new browser's would be; the hello threads open
a new connection as often (`Browser.reconnect`).

The server is started exactly as a deployment starts it (`consult serve`, its default workers), on a fresh
database (SQLite in a temp dir, or the `bench_consult` PostgreSQL database, never `test`; BENCH_PG_DATABASE
names another, so benches run side by side do not empty each other's). --concurrency
respondents walk at once, and as many client threads GET /healthz; the two take turns (--turns each, 4 by
default, journey_turns.py), so that each has --duration seconds and a drift in the machine's speed falls on both.
First the fresh server warms up (--warmup seconds of each, 5 by default, not counted): its first journeys
compile the templates and fill the per-process page caches, and ran at about half speed (measured with
--show-turns: 269 requests/s in the first 5 s on PostgreSQL, 507-624 in the turns after), which a surge of an
hour does not see.

Printed: complete journeys/s, journey requests/s and their p50/p95/p99 latency, hello requests/s, the ratio
of journey requests/s to hello requests/s (target: at least 0.25), server CPU ms per journey request (and, on
a line of its own, server and client CPU ms per request in each phase, and on PostgreSQL its backends' CPU ms per
journey request: all share the machine's cores), and a
check that the database holds exactly one response per confirmed journey.

    .venv/bin/python bench/journey_load.py --database both --duration 20 --concurrency 8
"""
from __future__ import annotations

import argparse
import http.client
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from journey_page import Form, fill, hidden  # noqa: E402
from journey_turns import HELLO_PER_CONNECTION, Turns, take_turns  # noqa: E402
from submit_load import (  # noqa: E402
    PG_DATABASE,
    PG_SERVER,
    PG_URL,
    SLUG,
    await_health,
    free_port,
    plausible_answers,
    reset_postgres,
    server_cpu,
    stop,
)

SECRET_KEY = "bench-only-secret-key-for-journeys"


class Browser:
    """One respondent's connection and cookies."""

    def __init__(self, port: int, kind: str = "journey", turns: Turns | None = None):
        self.port, self.kind, self.turns = port, kind, turns
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}
        self.latencies: list[float] = []
        self.refused = 0  # busy pages (503): the walker waits Retry-After and sends the same request again

    def reconnect(self) -> None:
        """Start afresh, as another respondent's browser would: a new connection and no cookies. gunicorn's
        workers accept new connections by chance (measured with `ss`: the 8 walkers' kept-alive connections split
        7 to 1 between the two workers in one turn, 5 to 3 in another), and a worker's requests take one core at a
        time (Python's GIL), so a connection kept for a whole turn could leave a core part idle for all of it.
        A new respondent's browser opens its own connections anyway."""
        self.conn.close()
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        self.cookies.clear()

    def request(self, method: str, path: str, body: list[tuple[str, str]] | None = None):
        """One request as a person makes it: on the busy page, wait as it asks, then press the button again."""
        for _ in range(10):
            status, location, html, retry_after = self._request(method, path, body)
            if status != 503 or retry_after is None:
                break
            self.refused += 1
            time.sleep(min(float(retry_after), 2.0))
        return status, location, html

    def _request(self, method: str, path: str, body: list[tuple[str, str]] | None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.turns:
            self.turns.begin(self.kind)  # waits for this kind's turn (journey_turns.py)
        try:
            for attempt in range(2):
                t0 = time.monotonic()
                try:
                    self.conn.request(method, path, data, headers)
                    response = self.conn.getresponse()
                    payload = response.read()
                    break
                except (OSError, http.client.HTTPException):
                    self.conn.close()
                    self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                    if attempt:
                        raise
            self.latencies.append(time.monotonic() - t0)  # before the turn may end (journey_turns.py counts them)
        finally:
            if self.turns:
                self.turns.end()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        if response.getheader("Connection", "").lower() == "close":
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        return (response.status, response.getheader("Location"), payload.decode("utf-8", "replace"),
                response.getheader("Retry-After"))

    def follow(self, status: int, location: str | None, html: str):
        while status in (301, 302, 303) and location:
            status, location, html = self.request("GET", urlsplit(location).path + (
                "?" + urlsplit(location).query if urlsplit(location).query else ""))
        return status, location, html


def journey(browser: Browser, answers: dict, stored: Callable[[str], None] | None = None) -> str:
    """One whole response; returns its reference (and hands it to `stored` as soon as the submit is answered)."""
    status, _, html = browser.request("GET", f"/s/{SLUG}/")
    form = Form(html)
    status, location, html = browser.request("POST", form.action, hidden(form) + [("website", "")])
    status, location, html = browser.follow(status, location, html)
    for _ in range(60):
        if f"/s/{SLUG}/check" in (location or "") or "Check your answers" in html:
            break
        form = Form(html)
        if form.action is None:
            raise RuntimeError(f"no form on the page ({status}): {html[:200]!r}")
        status, location, html = browser.request("POST", form.action, fill(form, answers) + [("action", "continue")])
        if status == 400:
            raise RuntimeError(f"a page refused the answers: {html[html.find('There is a problem'):][:300]!r}")
        status, location, html = browser.follow(status, location, html)
    form = Form(html)
    status, location, html = browser.request("POST", form.action, hidden(form) + [("website", "")])
    if status != 303 or "/confirmation/" not in (location or ""):
        raise RuntimeError(f"submit answered {status} {location}")
    if stored:
        stored(location.rsplit("/", 1)[1])
    browser.follow(status, location, html)
    return location.rsplit("/", 1)[1]


def walkers(port: int, count: int, deadline: float, seed: int, hello: bool) -> dict:
    lock = threading.Lock()
    done: list[str] = []
    errors: list[str] = []
    latencies: list[float] = []
    requests, refused = [0], [0]

    def run(number: int) -> None:
        rng = random.Random(seed * 1000 + number)
        browser = Browser(port)
        i = 0
        while time.monotonic() < deadline:
            try:
                if hello:
                    browser.request("GET", "/healthz")
                    if (i + 1) % HELLO_PER_CONNECTION == 0:
                        browser.reconnect()
                else:
                    reference = journey(browser, plausible_answers(rng, number * 100000 + i))
                    with lock:
                        done.append(reference)
                    browser.reconnect()
            except Exception as error:  # noqa: BLE001  (counted and shown, the run goes on)
                with lock:
                    errors.append(repr(error)[:300])
                browser.reconnect()
            i += 1
        with lock:
            latencies.extend(browser.latencies)
            requests[0] += len(browser.latencies) - browser.refused  # busy pages are not counted as served
            refused[0] += browser.refused

    elapsed = run_together(run, count)
    cuts = percentiles(latencies)
    return {"journeys": len(done), "refs": done, "errors": errors, "requests": requests[0], "refused": refused[0],
            "elapsed": elapsed,
            "per_s": requests[0] / elapsed, "p50": cuts[49] * 1000, "p95": cuts[94] * 1000, "p99": cuts[98] * 1000}


def run_together(run, count: int) -> float:
    """Run `run(n)` for n in range(count) on as many threads at once; the seconds until all have finished."""
    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.monotonic() - started


def percentiles(latencies: list[float]) -> list[float]:
    """The 1st to 99th percentiles of `latencies` (seconds), as every bench here reports them."""
    return statistics.quantiles(latencies, n=100, method="inclusive") if len(latencies) > 1 else [0.0] * 99


def serve(url: str, port: int, workdir: Path, workers: int | None = None) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": SECRET_KEY, "RATELIMIT_ENABLED": "0",
           "CONSULT_INSTANCE": str(workdir / "instance")}
    log = open(workdir / "gunicorn.log", "ab")
    server = subprocess.Popen([str(ROOT / ".venv" / "bin" / "consult"), "serve", "--port", str(port),
                               *(["--workers", str(workers)] if workers else [])],
                              cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    # A machine shared with other work can take a while to boot workers.
    return await_health(server, port, 120, workdir / "gunicorn.log")


def prepare(url: str) -> None:
    from consult import create_app
    from consult.extensions import db
    from consult.surveys.services import load_file
    from flask_migrate import upgrade

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET_KEY})
    with app.app_context():
        upgrade()
        load_file(ROOT / "surveys" / "keep-it-local.yaml", open_survey=True)
        db.engine.dispose()


def stored(url: str) -> set[str]:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as connection:
        found = set(connection.execute(text("SELECT reference FROM response")).scalars())
    engine.dispose()
    return found


def prepared(database: str, workdir: Path) -> str:
    """The address of an empty database of the kind named, migrated and holding the Keep it Local survey."""
    if database == "postgresql":
        reset_postgres()
        url = PG_URL
    else:
        url = f"sqlite:///{workdir / 'journey.sqlite3'}"
    prepare(url)
    return url


def postgres_cpu(url: str) -> dict[int, float]:
    """CPU seconds used so far by each PostgreSQL backend connected to the bench's database (Linux /proc: the
    server runs on this machine), by process id; {} for SQLite. The server's shared processes (WAL writer,
    checkpointer) serve every database on it, and are left out."""
    if not url.startswith("postgresql"):
        return {}
    import psycopg

    with psycopg.connect(f"{PG_SERVER} dbname={PG_DATABASE}", autocommit=True) as conn:
        pids = conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                            [PG_DATABASE]).fetchall()
    spent = {}
    for (pid,) in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # gone meanwhile
            continue
        spent[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return spent


class BackendsSpent:
    """A meter of the PostgreSQL backends' CPU seconds so far (0 on SQLite): each backend as last read, so that one
    ending meanwhile (a pooled connection closed) keeps what it spent, and one starting counts from 0."""

    def __init__(self, url: str):
        self.url, self.seen = url, {}

    def __call__(self) -> float:
        self.seen.update(postgres_cpu(self.url))
        return sum(self.seen.values())


def bench(database: str, args, workdir: Path) -> dict:
    url = prepared(database, workdir)
    port = free_port()
    server = serve(url, port, workdir, args.workers)
    try:
        run = take_turns(lambda kind, turns: Browser(port, kind, turns), journey, plausible_answers,
                         count=args.concurrency, duration=args.duration, turns=args.turns, seed=args.seed,
                         meters={"server": lambda: server_cpu(server), "client": time.process_time,
                                 "postgres": BackendsSpent(url)}, warmup=args.warmup)
    finally:
        stop(server)
    if args.show_turns:
        for turn in run["turns"]:
            per_request = {meter: turn[meter] * 1000 / max(turn["requests"], 1)
                           for meter in ("server", "client", "postgres")}
            print(f"  {database} {turn['kind']:<8} turn: {turn['requests'] / turn['seconds']:>7.1f} requests/s, "
                  f"CPU ms per request server {per_request['server']:.2f}, client {per_request['client']:.2f}"
                  + (f", PostgreSQL backends {per_request['postgres']:.2f}" if url.startswith("postgresql") else ""))
    for kind in ("journey", "hello"):
        part = run[kind]
        cuts = percentiles(part.pop("latencies"))
        part.update(p50=cuts[49] * 1000, p95=cuts[94] * 1000, p99=cuts[98] * 1000)
        for meter in ("server", "client", "postgres"):
            part[f"{meter}_ms"] = part.pop(meter) * 1000 / max(part["requests"], 1)
    walked = run["journey"]
    found = stored(url)
    walked["lost_or_doubled"] = len(set(walked["refs"]) ^ found) + (len(walked["refs"]) - len(set(walked["refs"])))
    return {"journey": walked, "hello": run["hello"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of journeys, then of hello")
    parser.add_argument("--concurrency", type=int, default=8, help="respondents walking at once (default 8)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=None,
                        help="`consult serve --workers` (default: consult serve's own default)")
    parser.add_argument("--turns", type=int, default=4,
                        help="turns each of journeys and the bare route take, in alternation (journey_turns.py)")
    parser.add_argument("--warmup", type=float, default=5.0,
                        help="seconds of journeys, then of the bare route, on the fresh server before anything is "
                             "counted (default 5; 0 counts from the first request)")
    parser.add_argument("--show-turns", action="store_true", help="also print each turn's figures")
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory(prefix="consult-journey-") as tmp:
        os.environ.update(CONSULT_INSTANCE=str(Path(tmp) / "instance"), SECRET_KEY=SECRET_KEY)
        for database in (["sqlite", "postgresql"] if args.database == "both" else [args.database]):
            print(f"{database}: load average {os.getloadavg()[0]:.1f} before the run", flush=True)
            results[database] = bench(database, args, Path(tmp))
            for error in results[database]["journey"]["errors"][:3]:
                print(f"{database} journey error: {error}")
    print(f"\n{os.cpu_count()} CPUs shared by `consult serve` and the client ({args.concurrency} respondents), "
          f"{args.duration:g} s each in {args.turns} turns, taken in alternation; load average now {os.getloadavg()[0]:.1f}")
    print(f"{'database':<11}{'journeys':>9}{'journeys/s':>11}{'requests/s':>11}{'p50 ms':>8}{'p95 ms':>8}"
          f"{'p99 ms':>8}{'CPU ms/req':>11}{'hello/s':>9}{'ratio':>7}{'errors':>7}{'lost/doubled':>13}")
    failed = False
    for database, r in results.items():
        j, h = r["journey"], r["hello"]
        ratio = j["per_s"] / h["per_s"] if h["per_s"] else float("nan")
        print(f"{database:<11}{j['journeys']:>9}{j['journeys'] / j['elapsed']:>11.2f}{j['per_s']:>11.1f}"
              f"{j['p50']:>8.1f}{j['p95']:>8.1f}{j['p99']:>8.1f}{j['server_ms']:>11.2f}{h['per_s']:>9.1f}"
              f"{ratio:>7.3f}{len(j['errors']):>7}{j['lost_or_doubled']:>13}")
        print(f"{'':<11}CPU ms per request, server / client: journey {j['server_ms']:.2f} / {j['client_ms']:.2f}, "
              f"hello {h['server_ms']:.2f} / {h['client_ms']:.2f}"
              + (f"; PostgreSQL backends {j['postgres_ms']:.2f} per journey request" if database == "postgresql"
                 else "") + f"; busy pages {j['refused']} (the walker waited as asked and sent the request again)")
        failed = failed or bool(j["errors"] or j["lost_or_doubled"])
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

"""Load test of the respondent's final submit ("Accept and send") under gunicorn, on loopback.

What is measured: throughput and latency of POST /s/keep-it-local/submit, the request that turns a
complete draft into a stored response (CSRF check, draft lookup, completeness check, insert of the
response and its answers, delete of the draft, one durable commit), against the same server's bare
GET /healthz for comparison. Each submit POST is what a browser sends: a signed session cookie naming
its own draft, the CSRF token for that session (CSRF stays on) and the draft's submission token.

How: a fresh database (SQLite in a temp dir, or the `bench_consult` PostgreSQL database, never `test`)
is migrated, the Keep it Local survey is loaded and N complete drafts are written through
`consult.responses.services`. gunicorn then serves `consult.wsgi:app` with 2 sync workers (as
`consult serve` does; without its access log), and PROCESSES x THREADS load generator threads each
keep one http.client connection (gunicorn's sync workers close it after every response, so in practice
every request opens a TCP connection). Every request submits a different draft; a run stops at
--duration seconds or when the drafts run out. Each submit must answer 303 to the confirmation page;
afterwards the database must hold exactly one response per successful submit.

Columns: responses/s counts successful answers over the time from the start to the last answer;
latencies are client-side, send to last byte, so with more connections than gunicorn's 2 sync workers
they are mostly time spent queued. "server CPU ms/req" is the CPU gunicorn's processes used (from /proc)
per request: PostgreSQL's own backends are not in it, but it moves far less than throughput when other
work shares the machine. "client cores" is the generator's own CPU use: it runs on the same machine
and competes with gunicorn for the same cores, which holds the hello figure down most.

    make bench                                   # .venv/bin/python bench/submit_load.py
    .venv/bin/python bench/submit_load.py --database sqlite --duration 15 --drafts 3000 --concurrency 16
"""
from __future__ import annotations

import argparse
import http.client
import itertools
import multiprocessing
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SLUG = "keep-it-local"
SECRET_KEY = "bench-only-secret-key-shared-with-gunicorn"
PG_SERVER = "host=127.0.0.1 port=5432 user=postgres"
# BENCH_PG_DATABASE: another database to use, so benches run side by side do not empty each other's.
PG_DATABASE = os.environ.get("BENCH_PG_DATABASE", "bench_consult")
PG_URL = f"postgresql+psycopg://postgres@127.0.0.1:5432/{PG_DATABASE}"
SAY = "We run a lunch club and a debt advice drop-in. The council's contracts are too big for us to bid for. "


def plausible_answers(rng: random.Random, i: int) -> dict:
    """A complete Keep it Local response; half individuals, half organisations, some wanting contact."""
    a = lambda value, text=None: {"value": value, "text": text}  # noqa: E731
    answers = {"respondent_type": a(rng.choice(["community_organisation", "charity", "member_of_public",
                                                "commissioner", "councillor"])),
               "barriers": a(rng.sample(["contract_scale", "procurement_process", "price_competition",
                                         "short_contracts", "monitoring_burden"], 3)),
               "barriers_detail": a(None, SAY * rng.randint(1, 6)),
               "what_works": a(None, "Grants over three years, and officers who visit us. " * 2),
               "publish_consent": a(rng.choice(["with_name", "anonymous", "not_published"])),
               "contact_consent": a("yes" if i % 3 == 0 else "no")}
    for n in range(1, 7):
        answers[f"principle_{n}_agreement"] = a(rng.choice(["strongly_agree", "agree", "neither", "disagree"]))
        if rng.random() < 0.5:
            answers[f"principle_{n}_why"] = a(None, SAY * rng.randint(1, 3))
    if i % 2:
        answers.update(capacity=a("organisation"), organisation_name=a(None, f"Bench Community Trust {i}"),
                       organisation_type=a("community_organisation"), organisation_income=a("from_10k_to_100k"),
                       organisation_areas=a(["leeds", "bradford"]))
    else:
        answers.update(capacity=a("individual"), local_authority=a("amber-valley"))
    if answers["publish_consent"]["value"] == "with_name":
        answers["respondent_name"] = a(None, f"Respondent {i}")
    if answers["contact_consent"]["value"] == "yes":
        answers["contact_email"] = a(f"respondent{i}@example.org")
    return answers


def reset_postgres() -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER} dbname=postgres", autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [PG_DATABASE]).fetchone() is None:
            conn.execute(f"CREATE DATABASE {PG_DATABASE}")
    with psycopg.connect(f"{PG_SERVER} dbname={PG_DATABASE}", autocommit=True) as conn:
        conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
        conn.execute("CREATE SCHEMA public")


def prepare(url: str, drafts: int):
    """Migrate, load the survey, write complete drafts; return the app and one submit body per draft."""
    from consult import create_app
    from consult.extensions import db
    from consult.responses import services
    from consult.surveys.services import load_file
    from flask import session
    from flask_migrate import upgrade
    from flask_wtf.csrf import generate_csrf

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET_KEY, "RATELIMIT_ENABLED": False})
    rng = random.Random(20261122)
    tokens = []
    with app.app_context():
        upgrade()
        survey = load_file(ROOT / "surveys" / "keep-it-local.yaml", open_survey=True).survey
        for i in range(drafts):
            draft = services.start_draft(survey)
            tokens.append((draft.token, draft.submission_token))
            draft.answers = plausible_answers(rng, i)  # saved by the next start_draft's commit
        db.session.commit()
        db.engine.dispose()
    # Outside the app context above, so each request context gets its own app context (and `g`,
    # where generate_csrf caches the signed token).
    serializer = app.session_interface.get_signing_serializer(app)
    jobs = []
    for token, submission_token in tokens:
        with app.test_request_context():
            session["drafts"] = {SLUG: token}
            csrf_token = generate_csrf()  # keeps the raw token in session["csrf_token"]
            cookie = serializer.dumps(dict(session))
        jobs.append((f"{app.config['SESSION_COOKIE_NAME']}={cookie}",
                     urlencode({"csrf_token": csrf_token, "submission_token": submission_token})))
    return app, jobs


def verify(app, drafts: int, refs: list[str]) -> list[str]:
    """Problems with what the database holds after the submit run (an empty list when all is well)."""
    from consult.extensions import db
    from consult.responses.models import Draft, Response
    from sqlalchemy import func, select

    with app.app_context():
        stored = set(db.session.scalars(select(Response.reference)))
        tokens = db.session.scalar(select(func.count(func.distinct(Response.submission_token))))
        left = db.session.scalar(select(func.count()).select_from(Draft))
        db.session.remove()
        db.engine.dispose()
    problems = []
    if len(set(refs)) != len(refs):
        problems.append(f"{len(refs) - len(set(refs))} submits answered with a reference already given")
    if stored != set(refs):
        problems.append(f"{len(stored)} responses stored for {len(refs)} successful submits")
    if tokens != len(stored) or left != drafts - len(stored):
        problems.append(f"{tokens} distinct submission tokens, {left} drafts left of {drafts}")
    return problems


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(url: str, port: int, workdir: Path) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": SECRET_KEY, "RATELIMIT_ENABLED": "0",
           "CONSULT_INSTANCE": str(workdir / "instance")}
    log = open(workdir / "gunicorn.log", "ab")
    server = subprocess.Popen([str(ROOT / ".venv" / "bin" / "gunicorn"), "--workers", "2", "--bind",
                               f"127.0.0.1:{port}", "--no-control-socket", "consult.wsgi:app"],
                              cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    return await_health(server, port, 30, workdir / "gunicorn.log")


def await_health(server: subprocess.Popen, port: int, seconds: float, log: Path) -> subprocess.Popen:
    """The server, once it answers GET /healthz with 200; stopped, with its log's tail, if it has not in `seconds`
    (every bench that starts a server waits through this)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and server.poll() is None:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.2)
    stop(server)
    raise RuntimeError(f"the server on port {port} did not answer /healthz:\n"
                       + log.read_text(errors="replace")[-2000:])


def log_tail(workdir: Path, lines: int = 15) -> str:
    return "\n".join((workdir / "gunicorn.log").read_text(errors="replace").splitlines()[-lines:])


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def server_cpu(server: subprocess.Popen) -> float:
    """CPU seconds used so far by the gunicorn master and its workers (Linux /proc)."""
    pids = [server.pid, *Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()]
    ticks = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])  # utime and stime
    return ticks / os.sysconf("SC_CLK_TCK")


def generator(port: int, jobs, threads: int, start_at: float, deadline: float, results) -> None:
    """One load generator process: `threads` connections taking jobs until the deadline or no jobs left.

    A job is (cookie, body) for a submit POST, or None for GET /healthz.
    """
    lock, source = threading.Lock(), iter(jobs)
    latencies, refs, errors, ends = [], [], [], []

    def run() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while time.monotonic() < deadline:
            with lock:
                job = next(source, StopIteration)
            if job is StopIteration:
                break
            t0 = time.monotonic()
            try:
                if job is None:
                    conn.request("GET", "/healthz")
                else:
                    conn.request("POST", f"/s/{SLUG}/submit", job[1], {
                        "Cookie": job[0], "Content-Type": "application/x-www-form-urlencoded"})
                response = conn.getresponse()
                body = response.read()
                location = response.getheader("Location") or ""
                t1 = time.monotonic()
            except (OSError, http.client.HTTPException) as error:
                conn.close()
                errors.append(repr(error))
                continue
            latencies.append(t1 - t0)
            if job is None and response.status == 200 and body == b"ok":
                refs.append(None)
            elif job is not None and response.status == 303 and f"/s/{SLUG}/confirmation/" in location:
                refs.append(location.rsplit("/", 1)[1])
            else:
                errors.append(f"{response.status} {location or body[:80]!r}")
            ends.append(t1)
        conn.close()

    while time.monotonic() < start_at:
        time.sleep(0.001)
    cpu = time.process_time()
    workers = [threading.Thread(target=run) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    results.put((latencies, refs, errors, max(ends, default=start_at), time.process_time() - cpu))


def drive(server: subprocess.Popen, port: int, jobs, args) -> dict:
    """Run the generator processes over `jobs` (a list of submits, or None for hello) and gather figures."""
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    threads = max(1, args.concurrency // args.processes)
    start_at = time.monotonic() + 0.5
    deadline = start_at + args.duration
    processes = []
    for p in range(args.processes):
        share = itertools.repeat(None) if jobs is None else jobs[p::args.processes]
        processes.append(context.Process(target=generator, args=(port, share, threads, start_at, deadline, results)))
    cpu = server_cpu(server)
    for process in processes:
        process.start()
    parts = [results.get(timeout=args.duration + 120) for _ in processes]
    for process in processes:
        process.join()
    cpu = server_cpu(server) - cpu
    latencies = sorted(x for part in parts for x in part[0])
    refs = [r for part in parts for r in part[1]]
    errors = [e for part in parts for e in part[2]]
    elapsed = max(part[3] for part in parts) - start_at
    client_cpu = sum(part[4] for part in parts)
    cuts = statistics.quantiles(latencies, n=100, method="inclusive") if len(latencies) > 1 else [0.0] * 99
    requests = len(refs) + len(errors)
    return {"requests": requests, "server_ms": cpu * 1000 / requests if requests else 0.0, "errors": len(errors), "first_errors": errors[:3],
            "per_s": len(refs) / elapsed if elapsed > 0 else 0.0, "elapsed": elapsed, "refs": refs,
            "p50": cuts[49] * 1000, "p95": cuts[94] * 1000, "p99": cuts[98] * 1000,
            "client_cores": client_cpu / elapsed if elapsed > 0 else 0.0}


def bench(database: str, args, workdir: Path) -> tuple[dict, dict, list[str]]:
    if database == "postgresql":
        reset_postgres()
        url = PG_URL
    else:
        url = f"sqlite:///{workdir / 'bench.sqlite3'}"
    print(f"{database}: load average {os.getloadavg()[0]:.1f} before preparing (other work skews figures)")
    started = time.monotonic()
    app, jobs = prepare(url, args.drafts)
    print(f"{database}: {len(jobs)} drafts prepared in {time.monotonic() - started:.1f} s", flush=True)
    port = free_port()
    server = start_gunicorn(url, port, workdir)
    try:
        submit = drive(server, port, jobs, args)
        if submit["requests"] >= len(jobs):
            print(f"{database}: the drafts ran out after {submit['elapsed']:.1f} s; raise --drafts", flush=True)
        hello = drive(server, port, None, args)
    finally:
        stop(server)
    for name, figures in (("submit", submit), ("hello", hello)):
        for error in figures["first_errors"]:
            print(f"{database} {name} error: {error}")
    if submit["errors"] or hello["errors"]:
        print(f"{database}: end of the gunicorn log:\n{log_tail(workdir)}")
    problems = verify(app, len(jobs), submit["refs"])
    for problem in problems:
        print(f"{database} VERIFY FAILED: {problem}")
    return submit, hello, problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--duration", type=float, default=15.0, help="seconds per route (default 15)")
    parser.add_argument("--drafts", type=int, default=3000, help="complete drafts to prepare (default 3000)")
    parser.add_argument("--concurrency", type=int, default=16, help="connections in all (default 16)")
    parser.add_argument("--processes", type=int, default=2, help="load generator processes (default 2)")
    args = parser.parse_args()
    results, failed = {}, False
    with tempfile.TemporaryDirectory(prefix="consult-bench-") as tmp:
        os.environ.update(CONSULT_INSTANCE=str(Path(tmp) / "instance"), SECRET_KEY=SECRET_KEY)
        for database in (["sqlite", "postgresql"] if args.database == "both" else [args.database]):
            submit, hello, problems = bench(database, args, Path(tmp))
            results[database] = submit, hello
            failed = failed or bool(problems or submit["errors"] or hello["errors"])
    print(f"\n{os.cpu_count()} CPUs shared by gunicorn (2 sync workers) and the generator "
          f"({args.processes} processes x {max(1, args.concurrency // args.processes)} threads), "
          f"{args.duration:g} s per route; load average now {os.getloadavg()[0]:.1f}")
    print(f"{'database':<11}{'route':<8}{'requests':>9}{'errors':>8}{'resp/s':>9}"
          f"{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'server CPU ms/req':>19}{'client cores':>14}")
    for database, routes in results.items():
        for route, f in zip(("submit", "hello"), routes):
            print(f"{database:<11}{route:<8}{f['requests']:>9}{f['errors']:>8}{f['per_s']:>9.1f}"
                  f"{f['p50']:>9.1f}{f['p95']:>9.1f}{f['p99']:>9.1f}{f['server_ms']:>19.2f}"
                  f"{f['client_cores']:>14.2f}")
    for database, (submit, hello) in results.items():
        ratio = submit["per_s"] / hello["per_s"] if hello["per_s"] else float("nan")
        print(f"{database}: submit/hello throughput {ratio:.3f}")
    sys.exit(1 if failed else 0)

if __name__ == "__main__":
    main()

"""The researcher workspace at a million responses, on PostgreSQL: every reading page and filter, p50 / p95.

Build (`--build`, a few minutes): a fresh database (default `bench_million` on 127.0.0.1) migrated as the app
migrates it, the NHS feedback survey of bench/workspace_latency.py (respondent types in three groups), and N
responses written with COPY. Each response answers service, capacity, trust, rating and area, and one free-text
question whose text joins two real answers from ../shared/data/nhs-feedback/coded.jsonl (so most texts are
distinct), coded with both answers' human codes. Two organised campaigns are planted (2% and 0.5% of
responses: one letter with small edits). Coding as a survey part-way through analysis has it:
  * 60% of the texts coded by "human coders" (those without codes: "no code applies");
  * 2% of those double-coded by a second coder in a sample (a quarter of them disagreeing, half of those
    adjudicated), for the agreement pages;
  * 20% carry machine suggestions not yet reviewed; 20% untouched; every 50th text flagged.
Campaign signatures are worked out from the texts (consult.campaigns.signatures, as the signing job does) and
the campaigns found once (consult.campaigns.services.current_campaigns), both timed.

Measure (`--measure`, or without `--build`): signed in as a researcher through Flask's test client
(in-process, no network), each page `--requests` times after one warm-up request (and after any figures job that
request started has finished: see `finish_jobs`); prints p50 / p95 / max in ms and the load average (the machine
is shared: compare figures taken at a similar load). Then, with `--draft`,
a principles draft built by the background job (JOBS_MODE thread), timed from submit to ready.

    PYTHONPATH=. .venv/bin/python bench/workspace_million.py --build --responses 1000000
    PYTHONPATH=. .venv/bin/python bench/workspace_million.py --measure --requests 40 --draft
"""
from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from workspace_latency import CHANNELS, COUNCILS, DATA, PASSWORD, SLUG, TEXT_QUESTIONS, definition, read_rows, slug  # noqa: E402

PG_SERVER = "host=127.0.0.1 port=5432 user=postgres"
GROUPS = ["community", "councils", "others"]
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CAMPAIGN_LETTERS = [
    ("Keep our local hospital open. My family and neighbours rely on the emergency department and the maternity "
     "unit, and travelling to another town would put lives at risk. Please listen to the people who use it."),
    ("Staffing levels on the wards are too low and nurses are exhausted. Fund more permanent staff instead of "
     "agency cover so that patients get safe and kind care every day of the week."),
]


def url_of(database: str) -> str:
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{database}"


def fresh_database(database: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER} dbname=postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{database}"')


def grouped_definition(rows: list[dict]) -> dict:
    """workspace_latency's survey with its respondent types (NHS services) split into the three groups."""
    spec = definition(rows)
    for i, choice in enumerate(spec["pages"][0]["questions"][0]["choices"]):
        choice["group"] = GROUPS[i % len(GROUPS)]
    return spec


def reference(rng: random.Random, seen: set[str]) -> str:
    while True:
        code = "NHS-" + "-".join("".join(rng.choice(ALPHABET) for _ in range(4)) for _ in range(3))
        if code not in seen:
            seen.add(code)
            return code


def campaign_text(n: int) -> str | None:
    """The planted campaigns' letters, each copy lightly edited (a closing line from a few)."""
    endings = ["", " Thank you.", " I hope you will reconsider.", " This matters to all of us."]
    if n % 50 == 7:
        return CAMPAIGN_LETTERS[0] + endings[n % 4]
    if n % 200 == 13:
        return CAMPAIGN_LETTERS[1] + endings[(n // 200) % 4]
    return None


def build(app, rows: list[dict], codebook: list[str], n_responses: int) -> None:
    """The survey, its codebook and coders, then every row by COPY, then signatures and campaigns."""
    from sqlalchemy import text

    from consult.auth.models import Role
    from consult.auth.services import create_user
    from consult.campaigns.services import current_campaigns
    from consult.campaigns.signatures import SCHEME, signature_rows
    from consult.coding.models import Coder, CodingSample, Theme
    from consult.extensions import db
    from consult.responses.submission import build_response
    from consult.surveys.services import load_definition
    from consult.timeutil import utcnow

    from analysis.draft_campaigns import campaign_text as joined_text

    t0 = time.perf_counter()
    version = load_definition(grouped_definition(rows), open_survey=True).version
    survey_id = version.survey_id
    themes = [Theme(survey_id=survey_id, name=name, position=i) for i, name in enumerate(codebook)]
    db.session.add_all(themes)
    people = [create_user(f"{who}@example.org", name, PASSWORD, Role.RESEARCHER)
              for who, name in (("human.coders", "Human coders"), ("second.coder", "Second coder"))]
    create_user("researcher@example.org", "Researcher", PASSWORD, Role.RESEARCHER)
    human = Coder(kind="person", user_id=people[0].id, name="human coders")
    second = Coder(kind="person", user_id=people[1].id, name="second coder")
    machine = Coder(kind="machine", name="machine (bench)")
    db.session.add_all([human, second, machine])
    db.session.flush()
    sample = CodingSample(survey_id=survey_id, coder_a_id=human.id, coder_b_id=second.id, fraction=0.02, seed=0)
    db.session.add(sample)
    db.session.commit()
    theme_ids = {t.name: t.id for t in themes}
    all_theme_ids = sorted(theme_ids.values())
    questions = {q.key: q for q in version.questions}

    # Each source row's closed answers as build_response stores them (value and chosen options), made once.
    def stored(answers):
        made = build_response(version, answers, channel="web")
        return made, [(a.question_id, a.value, a.text, [o.value for o in a.options]) for a in made.answers]

    templates, made_for = [], {}
    for row in rows:
        answers = {questions["service"]: {"value": slug(row["service"] or "Unknown")},
                   questions["capacity"]: {"value": "individual"},
                   questions["organisation"]: {"value": slug(row["organisation"])}}
        if row.get("rating") in {str(k) for k in range(1, 8)}:
            answers[questions["rating"]] = {"value": f"r{row['rating']}"}
        key = tuple(sorted((q.key, a["value"]) for q, a in answers.items()))
        if key not in made_for:
            made, parts = stored(answers)
            made_for[key] = (made.respondent_type, made.capacity, parts)
        templates.append(made_for[key])
    areas = [stored({questions["area"]: {"value": c}})[1][0] for c in COUNCILS]
    db.session.rollback()  # build_response attached nothing, but be sure nothing is pending
    text_ids = {key: questions[key].id for key in ("improve", "good", "why")}

    rng = random.Random(0)
    seen: set[str] = set()
    start = utcnow() - timedelta(days=30)
    step = 30 * 86400 / max(1, n_responses)
    raw = db.engine.raw_connection()
    cursor = raw.cursor()
    # A bulk load into a fresh database whose rows are made consistent here: skip the per-row foreign key
    # triggers (as pg_restore --disable-triggers does); the indexes are kept up as rows arrive.
    cursor.execute("SET session_replication_role = replica")
    tables = {
        "response": "id, survey_id, version_id, reference, channel, submitted_at, respondent_type, capacity, language",
        "answer": "id, response_id, question_id, value, text",
        "answer_option": "answer_id, question_id, value",
        "code_assignment": "answer_id, theme_id, coder_id, status, score, created_at",
        "answer_review": "answer_id, coder_id, at",
        "answer_note": "answer_id, response_id, kind, text, resolved, at",
        "coding_sample_item": "sample_id, answer_id",
        "adjudication": "answer_id, theme_ids, note, at",
        "response_signature": "response_id, survey_id, scheme, text_key, signature, shingles",
    }
    import json as jsonlib

    answer_id = 0
    chunk = 20000
    counts = dict.fromkeys(tables, 0)
    for first in range(0, n_responses, chunk):
        batch: dict[str, list[tuple]] = {name: [] for name in tables}
        texts_for_signature: list[str] = []
        for n in range(first, min(n_responses, first + chunk)):
            rid = n + 1
            at = start + timedelta(seconds=n * step)
            row, other = rows[n % len(rows)], rows[rng.randrange(len(rows))]
            rtype, capacity, parts = templates[n % len(rows)]
            channel = CHANNELS[n % len(CHANNELS)]
            batch["response"].append((rid, survey_id, version.id, reference(rng, seen), channel, at, rtype, capacity,
                                      "en" if channel == "web" else None))
            for question_id, value, _text, options in [*parts, areas[n % len(areas)]]:
                answer_id += 1
                batch["answer"].append((answer_id, rid, question_id, jsonlib.dumps(value), None))
                batch["answer_option"].extend((answer_id, question_id, v) for v in options)
            planted = campaign_text(n)
            if planted:
                body, codes = planted, (["Contacting services"] if "hospital" in planted else ["Number & deployment of staff"])
            else:
                body = f"{row['text'].strip()} {other['text'].strip()}"
                codes = list(dict.fromkeys(row["codes"] + other["codes"]))
            codes = [theme_ids[c] for c in codes if c in theme_ids]
            answer_id += 1
            batch["answer"].append((answer_id, rid, text_ids[TEXT_QUESTIONS.get(row["question"], "why")],
                                    "null", body))
            texts_for_signature.append(joined_text([body]))
            kind = n % 10
            if kind < 6:
                if codes:
                    batch["code_assignment"].extend((answer_id, t, human.id, "applied", None, at) for t in codes)
                else:
                    batch["answer_review"].append((answer_id, human.id, at))
                if n % 50 == 1:
                    batch["coding_sample_item"].append((sample.id, answer_id))
                    theirs = codes if n % 200 != 1 else sorted({*codes[1:], all_theme_ids[n % len(all_theme_ids)]})
                    if theirs:
                        batch["code_assignment"].extend((answer_id, t, second.id, "applied", None, at) for t in theirs)
                    else:
                        batch["answer_review"].append((answer_id, second.id, at))
                    if n % 400 == 1:
                        batch["adjudication"].append((answer_id, jsonlib.dumps(codes), "bench", at))
            elif kind < 8:
                batch["code_assignment"].extend((answer_id, t, machine.id, "suggested", 0.5 + (t % 5) / 10, at)
                                                for t in (codes or all_theme_ids[:1]))
            if n % 50 == 0:
                batch["answer_note"].append((answer_id, rid, "flag", "check", False, at))
        for (rid, *_rest), sig in zip(batch["response"], signature_rows(texts_for_signature)):
            batch["response_signature"].append((rid, survey_id, SCHEME, sig["text_key"], sig["signature"],
                                                sig["shingles"]))
        for name, columns in tables.items():
            if batch[name]:
                with cursor.copy(f"COPY {name} ({columns}) FROM STDIN") as copy:
                    for values in batch[name]:
                        copy.write_row(values)
                counts[name] += len(batch[name])
        raw.commit()
        done = min(n_responses, first + chunk)
        if done % 100000 == 0 or done == n_responses:
            print(f"  {done:,} responses written, {time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)
    for table in ("response", "answer", "answer_option", "code_assignment", "answer_review", "answer_note",
                  "coding_sample_item", "adjudication"):
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
    raw.commit()
    raw.close()
    written = time.perf_counter() - t0
    print("rows: " + ", ".join(f"{name} {n:,}" for name, n in counts.items()))
    print(f"written by COPY in {written:.0f} s (signatures worked out on the way)")
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        t1 = time.perf_counter()
        connection.execute(text("VACUUM ANALYZE"))  # what autovacuum does on a live server after a bulk load
        print(f"VACUUM ANALYZE {time.perf_counter() - t1:.0f} s")
    from consult.surveys.services import get_survey

    t2 = time.perf_counter()
    found = current_campaigns(get_survey(SLUG))
    print(f"campaigns found once (then cached): {len(found)} in {time.perf_counter() - t2:.0f} s: "
          + ", ".join(f"{len(c.members):,} members" for c in found[:5]))


def count_kept_figures(app) -> None:
    """The codebook's and the agreement figures, counted as their background job counts them after a coding
    change (consult.surveys.recount), timed: the pages then show them at once (and, while a later count runs,
    the figures kept before it)."""
    from sqlalchemy import update

    from consult.coding.agreement import recount_agreement
    from consult.coding.figures import recount_codebook
    from consult.extensions import db
    from consult.surveys.models import Survey
    from consult.surveys.services import get_survey

    with app.app_context():
        # As a code saved does: the kept figures are out of date, and the job counts them again.
        db.session.execute(update(Survey).where(Survey.slug == SLUG)
                           .values(figures_revision=Survey.figures_revision + 1))
        db.session.commit()
        minimum = app.config["CROSSTAB_MIN_CELL"]
        for label, recount, args in (("codebook figures", recount_codebook, {"min_cell": minimum}),
                                     ("agreement figures and disagreements", recount_agreement, {})):
            started = time.perf_counter()
            recount(get_survey(SLUG), lambda *_: None, **args)
            print(f"{label} counted by their job's function in {time.perf_counter() - started:.0f} s; load average "
                  f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)


def measure_pages(app, requests: int, skip: str = "") -> None:
    from sqlalchemy import select

    from consult.coding.models import Adjudication, Theme
    from consult.extensions import db
    from consult.responses.models import Response

    with app.app_context():
        theme_id = db.session.scalar(select(Theme.id).where(Theme.name == "Staff manner & personal attributes"))
        any_theme = db.session.scalar(select(Theme.id).order_by(Theme.id))
        theme_id = theme_id or any_theme
        newest = db.session.execute(select(Response.id, Response.reference).order_by(Response.id.desc()).limit(1)).one()
        middle = db.session.execute(select(Response.id, Response.reference)
                                    .where(Response.id == db.session.scalar(select(Response.id).order_by(Response.id)
                                                                           .offset(500000).limit(1)))).first() or newest
        disputed = db.session.scalar(select(Adjudication.answer_id).order_by(Adjudication.id.desc()).limit(1))
    client = app.test_client()
    assert client.post("/login", data={"email": "researcher@example.org", "password": PASSWORD}).status_code == 302
    base = f"/workspace/{SLUG}"
    pages = [
        ("overview", f"{base}/"),
        ("questions", f"{base}/questions"),
        ("list, no filter", f"{base}/responses"),
        ("list, page 50", f"{base}/responses?page=50"),
        ("list, page 2000", f"{base}/responses?page=2000"),
        ("filter respondent type", f"{base}/responses?respondent_type=see_and_convey"),
        ("filter capacity", f"{base}/responses?capacity=individual"),
        ("filter area", f"{base}/responses?area=sunderland"),
        ("filter channel", f"{base}/responses?channel=email"),
        ("filter language", f"{base}/responses?language=en"),
        ("filter closed answer", f"{base}/responses?answer=rating:r5"),
        ("filter theme", f"{base}/responses?theme={theme_id}"),
        ("filter coded", f"{base}/responses?coded=coded"),
        ("filter uncoded", f"{base}/responses?coded=uncoded"),
        ("filter flagged", f"{base}/responses?flagged=y"),
        ("filter coded + area", f"{base}/responses?coded=coded&area=gateshead"),
        ("search 'parking'", f"{base}/responses?search=parking"),
        ("search + type + page 3", f"{base}/responses?search=staff&respondent_type=see_and_convey&page=3"),
        ("search reference (newest)", f"{base}/responses?search={newest[1]}"),
        ("search reference (middle)", f"{base}/responses?search={middle[1]}"),
        ("search reference prefix", f"{base}/responses?search={middle[1][:8]}"),
        ("response page", f"{base}/responses/{middle[0]}"),
        ("question (free text)", f"{base}/questions/improve"),
        ("question free text, coded", f"{base}/questions/improve?coded=coded"),
        ("question free text, theme", f"{base}/questions/improve?theme={theme_id}"),
        ("question (closed, chart)", f"{base}/questions/rating"),
        ("question, by respondent type", f"{base}/questions/rating?by=respondent_type"),
        ("question closed, area filter", f"{base}/questions/rating?area=sunderland"),
        ("codebook (figures)", f"{base}/codebook"),
        ("theme page", f"{base}/codebook/{theme_id}"),
        ("agreement", f"{base}/agreement"),
        ("disagreements", f"{base}/agreement/disagreements"),
        ("principles drafts", f"{base}/principles/"),
    ]
    if disputed:
        pages.append(("adjudicate an answer", f"{base}/agreement/answers/{disputed}"))
    timed = [(label, page_url, 200, client) for label, page_url in pages if not (skip and re.search(skip, label))]
    next_url = f"{base}/code"
    first = client.get(next_url)
    if first.status_code in (302, 303):
        timed += [("next uncoded (redirect)", next_url, first.status_code, client),
                  ("coding screen", first.location, 200, client),
                  ("next uncoded, one question", f"{next_url}?question=improve", 302, client)]
    # A coder of the double-coding sample, which they have finished: each "next" looks through the sample first.
    sample_coder = app.test_client()
    assert sample_coder.post("/login", data={"email": "human.coders@example.org", "password": PASSWORD}).status_code == 302
    if not (skip and re.search(skip, "next uncoded, sample coder")):
        timed.append(("next uncoded, sample coder", next_url, 302, sample_coder))
    print(f"{requests} requests each after a warm-up, ms; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'page':<32}{'first':>8}{'p50':>8}{'p95':>8}{'max':>8}")
    worst = []
    waits = []
    for label, page_url, expect, signed_in in timed:
        started = time.perf_counter()
        signed_in.get(page_url)  # the first request: kept figures counted, caches warmed
        first = (time.perf_counter() - started) * 1000
        waited = finish_jobs()
        if waited > 0.5:
            waits.append(f"{label}: {waited:.0f} s")
        times = []
        for _ in range(requests):
            started = time.perf_counter()
            reply = signed_in.get(page_url)
            times.append((time.perf_counter() - started) * 1000)
            assert reply.status_code == expect, (page_url, reply.status_code)
        times.sort()
        p95 = times[max(0, round(0.95 * len(times)) - 1)]
        worst.append((p95, label))
        print(f"{label:<32}{first:>8.0f}{statistics.median(times):>8.1f}{p95:>8.1f}{times[-1]:>8.1f}", flush=True)
    print(f"slowest p95: {max(worst)[1]} {max(worst)[0]:.0f} ms; load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if waits:
        print("waited after the first request for the figures job it started: " + "; ".join(waits))


def finish_jobs() -> float:
    """Wait for the background jobs this process started (JOBS_MODE thread: a recount of the codebook or agreement
    figures a page's first request found out of date), and return how long that took. Timed requests then measure
    the page, not the page sharing the interpreter with a job: a job thread holds the GIL for most of a
    minute at a million responses (the agreement recount), and every page timed meanwhile took several times
    its own time (adjudicating an answer: 20 ms alone, p95 600-1,600 ms beside the job). A deployment with a
    worker (RQ) runs jobs in another process."""
    started = time.perf_counter()
    for thread in threading.enumerate():
        if thread.name.startswith("job-"):
            thread.join()
    return time.perf_counter() - started


def measure_draft(app) -> None:
    from sqlalchemy import select

    from consult.auth.models import User
    from consult.extensions import db
    from consult.jobs.models import Job
    from consult.principles.services import start_build
    from consult.surveys.services import get_survey

    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "researcher@example.org"))
        started = time.perf_counter()
        job_id = start_build(get_survey(SLUG), user.id).id
        db.session.commit()
        state, message, steps = "queued", "", []
        while state in ("queued", "running"):
            time.sleep(0.5)
            db.session.remove()
            job = db.session.get(Job, job_id)
            state, message = job.state, job.message
            if state == "running" and (not steps or steps[-1][0] != message):
                steps.append((message, time.perf_counter()))
        finished = time.perf_counter()
        for (step, at), (_next, until) in zip(steps, [*steps[1:], ("", finished)]):
            print(f"  {until - at:6.1f} s  {step}")
        print(f"draft job {state} in {finished - started:.1f} s ({message}); load average "
              f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="bench_million", help="PostgreSQL database (dropped by --build)")
    parser.add_argument("--build", action="store_true", help="drop, create and fill the database")
    parser.add_argument("--measure", action="store_true", help="time the pages (default after --build)")
    parser.add_argument("--draft", action="store_true", help="time a principles draft built by its job")
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--skip", default="", help="leave out the pages whose label matches this pattern")
    parser.add_argument("--count-figures", action="store_true",
                        help="before timing pages, count the codebook and agreement figures as their job does, timed")
    parser.add_argument("--data", type=Path, default=Path(os.environ["CONSULT_SHARED_DATA"]) / "nhs-feedback"
                        if os.environ.get("CONSULT_SHARED_DATA") else DATA)
    args = parser.parse_args()

    from flask_migrate import upgrade

    from consult import create_app

    if args.build:
        fresh_database(args.database)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url_of(args.database), "WTF_CSRF_ENABLED": False,
                      "RATELIMIT_ENABLED": False, "SECRET_KEY": "bench-only", "SERVER_NAME": "localhost",
                      "JOBS_MODE": "thread"})
    with app.app_context():
        upgrade()  # a no-op on a built database unless a migration was added since
        if args.build:
            rows, codebook = read_rows(args.data)
            build(app, rows, codebook, args.responses)
    if args.count_figures:
        count_kept_figures(app)
    if args.measure or not args.build:
        measure_pages(app, args.requests, args.skip)
    if args.draft:
        measure_draft(app)


if __name__ == "__main__":
    main()

"""Latency of the researcher workspace's reading pages on real, human-coded NHS feedback.

What is measured: server time for the response list (no filter, page 50, each filter kind, full-text
search), a free-text and a closed question page, and the coding screen when that page exists: each
requested N times (default 200) through Flask's test client, signed in as a researcher, in-process (no
network), printing p50 / p95 / max in milliseconds. Target: p95 under 200 ms for the list, the
filters and the coding screen.

Data: ../shared/data/nhs-feedback/coded.jsonl (4,969 answers from two NHS trusts, coded by trained
coders into the 48 themes of codebook.json) becomes a survey: one response per row, its text under
"How could we improve?" (also "What could we do better?"), "What was good?" or "Why did you give that
rating?" (the FFT and 111 questions), with the NHS service (as respondent type), organisation and
rating as single choices. The data has no capacity or council, so every response is "individual" and
gets a council from a fixed list by row number (for timing the area filter only). Channel likewise
cycles web/email/paper. One person coder, "human coders", holds the human codes as CodeAssignment rows;
every 50th text answer carries an open flag. --scale N repeats the rows N times with new references
(--scale 20 gives 99,380 responses) to show pagination and filters stay fast.

    .venv/bin/python bench/workspace_latency.py                    # SQLite in a temp dir
    .venv/bin/python bench/workspace_latency.py --scale 20         # ~100,000 responses
    .venv/bin/python bench/workspace_latency.py --database postgresql   # database bench_workspace
"""
from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data" / "nhs-feedback"
SLUG = "nhs-feedback"
PG_SERVER = "host=127.0.0.1 port=5432 user=postgres"
PG_DATABASE = "bench_workspace"
PG_URL = f"postgresql+psycopg://postgres@127.0.0.1:5432/{PG_DATABASE}"
PASSWORD = "bench-only-password-for-the-researcher"
TEXT_QUESTIONS = {"How could we improve?": "improve", "What could we do better?": "improve",
                  "What was good?": "good"}  # anything else (FFT Why?, the 111 question) goes to "why"
COUNCILS = ["county-durham", "newcastle-upon-tyne", "sunderland", "gateshead", "north-tyneside",
            "northumberland", "west-northamptonshire", "north-northamptonshire", "middlesbrough", "darlington"]
CHANNELS = ["web", "web", "email", "paper"]


def slug(text: str | None) -> str:
    value = re.sub(r"[^a-z0-9]+", "_", (text or "unknown").lower()).strip("_") or "unknown"
    return value if value[0].isalpha() else f"x{value}"


def read_rows(folder: Path) -> tuple[list[dict], list[str]]:
    rows = [json.loads(line) for line in (folder / "coded.jsonl").open(encoding="utf-8")]
    return rows, json.loads((folder / "codebook.json").read_text(encoding="utf-8"))


def definition(rows: list[dict]) -> dict:
    from consult.timeutil import utcnow

    def choices(values):
        return [{"value": slug(v), "label": (v or "Unknown").strip()} for v in dict.fromkeys(values)]

    now = utcnow()
    services = sorted({r["service"] or "Unknown" for r in rows})
    return {
        "slug": SLUG, "version": 1, "title": "NHS patient feedback (benchmark)", "reference_prefix": "NHS",
        "opens": (now - timedelta(days=60)).isoformat() + "Z", "closes": (now + timedelta(days=60)).isoformat() + "Z",
        "introduction": {"purpose": "Benchmark.", "who_is_consulting": "Benchmark.", "time_to_complete": "1 minute",
                         "how_responses_are_used": "Benchmark.", "privacy_notice": "Benchmark."},
        "pages": [
            {"questions": [{"key": "service", "kind": "single_choice", "title": "Which service did you use?",
                            "role": "respondent_type", "choices": choices(services)}]},
            {"questions": [{"key": "capacity", "kind": "single_choice", "title": "Are you responding as an individual?",
                            "role": "capacity", "choices": [{"value": "individual", "label": "As an individual"},
                                                            {"value": "organisation", "label": "For an organisation"}]}]},
            {"questions": [{"key": "organisation", "kind": "single_choice", "title": "Which trust?",
                            "choices": choices(sorted({r["organisation"] for r in rows}))}]},
            {"questions": [{"key": "rating", "kind": "single_choice", "title": "How was your experience?",
                            "choices": [{"value": f"r{n}", "label": f"Rating {n}"} for n in range(1, 8)]}]},
            {"questions": [{"key": "area", "kind": "local_authority", "title": "Where do you live?",
                            "role": "local_authority"}]},
            {"questions": [{"key": "improve", "kind": "long_text", "title": "How could we improve?", "max_chars": 20000}]},
            {"questions": [{"key": "good", "kind": "long_text", "title": "What was good?", "max_chars": 20000}]},
            {"questions": [{"key": "why", "kind": "long_text", "title": "Why did you give that rating?", "max_chars": 20000}]},
        ]}


def prepare_database(database: str) -> str:
    if database == "sqlite":
        return f"sqlite:///{tempfile.mkdtemp(prefix='bench-workspace-')}/bench.sqlite3"
    import psycopg

    with psycopg.connect(f"{PG_SERVER} dbname=postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (PG_DATABASE,)).fetchone():
            conn.execute(f'CREATE DATABASE "{PG_DATABASE}"')
    with psycopg.connect(f"{PG_SERVER} dbname={PG_DATABASE}", autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")
    return PG_URL


def load(rows: list[dict], codebook: list[str], scale: int) -> int:
    """The survey, its themes and coder, and len(rows) * scale responses, inserted in bulk."""
    from sqlalchemy import func, insert, select, text

    from consult.auth.models import Role
    from consult.auth.services import create_user
    from consult.coding.models import AnswerNote, CodeAssignment, Coder, Theme
    from consult.extensions import db
    from consult.responses.models import Answer, AnswerOption, Response
    from consult.responses.submission import build_response
    from consult.surveys.services import load_definition
    from consult.timeutil import utcnow

    version = load_definition(definition(rows), open_survey=True).version
    themes = {name: Theme(survey_id=version.survey_id, name=name, position=i) for i, name in enumerate(codebook)}
    db.session.add_all(themes.values())
    coder_user = create_user("human.coders@example.org", "Human coders", PASSWORD, Role.RESEARCHER)
    coder = Coder(kind="person", user_id=coder_user.id, name="human coders")
    db.session.add(coder)
    db.session.commit()
    questions = {q.key: q for q in version.questions}
    theme_ids = {name: t.id for name, t in themes.items()}
    start = utcnow() - timedelta(days=30)
    ids = {model: (db.session.scalar(select(func.max(model.id))) or 0) for model in (Response, Answer, AnswerOption)}
    batch: dict = {Response: [], Answer: [], AnswerOption: [], CodeAssignment: [], AnswerNote: []}

    def flush():
        for model in (Response, Answer, AnswerOption, CodeAssignment, AnswerNote):
            if batch[model]:
                db.session.execute(insert(model), batch[model])
                batch[model] = []
        db.session.commit()

    made = 0
    for copy in range(scale):
        for i, row in enumerate(rows):
            n = copy * len(rows) + i
            text_key = TEXT_QUESTIONS.get(row["question"], "why")
            answers = {questions["service"]: {"value": slug(row["service"] or "Unknown")},
                       questions["capacity"]: {"value": "individual"},
                       questions["organisation"]: {"value": slug(row["organisation"])},
                       questions["area"]: {"value": COUNCILS[n % len(COUNCILS)]},
                       questions[text_key]: {"value": None, "text": row["text"]}}
            if row.get("rating") in {str(k) for k in range(1, 8)}:
                answers[questions["rating"]] = {"value": f"r{row['rating']}"}
            response = build_response(version, answers, channel=CHANNELS[n % len(CHANNELS)],
                                      submitted_at=start + timedelta(seconds=n * 7))
            ids[Response] += 1
            batch[Response].append({"id": ids[Response], "survey_id": response.survey_id, "version_id": version.id,
                                    "reference": response.reference, "channel": response.channel,
                                    "submitted_at": response.submitted_at, "respondent_type": response.respondent_type,
                                    "capacity": response.capacity})
            for answer in response.answers:
                ids[Answer] += 1
                batch[Answer].append({"id": ids[Answer], "response_id": ids[Response], "question_id": answer.question_id,
                                      "value": answer.value, "text": answer.text})
                for option in answer.options:
                    ids[AnswerOption] += 1
                    batch[AnswerOption].append({"id": ids[AnswerOption], "answer_id": ids[Answer],
                                                "question_id": option.question_id, "value": option.value})
                if answer.text:
                    batch[CodeAssignment].extend({"answer_id": ids[Answer], "theme_id": theme_ids[code],
                                                  "coder_id": coder.id, "status": "applied"}
                                                 for code in dict.fromkeys(row["codes"]) if code in theme_ids)
                    if n % 50 == 0:
                        batch[AnswerNote].append({"answer_id": ids[Answer], "kind": "flag", "text": "check"})
            made += 1
            if made % 5000 == 0:
                flush()
    flush()
    if db.engine.dialect.name == "postgresql":
        for table in ("response", "answer", "answer_option"):
            db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))
        db.session.commit()
        # What autovacuum does on a live server: statistics, and the visibility map that index-only counts need.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    else:
        db.session.execute(text("ANALYZE"))
        db.session.commit()
    return made


def measure(client, url: str, requests: int, expect: int = 200) -> tuple[float, float, float]:
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        reply = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert reply.status_code == expect, (url, reply.status_code)
    times.sort()
    return statistics.median(times), times[max(0, round(0.95 * len(times)) - 1)], times[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--scale", type=int, default=1, help="repeat the 4,969 rows this many times")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--data", type=Path, default=DATA, help="folder holding coded.jsonl and codebook.json")
    args = parser.parse_args()

    from flask_migrate import upgrade

    from consult import create_app
    from consult.auth.models import Role
    from consult.auth.services import create_user
    from consult.extensions import db

    url = prepare_database(args.database)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
                      "SECRET_KEY": "bench-only", "SERVER_NAME": "localhost"})
    rows, codebook = read_rows(args.data)
    with app.app_context():
        upgrade()
        started = time.perf_counter()
        made = load(rows, codebook, args.scale)
        print(f"{args.database}: loaded {made:,} responses in {time.perf_counter() - started:.0f} s")
        create_user("researcher@example.org", "Researcher", PASSWORD, Role.RESEARCHER)
        from consult.coding.models import Theme
        from sqlalchemy import select

        theme_id = db.session.scalar(select(Theme.id).where(Theme.name == "Staff manner & personal attributes"))
        has_coding = "coding.code_next" in app.view_functions
    client = app.test_client()
    assert client.post("/login", data={"email": "researcher@example.org", "password": PASSWORD}).status_code == 302
    base = f"/workspace/{SLUG}"
    pages = [
        ("list, no filter", f"{base}/responses"),
        ("list, page 50", f"{base}/responses?page=50"),
        ("filter respondent type", f"{base}/responses?respondent_type=see_and_convey"),
        ("filter capacity", f"{base}/responses?capacity=individual"),
        ("filter area", f"{base}/responses?area=sunderland"),
        ("filter channel", f"{base}/responses?channel=email"),
        ("filter closed answer", f"{base}/responses?answer=rating:r5"),
        ("filter theme", f"{base}/responses?theme={theme_id}"),
        ("filter coded", f"{base}/responses?coded=coded"),
        ("filter uncoded", f"{base}/responses?coded=uncoded"),
        ("filter flagged", f"{base}/responses?flagged=y"),
        ("search 'parking'", f"{base}/responses?search=parking"),
        ("search + type + page 3", f"{base}/responses?search=staff&respondent_type=see_and_convey&page=3"),
        ("question (free text)", f"{base}/questions/improve"),
        ("question (closed, chart)", f"{base}/questions/rating"),
        ("question, by respondent type", f"{base}/questions/rating?by=respondent_type"),
    ]
    timed = [(label, page_url, 200) for label, page_url in pages]
    if has_coding:
        # code_next finds the next answer the coder has not coded and redirects to its coding page
        # (or shows "all done"): time both the redirect and the coding page itself.
        with app.app_context():
            next_url = app.url_for("coding.code_next", slug=SLUG)
        first = client.get(next_url)
        if first.status_code in (302, 303):
            timed += [("next uncoded (redirect)", next_url, first.status_code), ("coding screen", first.location, 200)]
        else:
            timed.append(("coding screen (all done)", next_url, 200))
    print(f"{args.requests} requests each, ms{'' if has_coding else ' (no coding screen yet: coding.code_next missing)'}")
    print(f"{'page':<30}{'p50':>8}{'p95':>8}{'max':>8}")
    for label, page_url, expect in timed:
        p50, p95, top = measure(client, page_url, args.requests, expect)
        print(f"{label:<30}{p50:>8.1f}{p95:>8.1f}{top:>8.1f}", flush=True)


if __name__ == "__main__":
    main()

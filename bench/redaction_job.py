"""The redaction job at scale, from the database: the machine reads N free-text answers it has not read and stores
its spans (consult.redaction.services.redact_new_answers, what the job after `responses_stored` and
`consult redaction backfill` run), then the final text of all N is read back as a draft reads it
(consult.redaction.services.redacted_texts).

    .venv/bin/python bench/redaction_job.py [--answers 100000] [--database sqlite|postgresql|both]

Fills a fresh database (SQLite in a temporary folder; PostgreSQL database `bench_redaction` on 127.0.0.1)
with N/2 Keep it Local responses of two "why?" answers each, built from the real NHS feedback texts in
../shared/data as bench/analysis_speed.py builds them (recombined answers and campaign copies). Bulk inserts
skip the app's write paths, so no job has read them: the answers wait, as after an import of old responses.
Prints wall and CPU seconds for the job and for reading the final texts back, with the load average beside
them (the 2 cores are shared).
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/bench_redaction"
BATCH = 20000


def fresh_url(kind: str, folder: str) -> str:
    if kind == "sqlite":
        return f"sqlite:///{folder}/bench.sqlite3"
    import psycopg

    with psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres", autocommit=True) as connection:
        connection.execute("DROP DATABASE IF EXISTS bench_redaction WITH (FORCE)")
        connection.execute("CREATE DATABASE bench_redaction")
    return PG_URL


def fill(n: int) -> int:
    """N answers in N/2 responses, bulk inserted; returns the survey id."""
    from analysis.evaluate import shared_data_dir
    from analysis_speed import build_answers, real_texts
    from consult.extensions import db
    from consult.responses.models import Answer, Response
    from consult.surveys.services import load_file
    from consult.timeutil import utcnow

    survey = load_file(ROOT / "surveys" / "keep-it-local.yaml", open_survey=True).survey
    version = survey.current_version
    why = [q.id for q in version.questions if q.key in ("principle_1_why", "principle_3_why")]
    rows, _ = build_answers(real_texts(shared_data_dir()), n, seed=0)
    now = utcnow()
    for start in range(0, n, BATCH):
        chunk = rows[start:start + BATCH]
        first = start // 2 + 1
        responses = [{"id": rid, "survey_id": survey.id, "version_id": version.id, "reference": f"BENCH-{rid:09d}",
                      "channel": "web", "submitted_at": now} for rid in range(first, first + (len(chunk) + 1) // 2)]
        answers = [{"id": start + i + 1, "response_id": first + i // 2, "question_id": why[i % 2], "value": None,
                    "text": row["text"]} for i, row in enumerate(chunk)]
        db.session.execute(Response.__table__.insert(), responses)
        db.session.execute(Answer.__table__.insert(), answers)
        db.session.commit()
    return survey.id


def measure(kind: str, n: int) -> None:
    from flask_migrate import upgrade
    from sqlalchemy import func, select

    from consult import create_app
    from consult.extensions import db
    from consult.redaction.models import Redaction
    from consult.redaction.services import redact_new_answers, redacted_texts
    from consult.responses.models import Answer

    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"SQLALCHEMY_DATABASE_URI": fresh_url(kind, folder)})
        with app.app_context():
            upgrade()
            survey_id = fill(n)
            db.session.remove()
            wall, cpu = time.perf_counter(), time.process_time()
            read, found = redact_new_answers(survey_id)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            load = os.getloadavg()[0]
            stored = db.session.scalar(select(func.count()).select_from(Redaction))
            print(f"{kind}: redaction job on {read:,} answers: {wall:.1f} s wall, {cpu:.1f} s CPU "
                  f"({read / wall:,.0f} answers/s), {found:,} spans stored ({stored:,} rows); load average {load:.1f}")
            db.session.remove()
            pairs = [(a, t) for a, t in db.session.execute(select(Answer.id, Answer.text).order_by(Answer.id))]
            wall, cpu = time.perf_counter(), time.process_time()
            final = redacted_texts(pairs, survey_id)  # as the draft's loader reads them
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            changed = sum(final[a] != t for a, t in pairs)
            print(f"{kind}: final text of {len(pairs):,} answers read back: {wall:.1f} s wall, {cpu:.1f} s CPU "
                  f"({changed:,} redacted); load average {os.getloadavg()[0]:.1f}")
            db.session.remove()
            if kind == "postgresql":
                db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--answers", type=int, default=100_000)
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="sqlite")
    args = parser.parse_args()
    for kind in ("sqlite", "postgresql") if args.database == "both" else (args.database,):
        measure(kind, args.answers)


if __name__ == "__main__":
    main()

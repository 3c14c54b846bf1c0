"""The drafting step at scale, from the database: load the evidence, find the campaigns and build the draft
(no rendering), as consult.principles.services.build_version does.

    .venv/bin/python bench/principles_draft.py [--responses 100000] [--database sqlite|postgresql|both] [--repeat 3]
        [--pg-database bench_principles]

Fills a fresh database (SQLite in a temporary folder; the PostgreSQL database `--pg-database`, dropped and
created again, on 127.0.0.1) with N Keep it Local responses: respondent type, capacity, publication consent, votes on the
six principles (one mostly rejected), and two coded "why?" answers each, taken from the real NHS
feedback texts in ../shared/data with their human codes as themes. Bulk inserts skip the app's write
paths, so the fill then does what the background jobs after an import do (timed apart, as "facts"): stores
each response's campaign signature and finds the campaigns (consult.campaigns.services), and lets the machine
redactor read every free-text answer (consult.redaction.services.redact_new_answers).

Then times, separately and together (wall and CPU seconds): consult.principles.loader.load (without the
campaigns), consult.principles.loader.survey_campaigns (the campaigns the fill found, as after an import) and
analysis.principles.build_draft, --repeat times (each in a fresh session), and shows the fastest with
every total beside it: on a shared 2-core machine the same step varies by a third from run to run.
"cold campaigns" is finding them again from the stored signatures, what the first draft after new web
responses pays on top. Prints the load average beside the figures.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TYPES = ["charity", "community_organisation", "social_enterprise", "commissioner", "councillor", "council_officer",
         "policy_expert", "member_of_public"]
SCALE = ["strongly_agree", "agree", "neither", "disagree", "strongly_disagree", "dont_know"]
CONSENT = ["with_name", "organisation_only", "anonymous", "not_published"]
BATCH = 20000


def fresh_url(kind: str, folder: str, pg_database: str) -> str:
    if kind == "sqlite":
        return f"sqlite:///{folder}/bench.sqlite3"
    import psycopg

    with psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{pg_database}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{pg_database}"')
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{pg_database}"


def texts() -> list[tuple[str, list[str]]]:
    data = Path(os.environ.get("CONSULT_SHARED_DATA", ROOT.parent / "shared" / "data"))
    rows = [json.loads(line) for line in (data / "nhs-feedback" / "coded.jsonl").open(encoding="utf-8")]
    return [(r["text"], r["codes"]) for r in rows if r["text"].strip() and r["codes"]]


def fill(n: int, seed: int = 0) -> None:
    """N responses written with bulk Core inserts (explicit ids in a fresh database), with the chosen-option
    rows build_response writes for closed answers (votes and choices are counted from them)."""
    from consult.coding.models import CodeAssignment, Coder, Theme
    from consult.extensions import db
    from consult.responses.models import Answer, AnswerOption, Response
    from consult.surveys.services import load_file
    from consult.timeutil import utcnow

    rng = random.Random(seed)
    survey = load_file(ROOT / "surveys" / "keep-it-local.yaml", open_survey=True).survey
    version = survey.current_version
    q = {question.key: question.id for question in version.questions}
    bank = texts()
    names = sorted({c for _, codes in bank for c in codes})
    db.session.execute(Theme.__table__.insert(), [{"id": i + 1, "survey_id": survey.id, "name": name, "description": "",
                                                  "inclusion": "", "exclusion": "", "example": "", "position": i,
                                                  "created_at": utcnow()} for i, name in enumerate(names)])
    theme_id = {name: i + 1 for i, name in enumerate(names)}
    from consult.auth.models import User

    db.session.execute(User.__table__.insert(), [{"id": 1, "email": "bench@example.org", "name": "Bench coder",
                                                 "password_hash": "x", "role": "researcher", "active": True,
                                                 "created_at": utcnow()}])
    db.session.execute(Coder.__table__.insert(), [{"id": 1, "kind": "person", "user_id": 1, "name": "Bench coder"}])
    answer_id = 0
    now = utcnow()
    for start in range(0, n, BATCH):
        responses, answers, options, codes = [], [], [], []
        for rid in range(start + 1, min(n, start + BATCH) + 1):
            kind = rng.choice(TYPES)
            responses.append({"id": rid, "survey_id": survey.id, "version_id": version.id, "reference": f"BENCH-{rid:09d}",
                              "channel": "web", "submitted_at": now, "respondent_type": kind, "capacity": "individual"})
            values = {"respondent_type": kind, "capacity": "individual", "publish_consent": rng.choice(CONSENT)}
            for p in range(1, 7):
                weights = [8, 12, 15, 35, 25, 5] if p == 3 else [30, 35, 12, 10, 8, 5]
                values[f"principle_{p}_agreement"] = rng.choices(SCALE, weights)[0]
            for key, value in values.items():
                answer_id += 1
                answers.append({"id": answer_id, "response_id": rid, "question_id": q[key], "value": value, "text": None})
                options.append({"answer_id": answer_id, "question_id": q[key], "value": value})  # as build_response
            for p in (1, 3):
                answer_id += 1
                text, text_codes = bank[rng.randrange(len(bank))]
                answers.append({"id": answer_id, "response_id": rid, "question_id": q[f"principle_{p}_why"],
                                "value": None, "text": text})
                codes += [{"answer_id": answer_id, "theme_id": theme_id[c], "coder_id": 1, "status": "applied",
                           "created_at": now} for c in text_codes]
        db.session.execute(Response.__table__.insert(), responses)
        db.session.execute(Answer.__table__.insert(), answers)
        db.session.execute(AnswerOption.__table__.insert(), options)
        db.session.execute(CodeAssignment.__table__.insert(), codes)
        db.session.commit()
        print(f"  filled {min(n, start + BATCH):,} responses", file=sys.stderr)


def measure(kind: str, n: int, repeat: int, pg_database: str) -> dict:
    from flask_migrate import upgrade

    from consult import create_app
    from consult.extensions import db

    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"SQLALCHEMY_DATABASE_URI": fresh_url(kind, folder, pg_database)})
        with app.app_context():
            upgrade()
            started = time.perf_counter()
            fill(n)
            filled = time.perf_counter() - started
            from consult.campaigns import services as stored_campaigns
            from consult.redaction.services import redact_new_answers
            from consult.surveys.services import get_survey

            survey = get_survey("keep-it-local")
            stored_campaigns.store_signatures(survey)
            stored_campaigns.current_campaigns(survey)
            redact_new_answers(survey.id)
            facts = time.perf_counter() - started - filled
            if kind == "postgresql":
                db.session.commit()
                with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                    connection.exec_driver_sql("VACUUM ANALYZE")  # as autovacuum would after a bulk load
            db.session.remove()
            import nltk.metrics.distance  # noqa: F401  (coder agreement, analysis.reliability)
            import sklearn.feature_extraction.text  # noqa: F401

            import analysis.extractive  # noqa: F401  (imports counted apart: a web worker pays them once)
            from analysis.principles import build_draft
            from consult.principles.loader import load, survey_campaigns
            runs = []
            for _ in range(repeat):  # each a fresh session, as a new build job starts
                db.session.remove()
                survey = get_survey("keep-it-local")
                t0, c0 = time.perf_counter(), time.process_time()
                loaded = load(survey, with_campaigns=False)
                t1, c1 = time.perf_counter(), time.process_time()
                campaigns = survey_campaigns(survey, loaded.reference_of)
                tc, cc = time.perf_counter(), time.process_time()
                document = build_draft(loaded.evidence, campaigns=campaigns)
                t2, c2 = time.perf_counter(), time.process_time()
                assert document["counts"]["respondents"] == n
                assert document["principles"][0]["agreement"]["total"] == n
                runs.append({"load_s": t1 - t0, "load_cpu_s": c1 - c0, "campaigns_s": tc - t1,
                             "campaigns_cpu_s": cc - c1, "build_s": t2 - tc, "build_cpu_s": c2 - cc,
                             "total_s": t2 - t0, "total_cpu_s": c2 - c0})
                del loaded, campaigns, document
            t2, c2 = time.perf_counter(), time.process_time()
            stored_campaigns._find(survey.id)  # what current_campaigns does when its cache is stale
            t3, c3 = time.perf_counter(), time.process_time()
            db.engine.dispose()
    best = min(runs, key=lambda r: r["total_s"])
    return {"database": kind, "responses": n, "fill_s": filled, "facts_s": facts, **best,
            "totals": [r["total_s"] for r in runs], "cold_s": t3 - t2, "cold_cpu_s": c3 - c2}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, nargs="+", default=[100000])
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--repeat", type=int, default=3, help="drafting steps timed; the fastest is shown")
    parser.add_argument("--pg-database", default="bench_principles",
                        help="PostgreSQL database on 127.0.0.1 (dropped and created again)")
    args = parser.parse_args()
    kinds = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    print(f"{'database':<11}{'responses':>10}{'load s':>9}{'(cpu)':>8}{'campaigns s':>13}{'(cpu)':>8}"
          f"{'build s':>9}{'(cpu)':>8}{'total s':>9}{'(cpu)':>8}{'cold campaigns s':>18}{'(cpu)':>8}"
          f"{'fill s':>8}{'facts s':>9}{'load average':>15}")
    for kind in kinds:
        for n in args.responses:
            r = measure(kind, n, args.repeat, args.pg_database)
            print(f"{r['database']:<11}{r['responses']:>10,}{r['load_s']:>9.2f}{r['load_cpu_s']:>8.2f}"
                  f"{r['campaigns_s']:>13.2f}{r['campaigns_cpu_s']:>8.2f}{r['build_s']:>9.2f}{r['build_cpu_s']:>8.2f}"
                  f"{r['total_s']:>9.2f}{r['total_cpu_s']:>8.2f}{r['cold_s']:>18.2f}{r['cold_cpu_s']:>8.2f}"
                  f"{r['fill_s']:>8.1f}{r['facts_s']:>9.1f}{' '.join(f'{x:.2f}' for x in os.getloadavg()):>15}",
                  flush=True)
            print(f"  every drafting step (total s): {', '.join(f'{t:.2f}' for t in r['totals'])}", flush=True)


if __name__ == "__main__":
    main()

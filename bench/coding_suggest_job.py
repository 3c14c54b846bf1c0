"""Timing of the workspace's "Suggest codes" job on the shared NHS feedback set, coded in the app as a researcher
would code it: 4,000 answers decided (their human codes, "no code applies" where people gave none), the rest
undecided. The job runs to its end (inline, as an RQ worker or thread would run it) on a scratch SQLite database.

    .venv/bin/python bench/coding_suggest_job.py [--coded 4000] [--seed 0] [--database-url URL] [--vectors FILE.npy]

`--vectors`: sentence vectors of the set's answers in file order (`python -m analysis embed --in
../shared/data/nhs-feedback/coded.jsonl --out FILE.npy`), stored for every answer before the job runs, as the
arrival job would have stored them, so the job reads them beside the words.

Prints the job's wall and CPU time, what it trained on and suggested, and checks the rules the issue asked for:
no suggestion on a decided answer, and "no code" suggested where the model finds it likelier.
"""
from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--coded", type=int, default=4000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--database-url", default=None, help="default: a scratch SQLite file")
    parser.add_argument("--vectors", default=None, help="stored sentence vectors of the set, in file order (.npy)")
    args = parser.parse_args()

    from flask_migrate import upgrade
    from sqlalchemy import func, select

    from analysis.evaluate import shared_data_dir
    from consult import create_app
    from consult.auth.models import Role
    from consult.auth.services import create_user
    from consult.coding import assignments, suggestions
    from consult.coding import vectors as answer_vectors
    from consult.coding.models import AnswerSuggestion, AnswerVector, CodeAssignment, Coder, SuggestionRun
    from consult.extensions import db
    from consult.jobs.models import Job
    from consult.surveys.services import load_definition
    from tests.coded_answers import add_answers, decide, nhs_rows, themes_by_name
    from tests.factories import survey_definition

    scratch = tempfile.mkdtemp(prefix="suggest-bench-")
    url = args.database_url or f"sqlite:///{os.path.join(scratch, 'bench.sqlite3')}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "JOBS_MODE": "inline", "SERVER_NAME": "localhost"})
    with app.app_context():
        upgrade()
        rows = nhs_rows(shared_data_dir())
        stored = None
        if args.vectors:
            import numpy as np

            stored = dict(zip((r["id"] for r in rows), np.load(args.vectors).astype("<f4")))
        random.Random(args.seed).shuffle(rows)
        pages = [{"questions": [{"key": "story", "kind": "long_text", "title": "Your feedback"}]}]
        survey = load_definition(survey_definition("nhs-bench", pages=pages), open_survey=True).survey
        researcher = create_user("bench@example.org", "Bench Researcher", "bench password 1234", Role.RESEARCHER)
        ids = themes_by_name(survey, sorted({c for r in rows for c in r["codes"]}))
        answer_ids = add_answers(survey, [r["text"] for r in rows])
        coded = list(zip(answer_ids[:args.coded], rows[:args.coded]))
        decide(assignments.person_coder(researcher), [(a, [ids[c] for c in r["codes"]]) for a, r in coded])
        no_code = {a for a, r in coded if not r["codes"]}
        print(f"{len(rows):,} NHS answers: {len(coded):,} coded ({len(no_code):,} 'no code applies'), "
              f"{len(rows) - len(coded):,} undecided")
        if stored is not None:
            app.config["ANSWER_VECTORS"] = True
            db.session.execute(AnswerVector.__table__.insert(), [
                {"answer_id": a, "survey_id": survey.id, "scheme": answer_vectors.scheme(),
                 "vector": stored[r["id"]].tobytes()} for a, r in zip(answer_ids, rows)])
            db.session.commit()
            print(f"stored vectors: {len(stored):,} of {next(iter(stored.values())).shape[0]} numbers")

        with app.test_request_context():
            wall, cpu = time.perf_counter(), time.process_time()
            job = suggestions.start(survey, "story", researcher)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        job = db.session.get(Job, job.id)
        assert job.state == "finished", job.error
        run = db.session.scalar(select(SuggestionRun).order_by(SuggestionRun.id.desc()))
        rows_made = list(db.session.scalars(select(AnswerSuggestion).where(AnswerSuggestion.run_id == run.id)))
        decided_with_suggestion = db.session.scalar(
            select(func.count()).select_from(CodeAssignment).join(Coder, Coder.id == CodeAssignment.coder_id)
            .where(Coder.kind == "machine", CodeAssignment.answer_id.in_([a for a, _ in coded])))
        auto = sum(s.auto for s in rows_made)
        print(f"job: {wall:.1f} s wall, {cpu:.1f} s CPU ({run.method}, trained on {run.trained_on:,} answers)")
        print(f"suggestions on {len(rows_made):,} answers: {sum(s.no_code for s in rows_made):,} 'no code', "
              f"{auto:,} above the auto cut ({auto / len(rows_made):.3f}; cut {run.auto_cut})")
        print(f"machine suggestions on decided answers: {decided_with_suggestion}")
        print(job.result["summary"])
        db.session.remove()


if __name__ == "__main__":
    main()

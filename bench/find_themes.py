"""Time of the workspace's "Find themes" job on real NHS feedback, from reading the answers to storing the proposals,
and of the page that lists the proposals.

Data and survey as bench/workspace_latency.py builds them (4,969 coded NHS answers under "How could we
improve?", "What was good?" and "Why did you give that rating?"; --scale N repeats the rows N times, so
--scale 20 gives 99,380 responses). Two runs on all three questions: the first with the survey's codebook
empty (its 48 themes and the human codes deleted), the second after accepting the first run's three largest
proposals (so it proposes only what is new). Each prints wall and CPU seconds and the proposals found.

    .venv/bin/python bench/find_themes.py                      # SQLite in a temp dir
    .venv/bin/python bench/find_themes.py --scale 20           # ~100,000 responses
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from workspace_latency import DATA, SLUG, load, prepare_database, read_rows  # noqa: E402

PASSWORD = "correct horse battery staple"
QUESTIONS = ["improve", "good", "why"]


def timed_run(survey, user, label: str):
    from consult.extensions import db
    from consult.jobs.models import Job
    from consult.workspace.discovery import start_discovery
    from consult.workspace.filters import Filters

    wall, cpu = time.perf_counter(), time.process_time()
    run = start_discovery(survey, QUESTIONS, Filters(), 10, by=user)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    job = db.session.get(Job, run.job_id)
    assert job.state == "finished", job.error
    print(f"{label}: {run.answers:,} answers, {len(run.proposals)} proposals in {wall:.1f} s wall, {cpu:.1f} s CPU")
    print("  " + "; ".join(f"{p.label} ({p.size:,})" for p in run.proposals))
    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=1, help="repeat the 4,969 rows this many times")
    parser.add_argument("--data", type=Path, default=DATA)
    args = parser.parse_args()

    from flask_migrate import upgrade
    from sqlalchemy import delete

    from consult import create_app
    from consult.auth.models import Role
    from consult.auth.services import create_user
    from consult.coding.models import CodeAssignment, Theme, ThemeChange
    from consult.extensions import db
    from consult.surveys.services import get_survey
    from consult.workspace import proposals

    url = prepare_database("sqlite")
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench-only", "JOBS_MODE": "inline",
                      "SERVER_NAME": "localhost", "JOB_TIMEOUT_SECONDS": 3600,
                      "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})
    rows, codebook = read_rows(args.data)
    with app.app_context():
        upgrade()
        made = load(rows, codebook, args.scale)
        for model in (CodeAssignment, ThemeChange, Theme):
            db.session.execute(delete(model))
        db.session.commit()
        user = create_user("researcher@example.org", "Researcher", PASSWORD, Role.RESEARCHER)
        survey = get_survey(SLUG)
        print(f"sqlite, {made:,} responses; codebook emptied")
        first = timed_run(survey, user, "first run, no codebook")
        for proposal in sorted(first.proposals, key=lambda p: -p.size)[:3]:
            proposals.accept(proposal, proposal.label, by=user)
        timed_run(survey, user, "second run, 3 accepted")
        client = app.test_client()
        assert client.post("/login", data={"email": "researcher@example.org", "password": PASSWORD}).status_code == 302
        times = []
        for _ in range(20):
            started = time.perf_counter()
            assert client.get(f"/workspace/{SLUG}/themes/{first.id}").status_code == 200
            times.append(time.perf_counter() - started)
        times.sort()
        print(f"proposals page: p50 {times[10] * 1000:.0f} ms, max {times[-1] * 1000:.0f} ms (20 requests)")


if __name__ == "__main__":
    main()

"""Timing of `python -m analysis suggest` alone: train on the 4,969 coded NHS answers, then
suggest codes for 100,000 answers built from the shared real texts (as bench/analysis_speed.py).

    .venv/bin/python bench/analysis_suggest.py [--answers 100000] [--seed 0]

Prints wall and CPU time; on a shared machine the CPU time says more than the wall time.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from analysis.evaluate import shared_data_dir  # noqa: E402
from analysis_speed import build_answers, real_texts, suggest_argv, timed  # noqa: E402

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--answers", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    data, out = shared_data_dir(), ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    rows, _planted = build_answers(real_texts(data), args.answers, args.seed)
    answers = out / f"suggest-answers-{args.answers}.jsonl"
    answers.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    print(f"{args.answers} answers, seed {args.seed}")
    timed("suggest (train on 4,969 NHS codes)", suggest_argv(answers, out / "suggestions-only.jsonl", data, args.seed))

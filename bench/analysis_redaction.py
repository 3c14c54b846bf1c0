"""Recall and precision of `analysis.redact` on the hand-labelled UK cases.

    .venv/bin/python bench/analysis_redaction.py [--cases FILE ...] [--no-real]

Default files: the 109 tuned cases and held-out set 1. Held-out set 2
(redaction_heldout2.jsonl) is measured only on request, so it stays unseen while tuning.

Recall: share of labelled personal data fully hidden. Precision: share of redacted spans
that touch labelled personal data. Both counted per item, overall and per label. Then
every span found in the real NHS answers (../shared/data), to judge over-redaction by eye.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests/analysis/data"
sys.path.insert(0, str(ROOT))

from analysis.evaluate import shared_data_dir  # noqa: E402
from analysis.redact import find_spans, score_redaction  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=Path, nargs="+", default=[DATA / "redaction_cases.jsonl", DATA / "redaction_heldout.jsonl"])
    parser.add_argument("--no-real", action="store_true", help="skip the listing of spans in the real answers")
    args = parser.parse_args()
    for path in args.cases:
        report(path)
    if not args.no_real:
        real_text_check()


def load_cases(path: Path) -> list[tuple[str, list[tuple[str, str]]]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(row["text"], [tuple(item) for item in row["pii"]]) for row in rows]


def report(path: Path) -> None:
    cases = load_cases(path)
    overall = score_redaction(cases)
    print(f"== {path.name}: {len(cases)} texts, {overall.gold} labelled items, {overall.predicted} redactions")
    print(f"recall {overall.recall:.3f}  precision {overall.precision:.3f}")
    for label in sorted({label for _, items in cases for label, _ in items}):
        subset = [(text, [i for i in items if i[0] == label]) for text, items in cases if any(i[0] == label for i in items)]
        recall = score_redaction(subset)
        found = recall.gold - len(recall.missed)
        print(f"  {label:<14} recall {recall.recall:.3f} ({found}/{recall.gold})")
    for label, value in overall.missed:
        print(f"  missed {label}: {value!r}")
    for text in overall.spurious:
        print(f"  over-redacted: {text!r}")


def real_text_check() -> None:
    """Every span found in the real NHS answers, in context, to judge by eye (the data was
    anonymised by its publisher, but some staff first names remain)."""
    path = shared_data_dir() / "nhs-feedback/coded.jsonl"
    if not path.exists():
        return
    texts = [json.loads(line)["text"] for line in path.open(encoding="utf-8")]
    found = [(text, span) for text in texts for span in find_spans(text)]
    print(f"real NHS answers: {len(texts)}, spans redacted: {len(found)}")
    for text, span in found:
        context = text[max(0, span.start - 20) : span.end + 12].replace("\n", " ")
        print(f"  {span.label:<10} {text[span.start:span.end]!r:<16} ...{context}...")


if __name__ == "__main__":
    main()

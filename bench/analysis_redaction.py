"""Recall and precision of `analysis.redact` on the hand-labelled UK cases.

    .venv/bin/python bench/analysis_redaction.py [--cases FILE ...] [--no-real] [--speed 100000]

Default files: the sets tuned on (the 109 cases, sets 1 to 10 and 12 to 15, each written blind and
tuned on once scored, and the development set redaction_dev5.jsonl). Held-out set 11
(redaction_heldout11.jsonl) is measured only on request, and by `python -m analysis evaluate
--parts redaction`: it was never tuned on.

Recall: share of labelled personal data fully hidden. Precision: share of redacted spans
that touch labelled personal data. Both counted per item, overall and per label; then the
share of clean texts (nothing labelled) that come back unchanged. Then every span found in
the real NHS answers (../shared/data), to judge over-redaction by eye.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests/analysis/data"
sys.path.insert(0, str(ROOT))

from analysis.evaluate import shared_data_dir  # noqa: E402
from analysis.redact import find_spans, redact, score_redaction  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    tuned = [DATA / f"redaction_{name}.jsonl" for name in ("cases", "heldout", "dev5", *(f"heldout{n}" for n in (2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 13, 14, 15)))]
    parser.add_argument("--cases", type=Path, nargs="+", default=tuned)
    parser.add_argument("--no-real", action="store_true", help="skip the listing of spans in the real answers")
    parser.add_argument("--speed", type=int, metavar="N", help="only time redaction of N answers built as in analysis_speed.py")
    args = parser.parse_args()
    if args.speed:
        return speed(args.speed)
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
    clean = [text for text, items in cases if not items]
    changed = [text for text in clean if redact(text).text != text]
    print(f"  clean texts kept {len(clean) - len(changed)}/{len(clean)}")
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


def speed(n: int) -> None:
    """CPU time (the 2 cores are shared, so wall time mostly measures the neighbours) of
    redact() alone, then of the whole `redact` command with its JSONL reading and writing."""
    from analysis_speed import build_answers, real_texts, timed

    rows, _ = build_answers(real_texts(shared_data_dir()), n, seed=0)
    start, cpu_start = time.perf_counter(), time.process_time()
    found = sum(len(redact(row["text"]).spans) for row in rows)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    print(f"redact() on {n} answers: {seconds:.1f} s wall {cpu:.1f} s CPU, {found} spans")
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    answers = out / "answers-redaction.jsonl"
    answers.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    timed("redact command", ["redact", "--input", str(answers), "--output", str(out / "redacted.jsonl")])


if __name__ == "__main__":
    main()

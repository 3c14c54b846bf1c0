"""Themes found without codes, against the themes people (or the reference set) gave.

    .venv/bin/python bench/analysis_themes.py

For the themefinder gambling set (2 questions x 100 synthetic answers, multi-label) and
the NHS and cycling sets: NMI between discovered theme and first human code, and how many
human themes are the most common code of at least one discovered theme ("recovered").
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis.evaluate import DATASETS, load_dataset, shared_data_dir  # noqa: E402
from analysis.records import Answer  # noqa: E402
from analysis.text import analyzer_for  # noqa: E402
from analysis.themes import discover_themes, theme_labels  # noqa: E402


def gambling(part: int) -> list[Answer]:
    root = shared_data_dir() / "themefinder-gambling-xs"
    texts = {
        row["response_id"]: row["response"]
        for row in map(json.loads, (root / f"inputs/question_part_{part}/responses.jsonl").open(encoding="utf-8"))
    }
    mapping = root / f"outputs/mapping/2025-07-22/question_part_{part}/mapping.jsonl"
    return [
        Answer(str(row["response_id"]), texts[row["response_id"]], tuple(row["labels"]))
        for row in map(json.loads, mapping.open(encoding="utf-8"))
    ]


def report(name: str, answers: list[Answer], language: str) -> None:
    from sklearn.metrics import normalized_mutual_info_score

    human = [a.codes[0] if a.codes else "" for a in answers]
    n_codes = len(set(human))
    themes = discover_themes(answers, analyzer_for(language), n_themes=min(n_codes, 20), seed=0)
    found = theme_labels(themes, answers)
    nmi = normalized_mutual_info_score(human, found)
    majority = {Counter(h for h, f in zip(human, found) if f == t.id).most_common(1)[0][0] for t in themes}
    print(f"{name:<18} answers {len(answers):>5}  human themes {n_codes:>3}  found {len(themes):>3}  "
          f"NMI {nmi:.3f}  recovered {len(majority)}/{n_codes}")


def main() -> None:
    for part in (1, 2):
        report(f"gambling part {part}", gambling(part), "en")
    for name, spec in DATASETS.items():
        report(name, load_dataset(name), spec.language)


if __name__ == "__main__":
    main()

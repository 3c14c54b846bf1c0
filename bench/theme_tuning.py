"""Theme discovery on the tuning set only (NHS NEAS): seed 0 on all answers and the mean of four seeded
90% samples (seeds 1-4), as analysis/README.md reports variants. Held-out sets are never read here.

    PYTHONPATH=. .venv/bin/python bench/theme_tuning.py [--codes] [--vectors NHS_VECTORS.npy] [--steady]

`--vectors`: sentence vectors of the whole NHS file in its order (`python -m analysis embed --in
../shared/data/nhs-feedback/coded.jsonl --out FILE.npy`); NEAS's rows are picked by answer id.
`--steady`: seeds move NEAS's figure by up to 0.018, more than most variants do, so also the mean over seeds
0-4 on all answers, and over 16 seeded samples of 300 and of 100 answers (the size of the gambling sets).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis.evaluate import shared_data_dir  # noqa: E402
from analysis.evaluate_themes import load_theme_set, score_themes  # noqa: E402
from analysis.text import analyzer_for  # noqa: E402
from analysis.theme_labels import label_words  # noqa: E402
from analysis.themes import discover_themes  # noqa: E402


def run_once(answers, seed: int, vectors: dict | None = None) -> tuple[dict, list]:
    rows = None if vectors is None else np.stack([vectors[a.id] for a in answers])
    themes = discover_themes(answers, analyzer_for("en"), label_words=label_words("en"), vectors=rows, seed=seed)
    return score_themes(answers, themes), themes


def per_code(answers, themes) -> None:
    """Each code of at least 2%: its size, best theme, F1, precision, recall."""
    coded: dict[str, set[str]] = {}
    for a in answers:
        for c in a.codes:
            coded.setdefault(c, set()).add(a.id)
    n = len(answers)
    groups = [(t.label, set(t.answer_ids)) for t in themes]
    for code, ids in sorted(coded.items(), key=lambda c: -len(c[1])):
        if len(ids) < 0.02 * n:
            continue
        label, g = max(groups, key=lambda lg: 2 * len(ids & lg[1]) / (len(ids) + len(lg[1])))
        f1 = 2 * len(ids & g) / (len(ids) + len(g))
        print(f"  {len(ids):>4} {code[:45]:<45} F1 {f1:.3f} P {len(ids & g) / len(g):.2f} "
              f"R {len(ids & g) / len(ids):.2f} -> {label} ({len(g)})")


def steady(answers, vectors: dict | None) -> None:
    """Mean match-F1 over seeds 0-4 on all answers, and over 16 seeded samples of 300 and of 100 answers."""
    full = [run_once(answers, seed, vectors)[0] for seed in range(5)]
    f1 = [r["match_f1"] for r in full]
    line = [f"seeds 0-4 {np.mean(f1):.4f} (sd {np.std(f1):.4f}, "
            f"themes/answer {np.mean([r['themes_per_answer'] for r in full]):.2f})"]
    for size in (300, 100):
        picked = [np.sort(np.random.default_rng(seed).permutation(len(answers))[:size]) for seed in range(16)]
        scores = [run_once([answers[i] for i in keep], seed, vectors)[0]["match_f1"]
                  for seed, keep in enumerate(picked)]
        line.append(f"{size} answers {np.mean(scores):.4f}")
    print("STEADY " + " / ".join(line))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--codes", action="store_true")
    parser.add_argument("--samples", type=int, default=4)
    parser.add_argument("--vectors", default=None, help="the NHS file's sentence vectors, in file order (.npy)")
    parser.add_argument("--steady", action="store_true", help="also the means over seeds and small samples")
    args = parser.parse_args()
    answers = load_theme_set("nhs-neas", shared_data_dir())
    vectors = None
    if args.vectors:
        from analysis.evaluate import load_dataset

        ids = [a.id for a in load_dataset("nhs-text-only", shared_data_dir())]
        vectors = dict(zip(ids, np.load(args.vectors)))
    cpu = time.process_time()
    row, themes = run_once(answers, 0, vectors)
    print(f"seed 0: match-F1 {row['match_f1']:.3f} AMI {row['ami']:.3f} themes/answer "
          f"{row['themes_per_answer']:.2f}\n  labels: {'; '.join(row['labels'])}")
    if args.codes:
        per_code(answers, themes)
    scores = []
    for seed in range(1, args.samples + 1):
        keep = np.sort(np.random.default_rng(seed).permutation(len(answers))[:int(0.9 * len(answers))])
        sub = [answers[i] for i in keep]
        r, _ = run_once(sub, seed, vectors)
        scores.append((r["match_f1"], r["ami"], r["themes_per_answer"]))
    m = np.mean(scores, axis=0)
    print(f"samples: {' '.join(f'{s[0]:.3f}' for s in scores)} mean match-F1 {m[0]:.3f} AMI {m[1]:.3f} "
          f"themes/answer {m[2]:.2f}")
    print(f"RESULT {row['match_f1']:.3f} / {m[0]:.3f}  cpu {time.process_time() - cpu:.0f}s")
    if args.steady:
        steady(answers, vectors)


if __name__ == "__main__":
    main()

"""Suggestion variants scored on inner splits only (the protocol in analysis/README.md): for each seed,
the training part of the evaluate split (3,975 NHS answers) is split again 80/20 with the same seed
(3,180 to train, 795 to score), so choosing among variants never looks at the evaluate splits.

    PYTHONPATH=. python bench/suggest_inner.py --vectors nhs-minilm.npy [--extra max.npy:0.5] [--seeds 0,1,2]
        [--set name=value ...]

`--vectors` may name each seed's own file with `{seed}` (vectors from a model tuned on that seed's inner training
answers: bench/suggest_setfit.py). `--extra PATH:WEIGHT` stacks further stored per-answer columns beside the vectors at that weight; `--set`
passes keyword arguments to suggest.train (numbers). Prints each seed's figures and their mean.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis.evaluate import DATASETS, fit_and_score, load_dataset, split_rows  # noqa: E402


def inner_rows(count: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Row numbers (into the whole set) of the inner training and scoring parts of `seed`'s training answers."""
    outer_train, _test = split_rows(count, 0.2, seed)
    fit, score = split_rows(len(outer_train), 0.2, seed)
    return outer_train[fit], outer_train[score]


def stacked(args: argparse.Namespace, count: int, seed: int) -> np.ndarray | None:
    parts = [np.load(args.vectors.format(seed=seed))] if args.vectors else []
    for item in args.extra:
        path, weight = item.rsplit(":", 1)
        parts.append(float(weight) * np.load(path))
    if not parts:
        return None
    out = np.hstack(parts).astype(np.float32)
    assert out.shape[0] == count
    return out


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dataset", default="nhs")
    parser.add_argument("--vectors")
    parser.add_argument("--extra", action="append", default=[])
    parser.add_argument("--seeds", default="0,1,2")
    parser.add_argument("--set", action="append", default=[], help="train keyword=value")
    args = parser.parse_args()
    answers = load_dataset(args.dataset)
    options = {k: json.loads(v) for k, v in (s.split("=", 1) for s in args.set)}
    reports = []
    for seed in map(int, args.seeds.split(",")):
        fit_rows, score_rows = inner_rows(len(answers), seed)
        vectors = stacked(args, len(answers), seed)
        pair = None if vectors is None else (vectors[fit_rows], vectors[score_rows])
        start = time.process_time()
        report = fit_and_score([answers[i] for i in fit_rows], [answers[i] for i in score_rows],
                               DATASETS[args.dataset].language, seed, None,
                               vectors=pair, **options)
        reports.append(report)
        print(f"seed {seed}: sample-F1 {report['sample_f1']:.4f}, auto {report['auto_share']:.3f} at "
              f"{report['auto_sample_f1'] or 0:.3f} ({time.process_time() - start:.1f} s CPU)", flush=True)
    mean = np.mean([r["sample_f1"] for r in reports])
    print(f"mean sample-F1 {mean:.4f}, auto {np.mean([r['auto_share'] for r in reports]):.3f}, "
          f"min auto agreement {min(r['auto_sample_f1'] or 0 for r in reports):.3f}")

"""Code-choice rules tried offline on bench/suggest_probe.py's cached probabilities (inner splits; sample-F1 only:
the confidence and auto cut are not re-fitted here).

`pairwise`: the codes are no longer taken as independent when weighing the expected F1: among an answer's 5 most
likely codes, every one of the 32 outcomes is weighted by the product of the calibrated probabilities times
exp(scale * w_ij) for each pair of codes i, j both present, w_ij = log((n_ij + a) / (e_ij + a)) with n_ij the
training answers people gave both codes and e_ij the count expected from the out-of-fold probabilities were they
independent (a: smoothing); the chosen set is the best prefix of the ranking (or, with subsets, any set of up to 3
of the 5), and "no code" as before. `none`: p(no code) scaled before the usual exact choice.

    PYTHONPATH=. python bench/suggest_choice_offline.py --probe-dir /tmp/probe
"""

from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis.code_choice import choose

TOP = 5
OUTCOMES = np.array(list(itertools.product([0, 1], repeat=TOP)), dtype=float)


def sample_f1(gold: np.ndarray, chosen: np.ndarray) -> float:
    hits, size = (gold & chosen).sum(1), gold.sum(1) + chosen.sum(1)
    return float(np.where(size == 0, 1.0, 2 * hits / np.maximum(size, 1)).mean())


def lift(held: np.ndarray, gold: np.ndarray, smoothing: float) -> np.ndarray:
    seen, expected = gold.T.astype(float) @ gold, held.T @ held
    np.fill_diagonal(seen, 0)
    np.fill_diagonal(expected, 0)
    return np.log((seen + smoothing) / (expected + smoothing))


def pairwise_choose(p: np.ndarray, none: np.ndarray, pairs: np.ndarray, scale: float, subsets: bool) -> np.ndarray:
    order = np.argsort(-p, axis=1, kind="stable")[:, :TOP]
    top = np.clip(np.take_along_axis(p, order, 1), 1e-9, 1 - 1e-9)
    rest = p.sum(1) - top.sum(1)
    sets = ([c for c in itertools.product([0, 1], repeat=TOP) if 0 < sum(c) <= 3] if subsets
            else [[1] * k + [0] * (TOP - k) for k in range(1, TOP + 1)])
    candidates = np.array(sets, dtype=float)
    chosen = np.zeros(p.shape, dtype=bool)
    for i in range(len(p)):
        log_p = OUTCOMES @ np.log(top[i]) + (1 - OUTCOMES) @ np.log(1 - top[i])
        w = np.triu(pairs[np.ix_(order[i], order[i])], 1) * scale
        weight = np.exp(log_p + np.einsum("sa,ab,sb->s", OUTCOMES, w, OUTCOMES))
        f1 = 2 * (candidates @ OUTCOMES.T) / (candidates.sum(1)[:, None] + OUTCOMES.sum(1)[None, :] + rest[i])
        expected = f1 @ (weight / weight.sum())
        best = expected.argmax()
        if none[i] <= expected[best]:
            chosen[i, order[i][candidates[best] > 0]] = True
    return chosen


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--probe-dir", required=True)
    parser.add_argument("--seeds", default="0,1,2")
    args = parser.parse_args()
    runs = [dict(np.load(Path(args.probe_dir) / f"seed{s}.npz")) for s in map(int, args.seeds.split(","))]

    def show(name: str, scores: list[float]) -> None:
        print(f"{name}: {' / '.join(f'{s:.4f}' for s in scores)} (mean {np.mean(scores):.4f})", flush=True)

    show("kept rule", [sample_f1(r["gold_test"], choose(r["test"][:, :-1], r["test"][:, -1], exact=True)) for r in runs])
    for factor in (0.8, 0.9, 1.1, 1.25):
        show(f"none x {factor}", [sample_f1(r["gold_test"], choose(r["test"][:, :-1], r["test"][:, -1] * factor,
                                                                   exact=True)) for r in runs])
    for smoothing, scale, subsets in itertools.product((1.0, 5.0), (0.5, 1.0), (False, True)):
        show(f"pairwise a {smoothing} scale {scale}{' any subset' if subsets else ''}",
             [sample_f1(r["gold_test"], pairwise_choose(r["test"][:, :-1], r["test"][:, -1],
                                                        lift(r["oof"][:, :-1], r["gold_train"][:, :-1], smoothing),
                                                        scale, subsets)) for r in runs])

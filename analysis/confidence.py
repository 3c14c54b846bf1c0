"""How far a person would agree with a suggested code set, and where to route it to `auto`.

A small gradient-boosted regression learns, from the coded answers' out-of-fold
suggestions, the sample-F1 between the suggested codes and the person's codes, from
features of the suggestion: the top probabilities and the most likely code, the chance of "no code",
the expected F1 of the best and next-best set, the answer's length, and how people coded answers with
the same words before (how many, and how often exactly this code set). Its prediction is
an answer's `confidence`.

The `auto` cut is then chosen on the same coded answers, with the regression's own
out-of-fold predictions: the lowest confidence at which the answers above it still agreed
with people's codes at `target` sample-F1 on average (by default 0.955: the 0.95 asked of
auto-assigned answers, plus a margin for the error of estimating it). Too few coded
answers, or none agreeing that well: no cut (nothing is auto-assigned).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from analysis.campaign_signatures import tokens
from analysis.code_choice import decision_margin, expected_f1

MIN_ANSWERS = 200  # fewer coded answers: confidence is the raw decision margin and nothing goes to auto
TARGET_AGREEMENT = 0.955
# With sentence vectors beside the words the final model is surer than its out-of-fold copies by more, so the
# answers it routes to auto agreed less than the out-of-fold estimate: a wider margin (chosen on inner splits, README)
TARGET_AGREEMENT_WITH_VECTORS = 0.965


def target_for(with_vectors: bool, target: float | None = None) -> float:
    """The auto cut's agreement target: `target` when given, else the default for the features read."""
    if target is not None:
        return target
    return TARGET_AGREEMENT_WITH_VECTORS if with_vectors else TARGET_AGREEMENT


def same_words_key(text: str, context: str = "") -> str:
    """Answers that say the same words to the same question share a key ("Nothing." = "nothing")."""
    return context.strip().casefold() + "\x1f" + " ".join(tokens(text))


@dataclass(frozen=True)
class Precedents:
    """Code sets people gave to answers with the same words, by same_words_key."""

    sets: dict[str, Counter]

    @classmethod
    def of(cls, keys: Sequence[str], gold: np.ndarray) -> Precedents:
        sets: dict[str, Counter] = {}
        for key, row in zip(keys, gold):
            sets.setdefault(key, Counter())[np.flatnonzero(row).tobytes()] += 1
        return cls(sets)

    def features(self, keys: Sequence[str], chosen: np.ndarray, exclude: np.ndarray | None = None) -> np.ndarray:
        """(answers, 2): how many coded answers had the same words, and the share of them coded
        exactly as chosen. `exclude` (the coded answers' own code sets) leaves each one out."""
        out = np.zeros((len(keys), 2))
        for i, key in enumerate(keys):
            seen = self.sets.get(key)
            if not seen:
                continue
            mine = np.flatnonzero(chosen[i]).tobytes()
            total, same = sum(seen.values()), seen.get(mine, 0)
            if exclude is not None:
                total -= 1
                same -= np.flatnonzero(exclude[i]).tobytes() == mine
            if total > 0:
                out[i] = total, same / total
        return out


def suggestion_features(probabilities: np.ndarray, none: np.ndarray, chosen: np.ndarray, words: np.ndarray,
                        precedent: np.ndarray) -> np.ndarray:
    """One row per answer of what the confidence regression reads."""
    n, k = probabilities.shape
    padded = np.hstack([-np.sort(-probabilities, axis=1), np.zeros((n, 3))])
    expected = expected_f1(probabilities)
    best_two = -np.sort(-expected, axis=1)[:, :2] if k > 1 else np.hstack([expected, np.zeros((n, 1))])
    entropy = -(probabilities * np.log(probabilities + 1e-9)).sum(axis=1)
    top_code = probabilities.argmax(axis=1) if k else np.zeros(n)
    return np.column_stack([
        padded[:, 0], padded[:, 1], padded[:, 2], none, chosen.sum(axis=1), probabilities.sum(axis=1),
        decision_margin(probabilities, none, chosen),
        best_two[:, 0], best_two[:, 0] - best_two[:, 1], (probabilities > 0.1).sum(axis=1), entropy, top_code,
        words, precedent,
    ])


def _regressor(seed: int) -> Any:
    from sklearn.ensemble import HistGradientBoostingRegressor

    return HistGradientBoostingRegressor(max_depth=3, max_iter=200, learning_rate=0.05, early_stopping=False,
                                         random_state=seed)


def one_thread() -> Any:
    """OpenMP limited to one thread: on a busy 2-core machine its threads wait on each other
    (measured: 9 s to fit on a few thousand rows with two threads, 0.1 s with one)."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1, user_api="openmp")


def fit(features: np.ndarray, agreement: np.ndarray, *, seed: int = 0, target: float = TARGET_AGREEMENT,
        folds: int = 5) -> tuple[Any, float]:
    """(regression, auto cut) from the coded answers' suggestion features and their sample-F1
    with people's codes; the cut is infinite where no share of answers reaches `target`."""
    from sklearn.model_selection import KFold

    held = np.zeros(len(agreement))
    with one_thread():
        for fit_rows, held_rows in KFold(folds, shuffle=True, random_state=seed).split(features):
            held[held_rows] = _regressor(seed).fit(features[fit_rows], agreement[fit_rows]).predict(features[held_rows])
        regression = _regressor(seed).fit(features, agreement)
    return regression, auto_cut(np.clip(held, 0.0, 1.0), agreement, target)


def auto_cut(predicted: np.ndarray, agreement: np.ndarray, target: float) -> float:
    """The lowest predicted value whose answers at or above it agree at `target` on average."""
    order = np.argsort(-predicted, kind="stable")
    running = np.cumsum(agreement[order]) / np.arange(1, len(order) + 1)
    # ties: only cut where the next prediction is lower, so "at or above" means what was measured
    ends = np.flatnonzero((running >= target) & np.append(np.diff(predicted[order]) < 0, True))
    return float(predicted[order][ends.max()]) if len(ends) else float("inf")

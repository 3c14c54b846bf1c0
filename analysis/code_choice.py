"""Which codes to give an answer, from the probability of each code: the set with the best expected F1.

Shared by analysis.suggest (the choice) and analysis.confidence (which reads the same expected F1s
and decision margin as features).
"""

from __future__ import annotations

import numpy as np


def expected_f1(probabilities: np.ndarray) -> np.ndarray:
    """(answers, codes): column k - 1 is the expected F1 with the (unknown) human codes of giving an
    answer its k most likely codes, 2 * sum(top-k p) / (k + sum(p))."""
    k = probabilities.shape[1]
    ordered = -np.sort(-probabilities, axis=1)
    return 2 * np.cumsum(ordered, axis=1) / (np.arange(1, k + 1) + probabilities.sum(axis=1, keepdims=True))


def choose(probabilities: np.ndarray, none: np.ndarray | None = None) -> np.ndarray:
    """Codes that maximise the expected F1 with the human codes: the top k codes, with the k of the best
    expected_f1 (the smaller k on a tie); no codes at all where `none` (the probability the answer
    carries no code) is higher than that expected F1."""
    n, k = probabilities.shape
    chosen = np.zeros((n, k), dtype=bool)
    if not n or not k:
        return chosen
    order = np.argsort(-probabilities, axis=1, kind="stable")
    expected = expected_f1(probabilities)
    best = expected.argmax(axis=1)
    np.put_along_axis(chosen, order, np.arange(k)[None, :] <= best[:, None], axis=1)
    if none is not None:
        chosen[none > expected.max(axis=1)] = False
    return chosen


def decision_margin(probabilities: np.ndarray, none: np.ndarray, chosen: np.ndarray) -> np.ndarray:
    """How clear-cut a choice is: min(best code's p, 1 - second best's p); for an answer left without
    codes, min(p(no code), 1 - best code's p)."""
    n, k = probabilities.shape
    ordered = -np.sort(-probabilities, axis=1)
    top = ordered[:, 0] if k else np.zeros(n)
    second = ordered[:, 1] if k > 1 else np.zeros(n)
    return np.where(chosen.any(axis=1), np.minimum(top, 1 - second), np.minimum(none, 1 - top))

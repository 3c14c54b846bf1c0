"""Which codes to give an answer, from the probability of each code: the set with the best expected F1.

Two expectations of a top-k set's F1: `expected_f1`, the ratio of expectations 2 * sum(top-k p) / (k + sum(p))
(few-shot scores, which are not calibrated per code); and `exact_expected_f1`, the expectation of
2 * TP / (k + |codes|) itself when each code applies independently with its probability (analysis.suggest's
calibrated probabilities). The ratio overrates a second code: with p = 0.9 and 0.4 it prefers two codes
(0.788 against 0.783), the exact expectation one (0.780 against 0.747). Chosen on inner splits of the
evaluation's training answers: sample-F1 0.714 -> 0.718 there (analysis/README.md).

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


MOST_CODES = 6  # exact_expected_f1 weighs sets of up to this many codes (people gave at most 9 of 48, 1.3 on average)
REST_CAP = 8  # codes outside the set counted up to this many (more weighs as this many: a change below 1e-3)


def _count_step(dist: np.ndarray, p: np.ndarray, cap: int | None = None) -> np.ndarray:
    """Distribution of a count of codes (answers, counts) after one more code that applies with `p`;
    with `cap`, the last column holds that many codes or more."""
    q = p[:, None]
    out = np.zeros((len(dist), dist.shape[1] + (cap is None)))
    out[:, : dist.shape[1]] = dist * (1 - q)
    out[:, 1:] += dist[:, : out.shape[1] - 1] * q
    if cap is not None:
        out[:, -1] += dist[:, -1] * q[:, 0]
    return out


def exact_expected_f1(probabilities: np.ndarray, most: int = MOST_CODES, cap: int = REST_CAP) -> np.ndarray:
    """(answers, min(most, codes)): column k - 1 is the expected F1 of giving an answer its k most likely
    codes when each code applies independently with its probability: E[2 * TP / (k + TP + FN)] over the
    number TP of the k that apply and the number FN of the others that apply."""
    n, m = probabilities.shape
    most = min(most, m)
    ordered = -np.sort(-probabilities, axis=1)
    rest = {m: np.ones((n, 1))}  # counts among the codes from rank k on
    dist = rest[m]
    for j in range(m - 1, 0, -1):
        dist = _count_step(dist, ordered[:, j], cap if dist.shape[1] > cap else None)
        if j <= most:
            rest[j] = dist
    out = np.zeros((n, most))
    hits = np.ones((n, 1))
    for k in range(1, most + 1):
        hits = _count_step(hits, ordered[:, k - 1])
        others = rest.get(k, rest[m])
        a, b = np.arange(k + 1)[:, None], np.arange(others.shape[1])[None, :]
        out[:, k - 1] = np.einsum("na,nb,ab->n", hits, others, 2 * a / (k + a + b))
    return out


def choose(probabilities: np.ndarray, none: np.ndarray | None = None, *, exact: bool = False) -> np.ndarray:
    """Codes that maximise the expected F1 with the human codes: the top k codes, with the k of the best
    expected F1 (`exact_expected_f1` with `exact`, else `expected_f1`; the smaller k on a tie); no codes at
    all where `none` (the probability the answer carries no code) is higher than that expected F1."""
    n, k = probabilities.shape
    chosen = np.zeros((n, k), dtype=bool)
    if not n or not k:
        return chosen
    order = np.argsort(-probabilities, axis=1, kind="stable")
    expected = exact_expected_f1(probabilities) if exact else expected_f1(probabilities)
    best = expected.argmax(axis=1)
    width = expected.shape[1]
    np.put_along_axis(chosen, order[:, :width], np.arange(width)[None, :] <= best[:, None], axis=1)
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

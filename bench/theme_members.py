"""Membership rules for discovered themes on the tuning set only (NHS NEAS; seed 0 and four seeded 90%
samples): the factorisation is run once per sample, and each rule turns its weights into members.

    PYTHONPATH=. .venv/bin/python bench/theme_members.py
"""
from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis.evaluate import shared_data_dir  # noqa: E402
from analysis.evaluate_themes import load_theme_set, match_f1  # noqa: E402
from analysis.text import analyzer_for  # noqa: E402
from analysis.theme_vectors import theme_space  # noqa: E402
from analysis.themes import MAX_THEMES, distinct_answers, factorise, soft_members  # noqa: E402


def runs() -> list[tuple[list, np.ndarray]]:
    """(answers, weights) for seed 0 on all NEAS answers and seeds 1-4 on 90% samples."""
    answers = load_theme_set("nhs-neas", shared_data_dir())
    out = []
    for seed in range(5):
        sub = answers
        if seed:
            keep = np.sort(np.random.default_rng(seed).permutation(len(answers))[:int(0.9 * len(answers))])
            sub = [answers[i] for i in keep]
        texts = [a.text for a in sub]
        _v, _t, blended = theme_space(texts, analyzer_for("en"), seed=seed)
        weights, _c = factorise(blended, MAX_THEMES, seed, fit_rows=distinct_answers(texts))
        out.append((sub, weights))
    return out


def score(data, rule: Callable[[np.ndarray], np.ndarray]) -> tuple[float, float, float]:
    """(seed-0 match-F1, mean over samples 1-4, mean themes an answer)."""
    f1s, per = [], []
    for sub, weights in data:
        member = rule(weights)
        ids = np.array([a.id for a in sub])
        f1s.append(match_f1(sub, [set(ids[member[:, k]]) for k in range(member.shape[1])]))
        per.append(member.sum() / len(sub))
    return f1s[0], float(np.mean(f1s[1:])), float(np.mean(per))


if __name__ == "__main__":
    data = runs()
    print("current rule: %.3f / %.3f  %.2f themes an answer" % score(data, soft_members))

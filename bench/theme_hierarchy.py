"""Two-level themes on the tuning set only (NHS NEAS; seed 0 and four seeded 90% samples): broad parents
over the flat themes, scored by match-F1 over parents and children (a code's best match over both), over
children alone and over parents alone. Held-out sets are never read here.

    PYTHONPATH=. .venv/bin/python bench/theme_hierarchy.py
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


def runs(parents: tuple[int, ...] = (3, 4, 5, 6)) -> list[dict]:
    answers = load_theme_set("nhs-neas", shared_data_dir())
    out = []
    for seed in range(5):
        sub = answers
        if seed:
            keep = np.sort(np.random.default_rng(seed).permutation(len(answers))[:int(0.9 * len(answers))])
            sub = [answers[i] for i in keep]
        texts = [a.text for a in sub]
        _v, terms, blended = theme_space(texts, analyzer_for("en"), seed=seed)
        fit = distinct_answers(texts)
        weights, components = factorise(blended, MAX_THEMES, seed, fit_rows=fit)
        coarse = {p: factorise(blended, p, seed, fit_rows=fit) for p in parents}
        out.append(dict(answers=sub, blended=blended, terms=terms, fit=fit, weights=weights,
                        components=components, coarse=coarse, seed=seed))
    return out


Grouping = Callable[[dict], list[list[int]]]  # run -> parents as lists of child indices


def groups_of(member: np.ndarray) -> list[np.ndarray]:
    return [np.flatnonzero(member[:, k]) for k in range(member.shape[1])]


def score(data: list[dict], grouping: Grouping) -> dict[str, tuple[float, float]]:
    """seed-0 / sample-mean match-F1 over both levels, children alone, parents alone; themes an answer."""
    rows: dict[str, list[float]] = {"both": [], "children": [], "parents": [], "parents/answer": []}
    for run in data:
        ids = np.array([a.id for a in run["answers"]])
        member = soft_members(run["weights"])
        children = [set(ids[member[:, k]]) for k in range(member.shape[1])]
        parents = [set().union(*(children[c] for c in g)) for g in grouping(run) if g]
        rows["both"].append(match_f1(run["answers"], children + parents))
        rows["children"].append(match_f1(run["answers"], children))
        rows["parents"].append(match_f1(run["answers"], parents))
        rows["parents/answer"].append(sum(map(len, parents)) / len(ids))
    return {k: (v[0], float(np.mean(v[1:]))) for k, v in rows.items()}


def show(name: str, result: dict[str, tuple[float, float]]) -> None:
    print(f"{name:<40} " + "  ".join(f"{k} {a:.3f}/{b:.3f}" for k, (a, b) in result.items()), flush=True)

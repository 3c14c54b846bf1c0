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
from analysis.theme_parents import parent_groups  # noqa: E402
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


def unit(m: np.ndarray) -> np.ndarray:
    return m / np.maximum(np.linalg.norm(m, axis=1, keepdims=True), 1e-12)


def by_terms(p: int) -> Grouping:
    """Each child to the broad theme whose terms are most alike (the candidate, analysis.theme_parents)."""
    def group(run: dict) -> list[list[int]]:
        return parent_groups(run["components"], run["coarse"][p][1])
    return group


def by_members(p: int) -> Grouping:
    """Each child to the broad theme holding most of its members."""
    def group(run: dict) -> list[list[int]]:
        broad, member = soft_members(run["coarse"][p][0]), soft_members(run["weights"])
        nearest = [int(np.argmax((member[:, [c]] & broad).sum(0))) for c in range(member.shape[1])]
        return [[c for c, q in enumerate(nearest) if q == k] for k in range(p)]
    return group


def by_chance(p: int, draw: int) -> Grouping:
    """Children dealt at random into p parents: what more groups alone add to the measure."""
    def group(run: dict) -> list[list[int]]:
        dealt = np.random.default_rng(100 + run["seed"] + 17 * draw).permutation(run["weights"].shape[1]) % p
        return [list(np.flatnonzero(dealt == q)) for q in range(p)]
    return group


def by_linkage(p: int) -> Grouping:
    """Children joined by average-linkage clustering of their terms (cosine) into p groups."""
    def group(run: dict) -> list[list[int]]:
        from sklearn.cluster import AgglomerativeClustering

        found = AgglomerativeClustering(p, metric="cosine", linkage="average").fit_predict(unit(run["components"]))
        return [list(np.flatnonzero(found == q)) for q in range(p)]
    return group


if __name__ == "__main__":
    data = runs()
    show("children alone (today)", score(data, lambda run: []))
    for p in (3, 4, 5, 6):
        show(f"terms, {p} broad", score(data, by_terms(p)))
        show(f"members, {p} broad", score(data, by_members(p)))
        show(f"linkage, {p} groups", score(data, by_linkage(p)))
        for draw in range(3):
            show(f"chance {draw}, {p} groups", score(data, by_chance(p, draw)))

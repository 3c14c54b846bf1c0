"""Broad themes over the themes found: two levels, as researchers build them in NVivo or Consult.

The themes found stay exactly as they are (the children). A second, coarser factorisation of the same
blended TF-IDF into PARENTS themes says which children belong together: each child goes to the broad
theme whose terms are most like its own (cosine of their term weights), and a broad theme holding two
or more children becomes a parent whose members are the union of its children's (an answer's weight in
it is its strongest child's). A broad theme holding one child or none adds nothing and is dropped, as
is one holding most of the children (what is left over, not a theme).

Why: people's large codes are about meaning ("Positive experience & gratitude" = "Nothing.", "Excellent
service", "Everything!") and the words split them over several themes; the coarse factorisation puts
them back together without a threshold on similarity, which did not carry from one set to another
(analysis/README.md). Chosen on the tuning set only (NHS NEAS).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from analysis.records import Theme

PARENTS = 5  # broad themes factorised; about two children each for the default 10 themes
MOST_CHILDREN = 0.5  # a broad theme holding more than this share of the children is what is left, not a theme
SHARED_BY = 2  # a parent's label is a phrase its strongest answers use in at least this many of its children
LABEL_TRIES = 8  # phrases tried before a parent is named by its children's labels


def shared_phrase(index, core: list[int], cores: list[list[int]], taken: list[str], below: list[str],
                  min_share: float) -> str | None:
    """The phrase most typical of a parent's core answers (analysis.theme_labels.PhraseIndex.best) that at
    least SHARED_BY of its children use (in `min_share` of their core answers): what the children share,
    not one child's word ("Staff" over "Helpful" and "Caring"). Never another parent's label (`taken`),
    nor one holding a theme's label (`below`), though it may be part of one ("Park" over "Park benches")."""
    passed: list[str] = []
    for _ in range(LABEL_TRIES):
        phrase = index.best(core, taken, within=below + passed)
        if phrase is None:
            return None
        if sum(sum(phrase in index.phrases_of(r) for r in rows) >= max(1, min_share * len(rows))
               for rows in cores) >= SHARED_BY:
            return phrase
        passed.append(phrase)
    return None


def parent_groups(children: np.ndarray, broad: np.ndarray) -> list[list[int]]:
    """Rows of `children` (themes x terms) grouped by the row of `broad` whose terms are most alike
    (cosine; ties to the lower row); only groups of two or more and, beyond two, at most MOST_CHILDREN of
    the rows. A
    few broad themes each repeat one strong child and one takes the rest: on answers to many questions
    (bench/analysis_themes.py's mixture) it took 6 of 10 ("Staff", "Affordable housing", "Mental health
    team", ...), which no researcher would keep as a theme."""
    def unit(m: np.ndarray) -> np.ndarray:
        norm = np.linalg.norm(m, axis=1, keepdims=True)
        return m / np.where(norm > 0, norm, 1.0)

    nearest = np.argmax(np.round(unit(children) @ unit(broad).T, 6), axis=1)
    groups = [np.flatnonzero(nearest == p).tolist() for p in range(len(broad))]
    return [g for g in groups if 2 <= len(g) <= max(2, MOST_CHILDREN * len(children))]


def parent_themes(children: Sequence[Theme], components: np.ndarray, broad: np.ndarray, row_of: dict[str, int],
                  *, first_id: int, name: Callable[[list[int], list[list[int]], list[str]], str],
                  readable: Callable[[str], str],
                  vocabulary: Sequence[str], describe: Callable[[str, Sequence[str], int], str],
                  core_weight: float, core_rows: int, n_terms: int, n_exemplars: int) -> list[tuple[Theme, list[int]]]:
    """(parent theme, indices of its children in `children`), largest parent first; `components[i]` are
    `children[i]`'s term weights. `name(core rows, each child's core rows, the children's labels)` labels
    a parent from its strongest members' rows."""
    found = []
    for group in parent_groups(components, broad):
        weight: dict[str, float] = {}
        for i in group:
            for answer_id, w in zip(children[i].answer_ids, children[i].weights):
                weight[answer_id] = max(weight.get(answer_id, 0.0), w)
        ids = sorted(weight, key=lambda a: (-round(weight[a], 6), row_of[a]))
        found.append((ids, weight, group))
    found.sort(key=lambda f: (-len(f[0]), row_of[f[0][0]]))
    parents = []
    for number, (ids, weight, group) in enumerate(found, first_id):
        summed = sum(components[i] / max(float(np.linalg.norm(components[i])), 1e-12) for i in group)
        terms = tuple(dict.fromkeys(readable(vocabulary[j]) for j in np.argsort(-summed, kind="stable")[:n_terms]))
        core = [row_of[a] for a in ids if weight[a] >= core_weight][:core_rows] or [row_of[a] for a in ids]
        cores = [[row_of[a] for a, w in zip(children[i].answer_ids, children[i].weights) if w >= core_weight][:core_rows]
                 for i in group]
        label = name(core, cores, [children[i].label for i in group])
        examples = tuple(dict.fromkeys(children[i].exemplar_ids[0] for i in group if children[i].exemplar_ids))
        parents.append((Theme(
            id=number, label=label, description=describe(label, terms, len(ids)), terms=terms,
            answer_ids=tuple(ids), weights=tuple(round(float(weight[a]), 4) for a in ids),
            exemplar_ids=examples[:n_exemplars]), group))
    return parents

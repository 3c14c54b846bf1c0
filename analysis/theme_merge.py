"""Themes that say the same thing in other words, joined after the factorisation.

Two themes are alike when their terms point the same way in a latent semantic space of the answers'
terms (LSA: truncated SVD of the TF-IDF, learnt on the rows the factorisation learnt from), where words
used in the same answers lie close ("wait", "hours" and "ambulance"), though the themes share few terms
word for word. The most alike pair is joined while its cosine reaches MERGE_COSINE (the joined theme's
direction is the sum of its parts'), so joining only ever lowers the number of themes.
"""

from __future__ import annotations

from typing import Any

import numpy as np

MERGE_COSINE = 0.45
LSA_DIMENSIONS = 100


def alike_groups(components: np.ndarray, terms: Any, seed: int, threshold: float = MERGE_COSINE) -> list[list[int]]:
    """Groups of theme indices to join (each theme in exactly one group, in order of their first theme):
    agglomerative, most alike pair first, by cosine of the themes' directions in LSA term space."""
    from sklearn.decomposition import TruncatedSVD
    from sklearn.preprocessing import normalize

    n_themes = components.shape[0]
    dimensions = min(LSA_DIMENSIONS, terms.shape[1] - 1, terms.shape[0] - 1)
    if n_themes < 2 or dimensions < 1:
        return [[k] for k in range(n_themes)]
    svd = TruncatedSVD(dimensions, random_state=seed).fit(terms)
    directions = list(normalize(components @ (svd.components_.T * svd.singular_values_)))
    groups = [[k] for k in range(n_themes)]
    while len(groups) > 1:
        unit = normalize(np.asarray(directions))
        cosine = unit @ unit.T
        np.fill_diagonal(cosine, -1.0)
        i, j = np.unravel_index(int(np.argmax(np.round(cosine, 6))), cosine.shape)
        if cosine[i, j] < threshold:
            break
        i, j = min(i, j), max(i, j)
        groups[i] += groups.pop(j)
        directions[i] = directions[i] + directions.pop(j)
    return groups


def joined(weights: np.ndarray, components: np.ndarray, member: np.ndarray, groups: list[list[int]]
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(weights, components, members, strongest theme of each answer) of the joined themes: an answer
    is in a joined theme when it is in any part, with its strongest part's share of that part's
    strongest weight; the terms are the parts' summed, each scaled to its strongest term."""
    top = weights.max(axis=0)
    share = weights / np.where(top > 0, top, 1.0)
    unit = components / np.maximum(components.max(axis=1, keepdims=True), 1e-12)
    of = np.empty(weights.shape[1], dtype=np.int64)
    for g, parts in enumerate(groups):
        of[parts] = g
    strongest = of[weights.argmax(axis=1)]
    return (np.column_stack([share[:, parts].max(axis=1) for parts in groups]),
            np.vstack([unit[parts].sum(axis=0) for parts in groups]),
            np.column_stack([member[:, parts].any(axis=1) for parts in groups]), strongest)

"""What theme discovery reads: TF-IDF of the answers' terms, each answer's terms blended with those of
its nearest neighbours in a dense space.

The dense space is the sentence vectors the caller stored for the answers (analysis.embeddings, English)
when given, else LSA of the same TF-IDF (any language: the fallback). Blending gives a short answer
("Too long a wait") the words its neighbours use ("waiting", "hours", "late"), so answers that say the
same thing in other words fall into one theme, and an answer touching two subjects carries both.

Neighbours are searched among a seeded sample of `anchors` answers, not all of them: the cost grows
with answers x anchors, and on the tuning set 300 to 1,000 anchors did as well as all answers. Anchors are
drawn from distinct answers: an answer said word for word many times ("Nothing.") is one neighbour, so the
others a short answer reads are not all copies of it.

Stored vectors find neighbours close in meaning even among a hundred answers, where LSA of so few answers
finds little: with them, theme discovery reads more neighbours, more strongly, also on small sets
(`BY_VECTORS`; chosen on the tuning set, analysis/README.md).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

LSA_DIMENSIONS = 100
ANCHORS = 1_000
NEIGHBOURS = 10
ANSWERS_PER_NEIGHBOUR = 100  # fewer neighbours on few answers: at most 1 in 10 of a typical theme's ~n/10
NEIGHBOUR_WEIGHT = 1.0
BY_LSA = {"neighbours": NEIGHBOURS, "weight": NEIGHBOUR_WEIGHT, "answers_per_neighbour": ANSWERS_PER_NEIGHBOUR}
BY_VECTORS = {"neighbours": 20, "weight": 2.0, "answers_per_neighbour": 25}
QUERY_ROWS = 4_096  # answers compared with the anchors at a time (bounds memory)


def term_matrix(texts: Sequence[str], analyzer: Callable[[str], list[str]], min_df: int | None = None
                ) -> tuple[Any, Any]:
    """(fitted vectorizer, answers x terms TF-IDF) over stemmed word 1-2-grams; raises ValueError
    when no answer has a term."""
    from analysis.features import make_vectorizer

    if min_df is None:
        min_df = 1 if len(texts) < 50 else 2 if len(texts) < 20_000 else 3
    vectorizer = make_vectorizer(analyzer, min_df=min_df)
    return vectorizer, vectorizer.fit_transform(texts)


def lsa(terms: Any, seed: int, dimensions: int = LSA_DIMENSIONS) -> np.ndarray:
    """Rows of the TF-IDF reduced to `dimensions` (truncated SVD) and l2-normalised."""
    from sklearn.decomposition import TruncatedSVD
    from sklearn.preprocessing import normalize

    dimensions = min(dimensions, terms.shape[1] - 1, terms.shape[0] - 1)
    if dimensions < 1:
        return normalize(terms.toarray().astype(np.float32))
    reduced = TruncatedSVD(dimensions, random_state=seed).fit_transform(terms)
    return normalize(reduced.astype(np.float32))


def dense_view(terms: Any, vectors: np.ndarray | None, seed: int) -> np.ndarray:
    """The caller's vectors (one row per answer), l2-normalised; else LSA of the terms."""
    from sklearn.preprocessing import normalize

    if vectors is None:
        return lsa(terms, seed)
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim != 2 or vectors.shape[0] != terms.shape[0]:
        raise ValueError(f"vectors must have one row per answer ({terms.shape[0]}), got shape {vectors.shape}")
    if not np.isfinite(vectors).all():
        raise ValueError("vectors hold NaN or infinite values")
    return normalize(vectors)


def nearest_anchors(dense: np.ndarray, seed: int, anchors: int = ANCHORS, neighbours: int = NEIGHBOURS,
                    answers_per_neighbour: int = ANSWERS_PER_NEIGHBOUR, eligible: np.ndarray | None = None
                    ) -> np.ndarray:
    """For each row, the rows of its `neighbours` most similar anchors (never itself), by cosine;
    anchors are a seeded sample of the rows (of the `eligible` rows, when given). Ties go to the lower
    row, so the result is fixed. At most one neighbour per `answers_per_neighbour` rows (none below that)."""
    n = len(dense)
    neighbours = min(neighbours, n // answers_per_neighbour)
    candidates = np.flatnonzero(dense.any(axis=1))  # a row of zeros is like nothing
    if eligible is not None:
        candidates = np.intersect1d(candidates, eligible)  # sorted, as flatnonzero gives them
    chosen = np.sort(candidates[np.random.default_rng(seed).permutation(len(candidates))[:anchors]])
    neighbours = min(neighbours, len(chosen) - 1)
    if neighbours < 1:
        return np.empty((n, 0), dtype=np.int64)
    anchor_rows = dense[chosen]
    position = np.full(n, -1)
    position[chosen] = np.arange(len(chosen))
    found = np.empty((n, neighbours), dtype=np.int64)
    for start in range(0, n, QUERY_ROWS):
        block = dense[start:start + QUERY_ROWS] @ anchor_rows.T
        rows = np.arange(start, min(start + QUERY_ROWS, n))
        own = position[rows]
        block[(own >= 0).nonzero()[0], own[own >= 0]] = -np.inf
        # rounding makes equal similarities compare equal whatever the BLAS summation order
        top = np.argsort(-np.round(block, 5), axis=1, kind="stable")[:, :neighbours]
        found[start:start + len(rows)] = chosen[top]
    return found


def blend_neighbours(terms: Any, neighbours: np.ndarray, weight: float = NEIGHBOUR_WEIGHT,
                     alone: np.ndarray | None = None) -> Any:
    """Each row of the TF-IDF plus `weight` times the mean of its neighbours' rows, l2-normalised;
    rows marked `alone` (nothing to compare them by) keep their own terms only."""
    import scipy.sparse as sp
    from sklearn.preprocessing import normalize

    n, k = neighbours.shape
    if not k or not weight:
        return terms
    share = np.full((n, k), 1.0 / k, dtype=np.float32)
    if alone is not None:
        share[alone] = 0.0
    rows = np.repeat(np.arange(n), k)
    mean = sp.csr_matrix((share.ravel(), (rows, neighbours.ravel())), shape=(n, n))
    return normalize((terms + weight * (mean @ terms)).tocsr().astype(np.float32), copy=False)


def theme_space(texts: Sequence[str], analyzer: Callable[[str], list[str]], *, vectors: np.ndarray | None = None,
                seed: int = 0, distinct: np.ndarray | None = None) -> tuple[Any, Any, Any]:
    """(vectorizer, plain TF-IDF, TF-IDF blended with neighbours) for discovery. `distinct`: the rows that
    may be neighbours, one row for each distinct answer (`themes.distinct_answers`): twenty copies of
    "Nothing." are one neighbour, not twenty."""
    vectorizer, terms = term_matrix(texts, analyzer)
    dense = dense_view(terms, vectors, seed)
    alone = ~dense.any(axis=1)
    by = BY_LSA if vectors is None else BY_VECTORS
    found = nearest_anchors(dense, seed, neighbours=by["neighbours"], answers_per_neighbour=by["answers_per_neighbour"],
                            eligible=distinct)
    return vectorizer, terms, blend_neighbours(terms, found, by["weight"], alone=alone)

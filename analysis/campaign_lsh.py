"""Similar campaign signatures: LSH banding for candidate pairs, pairs kept when their estimated Jaccard
similarity reaches the threshold, or when one text is nearly all inside the other (containment: a template with a
greeting, a sign-off or a paragraph of one's own added), then connected components (`similar_groups`).
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from analysis.arrays import sorted_distinct

# Containment joins a pair when the smaller text's shingles are at least CONTAINMENT inside the
# larger one's, as long as their Jaccard similarity is at least JACCARD_FLOOR (so a short answer
# is not joined to a long letter that happens to quote it: the floor bounds the size ratio).
CONTAINMENT, JACCARD_FLOOR = 0.8, 0.3


def choose_bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows) minimising the false-positive plus false-negative area of the
    LSH S-curve around `threshold` (the weighting datasketch uses, with equal weights)."""
    s = np.linspace(0.0, 1.0, 201)
    best, best_cost = (1, num_perm), float("inf")
    for rows in range(1, num_perm + 1):
        if num_perm % rows:
            continue
        bands = num_perm // rows
        hit = 1.0 - (1.0 - s**rows) ** bands
        cost = np.trapezoid(np.where(s < threshold, hit, 1.0 - hit), s)
        if cost < best_cost:
            best, best_cost = (bands, rows), cost
    return best


def containment(jaccard: np.ndarray, size_a: np.ndarray, size_b: np.ndarray) -> np.ndarray:
    """Share of the smaller set inside the larger, from their Jaccard similarity and sizes:
    |A & B| = J (|A| + |B|) / (1 + J)."""
    return jaccard * (size_a + size_b) / (1 + jaccard) / np.maximum(np.minimum(size_a, size_b), 1)


def similar_groups(matrix: np.ndarray, threshold: float, seed: int = 0, sizes: np.ndarray | None = None,
                   contained: float = CONTAINMENT) -> np.ndarray:
    """Group label per signature row (rows in order of first appearance).

    Rows are joined, through each row's pairing with the first row of every LSH bucket it
    falls in, when their estimated Jaccard similarity (share of equal MinHash values)
    reaches `threshold`; groups are the connected components. Given the rows' shingle
    `sizes`, a row left alone then joins the group of the one text it most resembles among
    those it nearly contains (`contained`, similarity at least JACCARD_FLOOR): a template
    with a greeting, a sign-off or a paragraph of one's own. It joins one group only, so a
    long answer that quotes two different texts never links their groups."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    n, num_perm = matrix.shape
    bands, rows = choose_bands(threshold if sizes is None else min(threshold, JACCARD_FLOOR), num_perm)
    buckets = [_bucket_edges(keys) for keys in _band_keys(matrix, bands, rows, seed)]
    edges = sorted_distinct(np.concatenate(buckets or [np.empty(0, dtype=np.int64)]))
    u, v = edges // max(n, 1), edges % max(n, 1)
    # Star edges (each to the bucket's first row) are enough for components.
    similar = _agreement(matrix, u, v)
    keep = similar >= threshold
    graph = coo_matrix((np.ones(int(keep.sum()), dtype=np.int8), (u[keep], v[keep])), shape=(n, n))
    labels = connected_components(graph, directed=False)[1]
    if sizes is None:
        return labels
    return _attach_contained(labels, u[~keep], v[~keep], similar[~keep], sizes, contained)


def _band_keys(matrix: np.ndarray, bands: int, rows: int, seed: int) -> Iterator[np.ndarray]:
    """One uint64 key per row for each LSH band: the band's values mixed by seeded odd multipliers.
    With an even number of rows a band's uint32 values are read in pairs, each pair one uint64,
    which halves the arithmetic and needs no widened copy of the matrix."""
    paired = rows % 2 == 0
    wide = np.ascontiguousarray(matrix, dtype="<u4").view("<u8") if paired else matrix.astype(np.uint64)
    width = rows // 2 if paired else rows
    mixers = np.random.default_rng(seed + 1).integers(1, 2**63, size=width, dtype=np.uint64) | np.uint64(1)
    for band in range(bands):
        yield (wide[:, band * width : (band + 1) * width] * mixers).sum(axis=1, dtype=np.uint64)


def _bucket_edges(keys: np.ndarray) -> np.ndarray:
    """Edges (head * n + row) from each bucket's first (lowest) row to the bucket's other rows."""
    n = len(keys)
    if not n:
        return np.empty(0, dtype=np.int64)
    order = np.argsort(keys)  # not stable (twice as fast): each bucket's lowest row is found below
    sorted_keys = keys[order]
    new_run = np.r_[True, sorted_keys[1:] != sorted_keys[:-1]]
    head = np.minimum.reduceat(order, np.flatnonzero(new_run))[np.cumsum(new_run) - 1]
    member = head != order
    return head[member] * n + order[member]


def _agreement(matrix: np.ndarray, u: np.ndarray, v: np.ndarray, chunk: int = 8192) -> np.ndarray:
    """Share of equal signature values of each pair (u[i], v[i]): their estimated Jaccard similarity."""
    out = np.empty(len(u))
    for lo in range(0, len(u), chunk):
        equal = matrix[u[lo : lo + chunk]] == matrix[v[lo : lo + chunk]]
        out[lo : lo + chunk] = np.count_nonzero(equal, axis=1) / matrix.shape[1]
    return out


def _attach_contained(labels: np.ndarray, u: np.ndarray, v: np.ndarray, similar: np.ndarray, sizes: np.ndarray,
                      contained: float) -> np.ndarray:
    """Each row alone in its group that nearly contains other rows joins the group of the
    most similar of them (as the groups were before any joining: no chains)."""
    small_is_u = sizes[u] <= sizes[v]
    small, large = np.where(small_is_u, u, v), np.where(small_is_u, v, u)
    alone = np.bincount(labels, minlength=len(labels))[labels[large]] == 1
    ok = alone & (similar >= JACCARD_FLOOR) & (containment(similar, sizes[small], sizes[large]) >= contained)
    small, large, similar = small[ok], large[ok], similar[ok]
    order = np.lexsort((small, -similar, large))  # per large row: the most similar first, then the earliest
    first = order[np.r_[True, large[order][1:] != large[order][:-1]]] if len(order) else order
    joined = labels.copy()
    joined[large[first]] = labels[small[first]]
    return joined

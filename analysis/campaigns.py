"""Campaign detection: answers that are copies or near-copies of one template text.

Word 3-gram shingles -> MinHash signatures (numpy, seeded, vectorised over all answers)
-> LSH banding for candidate pairs -> pairs kept when their estimated Jaccard similarity
reaches the threshold -> connected components. Exact copies are collapsed first, so a
campaign of 10,000 identical letters costs one signature.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from analysis.progress import progress
from analysis.records import Answer, Campaign

WORD = re.compile(r"\w+")
# 2**32 + 15 is prime; with a, x < 2**32, a*x + b stays below 2**64 (no uint64 overflow).
PRIME = np.uint64(4294967311)
MASK64 = np.uint64(0xFFFFFFFFFFFFFFFF)


@dataclass(frozen=True)
class Signatures:
    """MinHash signatures of the distinct texts; `text_of[i]` maps answer i to its row."""

    matrix: np.ndarray  # (distinct texts, num_perm) uint64
    text_of: np.ndarray  # (answers,) int64, -1 for answers too short to compare


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


def _shingle_hashes(
    token_lists: Sequence[Sequence[str]], k: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """32-bit hashes of each text's k-word shingles, concatenated, with start offsets.

    Tokens get seeded random 64-bit codes; a shingle's hash mixes its k codes with a
    polynomial (uint64 arithmetic wraps by design), keeping the top 32 bits.
    """
    vocabulary: dict[str, int] = {}
    ids = np.fromiter(
        (vocabulary.setdefault(t, len(vocabulary)) for tokens in token_lists for t in tokens), dtype=np.int64
    )
    lengths = np.fromiter((len(t) for t in token_lists), dtype=np.int64, count=len(token_lists))
    codes = rng.integers(1, 2**63, size=max(len(vocabulary), 1), dtype=np.uint64)[ids]
    starts = np.concatenate(([0], np.cumsum(lengths)))
    # Texts shorter than k words still get one shingle: all their words.
    widths = np.minimum(lengths, k)
    counts = np.maximum(lengths - k + 1, 1)
    shingle_starts = np.cumsum(counts) - counts
    position = np.arange(counts.sum()) - np.repeat(shingle_starts, counts)  # shingle's index in its text
    first = np.repeat(starts[:-1], counts) + position  # its first token in `ids`
    width = np.repeat(widths, counts)
    mult = np.uint64(0x9E3779B97F4A7C15)
    h = np.zeros(first.shape, dtype=np.uint64)
    for j in range(k):
        inside = j < width
        h[inside] = h[inside] * mult + codes[first[inside] + j]
    h ^= h >> np.uint64(31)
    h *= np.uint64(0xBF58476D1CE4E5B9)
    return h >> np.uint64(32), np.concatenate((shingle_starts, [counts.sum()]))


def minhash(hashes: np.ndarray, offsets: np.ndarray, num_perm: int, rng: np.random.Generator,
            show_progress: bool = False) -> np.ndarray:
    """Row i = min over text i's shingles of (a*h + b) mod p, for num_perm (a, b) pairs."""
    a = rng.integers(1, 2**32, size=num_perm, dtype=np.uint64)
    b = rng.integers(0, 2**32, size=num_perm, dtype=np.uint64)
    out = np.empty((len(offsets) - 1, num_perm), dtype=np.uint64)
    step = 8
    for lo in progress(range(0, num_perm, step), -(-num_perm // step), "minhash", enabled=show_progress):
        values = (a[lo : lo + step, None] * hashes[None, :] + b[lo : lo + step, None]) % PRIME
        out[:, lo : lo + step] = np.minimum.reduceat(values, offsets[:-1], axis=1).T
    return out


def signatures(
    answers: Sequence[Answer], *, k: int = 3, num_perm: int = 128, min_words: int = 8, seed: int = 0,
    show_progress: bool = False,
) -> Signatures:
    distinct: dict[tuple[str, ...], int] = {}
    text_of = np.full(len(answers), -1, dtype=np.int64)
    for i, answer in enumerate(progress(answers, len(answers), "shingling", enabled=show_progress)):
        tokens = tuple(WORD.findall(answer.text.casefold()))
        if len(tokens) >= min_words:
            text_of[i] = distinct.setdefault(tokens, len(distinct))
    rng = np.random.default_rng(seed)
    if not distinct:
        return Signatures(np.empty((0, num_perm), dtype=np.uint64), text_of)
    hashes, offsets = _shingle_hashes(list(distinct), k, rng)
    return Signatures(minhash(hashes, offsets, num_perm, rng, show_progress), text_of)


def similar_groups(matrix: np.ndarray, threshold: float, seed: int = 0) -> np.ndarray:
    """Component label per signature row, joining rows whose LSH bands collide and whose
    estimated Jaccard similarity (share of equal MinHash values) reaches `threshold`."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    n, num_perm = matrix.shape
    bands, rows = choose_bands(threshold, num_perm)
    mixers = np.random.default_rng(seed + 1).integers(1, 2**63, size=rows, dtype=np.uint64) | np.uint64(1)
    left, right = [], []
    for band in range(bands):
        keys = (matrix[:, band * rows : (band + 1) * rows] * mixers).sum(axis=1, dtype=np.uint64)
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        new_run = np.r_[True, sorted_keys[1:] != sorted_keys[:-1]]
        head = order[np.flatnonzero(new_run)[np.cumsum(new_run) - 1]]  # first row of each bucket
        member = head != order
        left.append(head[member])
        right.append(order[member])
    u = np.concatenate(left) if left else np.empty(0, dtype=np.int64)
    v = np.concatenate(right) if right else np.empty(0, dtype=np.int64)
    if len(u):
        pairs = np.unique(np.stack([u, v], axis=1), axis=0)
        u, v = pairs[:, 0], pairs[:, 1]
        # Star edges (each to the bucket's first row) are enough for components.
        agree = (matrix[u] == matrix[v]).mean(axis=1)
        keep = agree >= threshold
        u, v = u[keep], v[keep]
    graph = coo_matrix((np.ones(len(u), dtype=np.int8), (u, v)), shape=(n, n))
    return connected_components(graph, directed=False)[1]


def find_campaigns(
    answers: Sequence[Answer], *, threshold: float = 0.6, min_size: int = 3, k: int = 3, num_perm: int = 128,
    min_words: int = 8, seed: int = 0, show_progress: bool = False,
) -> list[Campaign]:
    """Groups of at least `min_size` answers (copies count) with near-identical text,
    largest first. Answers under `min_words` words ("Nothing.", "Agree") are never grouped:
    short stock phrases are not a campaign."""
    sig = signatures(answers, k=k, num_perm=num_perm, min_words=min_words, seed=seed, show_progress=show_progress)
    if not len(sig.matrix):
        return []
    labels = similar_groups(sig.matrix, threshold, seed)
    compared = np.flatnonzero(sig.text_of >= 0)
    answer_label = labels[sig.text_of[compared]]
    order = np.argsort(answer_label, kind="stable")
    bounds = np.flatnonzero(np.r_[True, np.diff(answer_label[order]) != 0, True])
    found = []
    for lo, hi in zip(bounds[:-1], bounds[1:]):
        members = compared[order[lo:hi]]
        if len(members) < min_size:
            continue
        rows = sig.text_of[members]
        # Representative: the text copied most often (earliest on ties).
        distinct_rows, first_at, copies = np.unique(rows, return_index=True, return_counts=True)
        best = np.lexsort((first_at, -copies))[0]
        rep_row = distinct_rows[best]
        similarity = (sig.matrix[distinct_rows] == sig.matrix[rep_row]).mean(axis=1).min()
        found.append((members, members[first_at[best]], float(similarity)))
    found.sort(key=lambda f: (-len(f[0]), f[0][0]))
    return [
        Campaign(
            id=i,
            answer_ids=tuple(answers[m].id for m in members),
            representative_id=answers[rep].id,
            min_similarity=round(sim, 4),
        )
        for i, (members, rep, sim) in enumerate(found, 1)
    ]

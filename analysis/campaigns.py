"""Campaign detection: answers that are copies or near-copies of one template text.

Word 3-gram shingles -> MinHash signatures (numpy, seeded, vectorised over all answers)
-> LSH banding for candidate pairs -> pairs kept when their estimated Jaccard similarity
reaches the threshold, or when one text is nearly all inside the other (containment: a
template with a greeting, a sign-off or a paragraph of one's own added) -> connected
components. Exact copies are collapsed first, so a campaign of 10,000 identical letters
costs one signature.

A text's signature depends on its own words and the seed only (each word's code is a keyed
hash of the word, not its place in a corpus vocabulary), so an application can compute it
once when an answer is stored and group stored signatures later with `find_campaigns_signed`,
which gives exactly what `find_campaigns` gives on the texts themselves.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from analysis.arrays import sorted_distinct
from analysis.parallel import map_slices
from analysis.progress import progress
from analysis.records import Answer, Campaign

WORD = re.compile(r"\w+")
# The largest prime below 2**32: MinHash values fit in 32 bits; with a, h < 2**32 and
# b < 2**32, a*h + b stays below 2**64 (no uint64 overflow).
PRIME = np.uint64(4294967291)
DEFAULTS = {"k": 3, "num_perm": 128, "min_words": 8, "seed": 0}
# Containment joins a pair when the smaller text's shingles are at least CONTAINMENT inside the
# larger one's, as long as their Jaccard similarity is at least JACCARD_FLOOR (so a short answer
# is not joined to a long letter that happens to quote it: the floor bounds the size ratio).
CONTAINMENT, JACCARD_FLOOR = 0.8, 0.3
SIGNING_SLICE = 10_000  # distinct texts hashed at a time (bounds the memory of the (8, shingles) products)


def scheme(*, k: int = 3, num_perm: int = 128, min_words: int = 8, seed: int = 0) -> str:
    """Names the signature parameters: signatures made under another scheme are not comparable."""
    return f"minhash-k{k}-p{num_perm}-w{min_words}-s{seed}-v3"


@dataclass(frozen=True)
class Signatures:
    """MinHash signatures of the distinct texts; `text_of[i]` maps answer i to its row."""

    matrix: np.ndarray  # (distinct texts, num_perm) uint32
    text_of: np.ndarray  # (answers,) int64, -1 for answers too short to compare
    keys: np.ndarray  # (distinct texts,) int64: text_key of each row
    sizes: np.ndarray  # (distinct texts,) int64: shingles in each row's text


def tokens(text: str) -> tuple[str, ...]:
    return tuple(WORD.findall(text.casefold()))


def text_key(words: Sequence[str]) -> int:
    """A signed 64-bit key of a text's words: equal words, equal key (how copies are recognised)."""
    digest = hashlib.blake2b("\x1f".join(words).encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True)


def _word_codes(vocabulary: Sequence[str], seed: int) -> np.ndarray:
    key = seed.to_bytes(8, "little", signed=True)
    return np.array([int.from_bytes(hashlib.blake2b(w.encode("utf-8", "surrogatepass"), digest_size=8,
                                                    key=key).digest(), "little") | 1 for w in vocabulary] or [1],
                    dtype=np.uint64)


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


def _shingle_hashes(token_lists: Sequence[Sequence[str]], k: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """32-bit hashes of each text's k-word shingles, concatenated, with start offsets.

    Words get keyed 64-bit codes; a shingle's hash mixes its k codes with a polynomial
    (uint64 arithmetic wraps by design), keeping the top 32 bits.
    """
    vocabulary: dict[str, int] = {}
    ids = np.fromiter(
        (vocabulary.setdefault(t, len(vocabulary)) for tokens in token_lists for t in tokens), dtype=np.int64
    )
    lengths = np.fromiter((len(t) for t in token_lists), dtype=np.int64, count=len(token_lists))
    codes = _word_codes(list(vocabulary), seed)[ids]
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


def minhash(hashes: np.ndarray, offsets: np.ndarray, num_perm: int, seed: int) -> np.ndarray:
    """Row i = min over text i's shingles of (a*h + b) mod p, for num_perm seeded (a, b) pairs."""
    rng = np.random.default_rng(seed)
    a = rng.integers(1, 2**32, size=num_perm, dtype=np.uint64)
    b = rng.integers(0, 2**32, size=num_perm, dtype=np.uint64)
    out = np.empty((len(offsets) - 1, num_perm), dtype=np.uint32)
    step = 8
    for lo in range(0, num_perm, step):
        values = (a[lo : lo + step, None] * hashes[None, :] + b[lo : lo + step, None]) % PRIME
        out[:, lo : lo + step] = np.minimum.reduceat(values, offsets[:-1], axis=1).T
    return out


def signatures(
    answers: Sequence[Answer], *, k: int = 3, num_perm: int = 128, min_words: int = 8, seed: int = 0,
    show_progress: bool = False, jobs: int = 1,
) -> Signatures:
    """Signatures of the distinct texts long enough to compare; `jobs` > 1 hashes them on that many
    forked processes (same signatures: a word's code depends on the word and the seed only)."""
    distinct: dict[tuple[str, ...], int] = {}
    text_of = np.full(len(answers), -1, dtype=np.int64)
    for i, answer in enumerate(progress(answers, len(answers), "shingling", enabled=show_progress)):
        words = tokens(answer.text)
        if len(words) >= min_words:
            text_of[i] = distinct.setdefault(words, len(distinct))
    keys = np.fromiter(map(text_key, distinct), dtype=np.int64, count=len(distinct))
    if not distinct:
        return Signatures(np.empty((0, num_perm), dtype=np.uint32), text_of, keys, np.empty(0, dtype=np.int64))
    texts = list(distinct)

    def signed(piece: slice) -> tuple[np.ndarray, np.ndarray]:
        hashes, offsets = _shingle_hashes(texts[piece], k, seed)
        return minhash(hashes, offsets, num_perm, seed), np.diff(offsets)

    parts = [part for _, part in map_slices(signed, len(texts), SIGNING_SLICE, jobs=jobs, label="minhash",
                                            show_progress=show_progress)]
    return Signatures(np.concatenate([m for m, _ in parts]), text_of, keys, np.concatenate([n for _, n in parts]))


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


def _group(text_of: np.ndarray, matrix: np.ndarray, threshold: float, min_size: int,
           seed: int, sizes: np.ndarray | None, contained: float) -> list[tuple[np.ndarray, int, float]]:
    """(member indexes in order, representative index, min similarity to it) per group of at
    least `min_size` items, largest first. `text_of[i]`: item i's row in `matrix` (rows
    numbered by first appearance), -1 when not compared."""
    if not len(matrix):
        return []
    labels = similar_groups(matrix, threshold, seed, sizes, contained)
    compared = np.flatnonzero(text_of >= 0)
    rows_of = text_of[compared]
    label_of = labels[rows_of]
    sizes = np.bincount(label_of, minlength=len(matrix))
    keep = sizes[label_of] >= min_size
    compared, rows_of, label_of = compared[keep], rows_of[keep], label_of[keep]
    if not len(compared):
        return []
    copies = np.bincount(rows_of, minlength=len(matrix))
    first_at = np.full(len(matrix), -1, dtype=np.int64)
    first_at[rows_of[::-1]] = compared[::-1]  # an item's first appearance wins
    rows = sorted_distinct(rows_of)
    # Representative: the text copied most often, the earliest on ties (rows are in order of appearance).
    by_label = rows[np.lexsort((rows, -copies[rows], labels[rows]))]
    heads = np.r_[True, labels[by_label][1:] != labels[by_label][:-1]]
    rep_row = np.zeros(len(matrix), dtype=np.int64)
    rep_row[labels[by_label[heads]]] = by_label[heads]
    similarity = (matrix[rows] == matrix[rep_row[labels[rows]]]).mean(axis=1)
    lowest = np.ones(len(matrix))
    np.minimum.at(lowest, labels[rows], similarity)
    order = np.argsort(label_of, kind="stable")
    bounds = np.flatnonzero(np.r_[True, np.diff(label_of[order]) != 0, True])
    found = []
    for lo, hi in zip(bounds[:-1], bounds[1:]):
        label = label_of[order[lo]]
        found.append((compared[order[lo:hi]], int(first_at[rep_row[label]]), float(lowest[label])))
    found.sort(key=lambda f: (-len(f[0]), f[0][0]))
    return found


def _campaigns(ids: Sequence[str], found: list[tuple[np.ndarray, int, float]]) -> list[Campaign]:
    return [
        Campaign(id=i, answer_ids=tuple(ids[m] for m in members), representative_id=ids[rep],
                 min_similarity=round(sim, 4))
        for i, (members, rep, sim) in enumerate(found, 1)
    ]


def find_campaigns(
    answers: Sequence[Answer], *, threshold: float = 0.6, contained: float = CONTAINMENT, min_size: int = 3,
    k: int = 3, num_perm: int = 128, min_words: int = 8, seed: int = 0, show_progress: bool = False, jobs: int = 1,
) -> list[Campaign]:
    """Groups of at least `min_size` answers (copies count) with near-identical text (Jaccard
    similarity at least `threshold`, or `contained` inside one another), largest first.
    Answers under `min_words` words ("Nothing.", "Agree") are never grouped: short stock
    phrases are not a campaign."""
    sig = signatures(answers, k=k, num_perm=num_perm, min_words=min_words, seed=seed, show_progress=show_progress,
                     jobs=jobs)
    found = _group(sig.text_of, sig.matrix, threshold, min_size, seed, sig.sizes, contained)
    return _campaigns([a.id for a in answers], found)


def find_campaigns_signed(
    ids: Sequence[str], keys: np.ndarray, matrix: np.ndarray, sizes: np.ndarray, *, threshold: float = 0.6,
    contained: float = CONTAINMENT, min_size: int = 3, seed: int = 0,
) -> list[Campaign]:
    """`find_campaigns` from signatures made earlier: `keys[i]`, `matrix[i]` and `sizes[i]`
    are the text_key, signature and shingle count of answer `ids[i]` (in the order
    find_campaigns would be given the answers), for the answers long enough to compare.
    Same seed, same result."""
    if not len(ids):
        return []
    _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    rank = np.empty(len(first), dtype=np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(len(first))  # rows in order of first appearance
    text_of = rank[inverse.ravel()]
    rows = np.sort(first)
    return _campaigns(ids, _group(text_of, matrix[rows], threshold, min_size, seed, np.asarray(sizes)[rows], contained))

"""Campaign detection: answers that are copies or near-copies of one template text.

Word 3-gram shingles -> MinHash signatures (numpy, seeded, vectorised over all answers)
-> LSH banding for candidate pairs -> pairs kept when their estimated Jaccard similarity
reaches the threshold, or when one text is nearly all inside the other (containment: a
template with a greeting, a sign-off or a paragraph of one's own added) -> connected
components. Exact copies are collapsed first, so a campaign of 10,000 identical letters
costs one signature. The signatures are made in `analysis.campaign_signatures`, paired and joined
in `analysis.campaign_lsh`; this module turns the joined rows into campaigns of answers.

A text's signature depends on its own words and the seed only (each word's code is a keyed
hash of the word, not its place in a corpus vocabulary), so an application can compute it
once when an answer is stored and group stored signatures later with `find_campaigns_signed`,
which gives exactly what `find_campaigns` gives on the texts themselves.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from analysis.arrays import sorted_distinct
from analysis.campaign_lsh import CONTAINMENT, similar_groups
from analysis.campaign_signatures import signatures
from analysis.records import Answer, Campaign


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

"""Finer themes merged into the themes proposed: near-duplicates joined by how often their answers coincide.

A factorisation into as many themes as people would keep splits a broad subject by its words: on the tuning
set (NHS feedback, NEAS trust) "Nothing", "Everything perfect" and "Can't think of anything better" came out as
three themes, where coders gave one code ("Positive experience & gratitude"). Factorising into FINE_PER_THEME
times as many themes and then joining, one pair at a time, the two themes whose answers hold both more often
than chance would have them (the highest lift: P(both) / (P(one) P(other))) puts such words back together,
while themes that share a common word but not their answers stay apart. A joined theme holds the answers of
each part (an answer's weight in it is its strongest part's, each part scaled so that its strongest answer
weighs 1), and its terms are the parts' terms added.

On the tuning set, mean of the full set and four seeded 90% samples, at most 10 themes: match-F1 0.433-0.451
with 10 themes factorised directly, 0.486-0.500 with 20 joined into 10, at 1.40-1.44 themes an answer instead of
1.62-1.65 (people: 1.29). Below ANSWERS_PER_FINE answers per finer theme the coincidences are too few to
read (samples of 100 and 300 answers of the tuning set gained nothing), and themes are factorised directly.
"""

from __future__ import annotations

import numpy as np

FINE_PER_THEME = 2  # finer themes factorised per theme proposed
ANSWERS_PER_FINE = 50  # answers needed per finer theme
MERGED_MEMBER_WEIGHT = 0.15  # a part's member cut when parts are joined (their union holds more answers)


def fine_count(n_answers: int, n_themes: int) -> int:
    """How many themes to factorise before joining: FINE_PER_THEME times `n_themes`, fewer when the
    answers are too few (at least `n_themes`)."""
    return max(n_themes, min(FINE_PER_THEME * n_themes, n_answers // ANSWERS_PER_FINE))


def merge_themes(weights: np.ndarray, components: np.ndarray, member: np.ndarray, n_themes: int
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(weights, components, members) with the themes joined pairwise, highest lift first, down to
    `n_themes`; themes that no answer holds are left out first. Ties go to the lowest pair of themes."""
    keep = member.any(axis=0)
    scale = weights[:, keep].max(axis=0)
    weights = weights[:, keep] / scale
    components = components[keep] * scale[:, None]
    member = member[:, keep].copy()
    n = max(len(member), 1)
    while member.shape[1] > n_themes:
        counts = member.astype(np.float64)
        size = counts.sum(axis=0)
        lift = n * (counts.T @ counts) / np.outer(size, size)
        np.fill_diagonal(lift, -np.inf)
        a, b = sorted(np.unravel_index(int(np.argmax(lift)), lift.shape))
        weights[:, a] = np.maximum(weights[:, a], weights[:, b])
        components[a] += components[b]
        member[:, a] |= member[:, b]
        weights, components, member = (np.delete(weights, b, axis=1), np.delete(components, b, axis=0),
                                       np.delete(member, b, axis=1))
    return weights, components, member

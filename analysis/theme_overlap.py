"""How far proposed themes cover answers that already belong to a codebook theme.

An answer belongs to a codebook theme when people coded it so (`member_ids`), or, for answers nobody
coded, when the few-shot scores from the theme's texts (analysis.few_shot) choose that theme. A
proposal's overlap with a codebook theme is the share of its answers that belong to it; a proposal
mostly inside one codebook theme is not new.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

import numpy as np

from analysis.records import Answer, CodebookTheme, Theme, ThemeOverlap

MIN_REPORTED_SHARE = 0.05  # smaller overlaps are left out of a proposal's list
BELONGS = 0.5  # few-shot probability at which an uncoded answer counts as in a codebook theme


def codebook_members(answers: Sequence[Answer], codebook: Sequence[CodebookTheme],
                     analyzer: Callable[[str], list[str]], *, vectors: np.ndarray | None = None,
                     seed: int = 0) -> list[set[str]]:
    """Per codebook theme, the answer ids that belong to it: those people coded with it, and among
    the answers nobody coded, those the few-shot scores give it."""
    from analysis.few_shot import few_shot_probabilities

    coded = [set(t.member_ids) for t in codebook]
    anyone = set().union(*coded) if coded else set()
    rows = [i for i, a in enumerate(answers) if a.id not in anyone]
    if rows and codebook:
        probabilities = few_shot_probabilities(codebook, [answers[i].text for i in rows], analyzer,
                                               vectors=None if vectors is None else np.asarray(vectors)[rows],
                                               seed=seed)
        chosen = probabilities >= BELONGS
        for k in range(len(codebook)):
            coded[k] |= {answers[rows[i]].id for i in np.flatnonzero(chosen[:, k])}
    return coded


def with_overlaps(themes: Sequence[Theme], answers: Sequence[Answer], codebook: Sequence[CodebookTheme],
                  analyzer: Callable[[str], list[str]], *, vectors: np.ndarray | None = None,
                  seed: int = 0) -> list[Theme]:
    """The themes, each with its overlaps with the codebook's themes, largest first."""
    members = codebook_members(answers, codebook, analyzer, vectors=vectors, seed=seed)
    out = []
    for theme in themes:
        ids = set(theme.answer_ids)
        overlaps = []
        for book, inside in zip(codebook, members):
            shared = len(ids & inside)
            share = shared / len(ids) if ids else 0.0
            if share >= MIN_REPORTED_SHARE:
                overlaps.append(ThemeOverlap(book.name, shared, round(share, 4)))
        overlaps.sort(key=lambda o: (-o.share, o.theme))
        out.append(replace(theme, overlaps=tuple(overlaps)))
    return out

"""Sentences of an answer read on their own: an answer that speaks of two things in two sentences can carry a
code its whole text only hints at. analysis.suggest scores each sentence of a many-sentence answer with the same
model as whole answers (its words, its question, its own sentence vector) and lifts each code's probability
towards the best sentence's: (1 - w) * p(answer) + w * max(p(answer), p(best sentence)).
Chosen on inner splits (analysis/README.md)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
SENTENCE_WEIGHT = 0.35


def split_sentences(text: str) -> list[str]:
    """The sentences of a text: after . ! ? and a space, or at a line break."""
    return [part.strip() for part in SENTENCE_END.split(text) if part.strip()]


@dataclass(frozen=True)
class Sentences:
    """The sentences of the answers with more than one, in answer order: the row of the answer each belongs
    to, its text and its sentence vector."""

    owners: np.ndarray
    texts: tuple[str, ...]
    vectors: np.ndarray

    @classmethod
    def of(cls, texts: Sequence[str], embed: Callable[[Sequence[str]], np.ndarray]) -> Sentences:
        """Split the answers' texts and embed the sentences of those with more than one."""
        owners, parts = [], []
        for row, text in enumerate(texts):
            pieces = split_sentences(text)
            if len(pieces) > 1:
                owners += [row] * len(pieces)
                parts += pieces
        vectors = embed(parts) if parts else np.zeros((0, 0), dtype=np.float32)
        return cls(np.asarray(owners, dtype=np.int64), tuple(parts), np.asarray(vectors))

    def of_rows(self, rows: np.ndarray) -> Sentences:
        """The sentences of the answers at `rows`, their owners renumbered to positions in `rows`."""
        where = {int(row): i for i, row in enumerate(rows)}
        keep = np.flatnonzero(np.isin(self.owners, rows))
        owners = np.fromiter((where[int(self.owners[i])] for i in keep), dtype=np.int64, count=len(keep))
        return Sentences(owners, tuple(self.texts[i] for i in keep), self.vectors[keep])


def lift(probabilities: np.ndarray, sentence_probabilities: np.ndarray, owners: np.ndarray,
         weight: float) -> np.ndarray:
    """Answers' code probabilities (answers, codes) lifted towards their best sentence's, as above."""
    best = probabilities.copy()
    if len(owners):
        np.maximum.at(best, owners, sentence_probabilities)
    return (1 - weight) * probabilities + weight * best

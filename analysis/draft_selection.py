"""Choosing what one chapter of a draft prints, so that each sentence is printed once.

A chapter (one principle, or one barrier) prints summary sentences and quotes. `Printed` remembers what the
chapter has printed so far: the answers and respondents it cites (each answer supplies at most one item),
its sentences (exactly, and by near-identical wording), and how often each respondent group and theme has
been heard. `choose` then picks items by maximal marginal relevance among those that would print nothing
twice, favouring groups and themes the chapter has heard less from.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from analysis.extractive import Space, sentence_spans

MAX_SIMILARITY = 0.8  # sentences at least this similar (TF-IDF cosine) count as the same sentence
# ... and so do sentences sharing this share of their words ("In X the Y and the GP practice share cases")
MAX_SHARED_WORDS = 0.6
LAMBDA, SPREAD, POOL = 0.7, 0.04, 300
_WORDS = re.compile(r"\w+")


def sentence_key(text: str) -> str:
    """The words of a sentence, lower case, without punctuation: two sentences with the same key are the same."""
    return " ".join(_WORDS.findall(text.lower()))


_INNER_BREAK = re.compile(r"[.!?]\s+\S|\n")


def sentences_of(text: str) -> list[str]:
    """The sentences a printed text is made of (a text with no break inside is one, without asking Punkt)."""
    if not _INNER_BREAK.search(text.strip()):
        return [text.strip()]
    return [text[s:e] for s, e in sentence_spans(text)] or [text]


@dataclass(frozen=True, slots=True)
class Item:
    """Something a chapter may print: `text` (already redacted) from one answer of one respondent."""

    text: str
    answer_id: str
    respondent_id: str
    group: int = -1  # the respondent's group (position in evidence.GROUPS), -1 when unknown
    themes: tuple[str, ...] = ()


@dataclass
class Printed:
    space: Space
    answers: set[str] = field(default_factory=set)
    respondents: set[str] = field(default_factory=set)
    keys: set[str] = field(default_factory=set)
    groups: Counter = field(default_factory=Counter)
    themes: Counter = field(default_factory=Counter)
    _rows: list = field(default_factory=list)
    _words: list = field(default_factory=list)
    _parts: dict = field(default_factory=dict)  # text -> (its sentences, their vectors), made in batches
    _stacked: object = None

    def prepare(self, items: Sequence[Item]) -> None:
        """Split and vectorise the items' texts in one pass (repeats and add would otherwise do one at a time)."""
        texts = [t for t in dict.fromkeys(i.text for i in items) if t not in self._parts]
        if not texts:
            return
        parts = [sentences_of(t) for t in texts]
        vectors = self.space.vectors([p for ps in parts for p in ps])
        start = 0
        for text, ps in zip(texts, parts):
            self._parts[text] = (ps, vectors[start:start + len(ps)])
            start += len(ps)

    def _of(self, item: Item):
        if item.text not in self._parts:
            self.prepare([item])
        return self._parts[item.text]

    def _matrix(self):
        from scipy.sparse import vstack

        if self._stacked is None and self._rows:
            self._stacked = vstack(self._rows)
        return self._stacked

    def reserve(self, item: Item) -> None:
        """Keep an item's answer out of the chapter without printing it (a headline's spare sources)."""
        self.answers.add(item.answer_id)
        self.respondents.add(item.respondent_id)

    def add(self, item: Item) -> None:
        self.reserve(item)
        parts, vectors = self._of(item)
        self.keys.update(sentence_key(p) for p in parts)
        self._words.extend(set(sentence_key(p).split()) for p in parts)
        self._rows.append(vectors)
        self._stacked = None
        self.groups[item.group] += 1
        self.themes.update(item.themes)

    def repeats(self, item: Item) -> bool:
        """Whether printing the item would cite an answer or respondent again, or repeat a sentence."""
        if item.answer_id in self.answers or item.respondent_id in self.respondents:
            return True
        parts, vectors = self._of(item)
        if any(sentence_key(p) in self.keys for p in parts):
            return True
        for words in (set(sentence_key(p).split()) for p in parts):
            if any(len(words & seen) >= MAX_SHARED_WORDS * len(words | seen) for seen in self._words):
                return True
        printed = self._matrix()
        if printed is None:
            return False
        return bool((vectors @ printed.T).max() >= MAX_SIMILARITY)

    def spread(self, item: Item) -> float:
        """How much the chapter has already heard from this item's group and themes."""
        seen = self.themes
        overlap = sum(1 for t in item.themes if seen[t]) / len(item.themes) if item.themes else 0.0
        return self.groups[item.group] + overlap


def choose(items: Sequence[Item], relevance: np.ndarray, k: int, printed: Printed, *, lam: float = LAMBDA,
           spread: float = SPREAD, pool: int = POOL, floor: float = 0.0) -> list[Item]:
    """Up to k items, each adding to `printed` as it is chosen: by relevance, less their similarity to what
    the chapter printed and a small penalty for a group or theme already heard. Items less relevant than
    `floor` times the most relevant one that could still be printed, or than half that share of the most
    relevant of all, are left out. Ties go to the earlier item, so the choice is fixed for
    the same input."""
    if not items or k <= 0:
        return []
    if floor:  # relative to the most relevant item the chapter could still print
        ranked = np.argsort(-np.asarray(relevance, dtype=np.float64), kind="stable")
        printed.prepare([items[i] for i in ranked[:pool]])
        best = next((float(relevance[i]) for i in ranked if not printed.repeats(items[i])), 0.0)
        least = max(floor * best, floor / 2 * float(relevance[ranked[0]]))
        keep = [i for i, r in enumerate(relevance) if r > 0 and r >= least]
        items, relevance = [items[i] for i in keep], np.asarray(relevance)[keep]
        if not items:
            return []
    order = np.sort(np.argsort(-np.asarray(relevance, dtype=np.float64), kind="stable")[:pool])
    printed.prepare([items[i] for i in order])
    texts = [items[i].text for i in order]
    vectors = printed.space.vectors(texts)
    rel = np.asarray(relevance, dtype=np.float64)[order]
    printed_rows = printed._matrix()
    closest = (np.asarray((vectors @ printed_rows.T).max(axis=1).todense()).ravel()
               if printed_rows is not None else np.zeros(len(order)))
    open_ = np.ones(len(order), dtype=bool)
    chosen: list[Item] = []
    while len(chosen) < k and open_.any():
        penalty = np.array([printed.spread(items[i]) if open_[j] else 0.0 for j, i in enumerate(order)])
        score = np.where(open_, lam * rel - (1 - lam) * closest - spread * penalty, -np.inf)
        best = int(np.argmax(score))
        open_[best] = False
        item = items[int(order[best])]
        if printed.repeats(item):
            continue
        printed.add(item)
        chosen.append(item)
        closest = np.maximum(closest, np.asarray((vectors @ vectors[best].T).todense()).ravel())
    return chosen

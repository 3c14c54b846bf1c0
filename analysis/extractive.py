"""Extractive selection: real sentences and answers that are typical of a set of answers
(close to its TF-IDF centroid) and different from each other (maximal marginal relevance).

Sentences are split with NLTK's untrained Punkt tokenizer, given the abbreviations that
turn up in UK consultation answers, and again at line breaks. Nothing is generated: every
selected text is a slice of an answer.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np

from analysis.text import WORD_PATTERN, Analyzer, normalise, snowball_stemmer, stopwords

ABBREVIATIONS = ("e.g", "i.e", "etc", "mr", "mrs", "ms", "dr", "cllr", "st", "no", "approx", "vs")
LINE_BREAK = re.compile(r"\s*\n\s*")
MIN_WORDS, MAX_WORDS = 6, 60


def fast_analyzer(language: str) -> Analyzer:
    """analysis.text's analyzer (same word pattern, normalising, stopwords and Snowball
    stemmer) with the pattern run by the standard `re` module: NLTK's RegexpTokenizer goes
    through the `regex` module, five times slower here, with the same tokens except for
    stray emoji variation selectors."""
    pattern = re.compile(WORD_PATTERN)
    return Analyzer(lambda text: pattern.findall(normalise(text)), snowball_stemmer(language), stopwords(language))


@cache
def _punkt():
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

    params = PunktParameters()
    params.abbrev_types = set(ABBREVIATIONS)
    return PunktSentenceTokenizer(params)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of `text`, trimmed of surrounding white space."""
    spans = []
    for start, end in _punkt().span_tokenize(text):
        cut = start
        for m in LINE_BREAK.finditer(text, start, end):
            spans.append((cut, m.start()))
            cut = m.end()
        spans.append((cut, end))
    out = []
    for start, end in spans:
        piece = text[start:end]
        lead = len(piece) - len(piece.lstrip())
        tail = len(piece.rstrip())
        if tail > lead:
            out.append((start + lead, start + tail))
    return out


def _rng(seed: int | str) -> np.random.Generator:
    return np.random.default_rng(zlib.crc32(str(seed).encode()))


def seeded_sample(items: Sequence, limit: int, seed: int | str) -> list:
    """At most `limit` items, chosen by a seeded RNG, in their original order."""
    if len(items) <= limit:
        return list(items)
    keep = np.sort(_rng(seed).choice(len(items), size=limit, replace=False))
    return [items[i] for i in keep]


def seeded_pick(items: Sequence, limit: int, seed: int | str, keep: Callable[[object], bool]) -> list:
    """At most `limit` items that pass `keep`, taken in a seeded random order and returned
    in their original order; only as many items are tested as it takes."""
    chosen = []
    for i in _rng(seed).permutation(len(items)):
        if keep(items[i]):
            chosen.append(int(i))
            if len(chosen) == limit:
                break
    return [items[i] for i in sorted(chosen)]


@dataclass
class Space:
    """A TF-IDF space with memoised analysis: the same answer is often vectorised for
    several purposes (centroid, candidate quote, sentence source)."""

    analyzer: Callable[[str], list[str]]

    def __post_init__(self) -> None:
        self._terms: dict[str, list[str]] = {}
        self._vectorizer = None

    def terms(self, text: str) -> list[str]:
        found = self._terms.get(text)
        if found is None:
            found = self._terms[text] = self.analyzer(text)
        return found

    def fit(self, texts: Sequence[str]) -> Space:
        from sklearn.feature_extraction.text import TfidfVectorizer

        vectorizer = TfidfVectorizer(analyzer=self.terms, sublinear_tf=True, dtype=np.float32)
        try:
            vectorizer.fit(texts)
            self._vectorizer = vectorizer
        except ValueError:  # no terms at all (empty or stopword-only answers)
            self._vectorizer = None
        return self

    def vectors(self, texts: Sequence[str]):
        """L2-normalised sparse rows (all zero when nothing has been fitted)."""
        from scipy.sparse import csr_matrix

        if self._vectorizer is None or not texts:
            return csr_matrix((len(texts), 1), dtype=np.float32)
        return self._vectorizer.transform(texts)


def centroid(vectors) -> np.ndarray:
    """Unit-length mean of the rows (zeros when there are none)."""
    if vectors.shape[0] == 0:
        return np.zeros(vectors.shape[1], dtype=np.float32)
    mean = np.asarray(vectors.mean(axis=0)).ravel()
    norm = np.linalg.norm(mean)
    return mean / norm if norm else mean


def mmr(vectors, relevance: np.ndarray, k: int, *, lam: float = 0.7, max_similarity: float = 0.8,
        pool: int = 200) -> list[int]:
    """Maximal marginal relevance: repeatedly take the row with the best
    lam * relevance - (1 - lam) * (similarity to the rows already taken), skipping rows
    nearly identical to one taken. Ties go to the earlier row, so the result is fixed."""
    n = len(relevance)
    if n == 0 or k <= 0:
        return []
    # Only the most relevant rows can win; keep them in their original order for ties.
    candidates = np.sort(np.argsort(-relevance, kind="stable")[:pool])
    rows = vectors[candidates]
    similarity = np.asarray((rows @ rows.T).todense())
    rel = relevance[candidates].astype(np.float64)
    closest = np.zeros(len(candidates))
    open_ = np.ones(len(candidates), dtype=bool)
    chosen: list[int] = []
    while len(chosen) < k and open_.any():
        score = np.where(open_, lam * rel - (1 - lam) * closest, -np.inf)
        best = int(np.argmax(score))
        chosen.append(int(candidates[best]))
        open_[best] = False
        closest = np.maximum(closest, similarity[best])
        open_ &= similarity[best] < max_similarity
    return chosen


@dataclass(frozen=True, slots=True)
class Sentence:
    answer_index: int
    start: int
    end: int


def candidate_sentences(texts: Sequence[str]) -> list[Sentence]:
    """Sentences of a quotable length from each text."""
    found = []
    for i, text in enumerate(texts):
        for start, end in sentence_spans(text):
            if MIN_WORDS <= len(text[start:end].split()) <= MAX_WORDS:
                found.append(Sentence(i, start, end))
    return found


def excerpt(text: str, relevance_by_span: dict[tuple[int, int], float], max_words: int = MAX_WORDS) -> str:
    """The whole answer when short, else its most typical sentence and those after it,
    up to max_words words. Always a slice of `text`."""
    if len(text.split()) <= max_words:
        return text.strip()
    spans = sentence_spans(text)
    if not spans:
        return text.strip()
    best = max(range(len(spans)), key=lambda i: (relevance_by_span.get(spans[i], 0.0), -i))
    start, end = spans[best]
    for s, e in spans[best + 1:]:
        if len(text[start:e].split()) > max_words:
            break
        end = e
    if len(text[start:end].split()) > max_words:  # one very long sentence: cut at a word
        words = list(re.finditer(r"\S+", text[start:end]))
        end = start + words[max_words - 1].end()
    return text[start:end]

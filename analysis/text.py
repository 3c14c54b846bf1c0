"""Tokenising, stopwords and stemming per language, built from NLTK parts that need no
downloaded data (RegexpTokenizer, Snowball). NLTK is imported only when a tokenizer or
stemmer is made, so importing this module is cheap."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
LANGUAGES = {"en": "english", "de": "german"}
# Words: letters/digits with inner hyphens or apostrophes ("follow-up", "don't").
WORD_PATTERN = r"\w+(?:[-'’]\w+)*"
CHUNK_MEMO = 500_000  # distinct whitespace-separated chunks an Analyzer remembers

Tokenizer = Callable[[str], list[str]]
Stemmer = Callable[[str], str]


def check_language(language: str) -> str:
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r}; choose one of {sorted(LANGUAGES)}")
    return language


def read_word_list(path: Path) -> frozenset[str]:
    """One word a line; blank lines and lines starting with '#' are skipped."""
    words = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return frozenset(w.casefold() for w in words if w and not w.startswith("#"))


@cache
def stopwords(language: str) -> frozenset[str]:
    return read_word_list(DATA_DIR / f"stopwords-{check_language(language)}.txt")


def normalise(text: str) -> str:
    return unicodedata.normalize("NFC", text).lower().replace("’", "'")


def regexp_tokenizer(pattern: str = WORD_PATTERN) -> Tokenizer:
    """Lower-cased word tokens; NLTK's RegexpTokenizer needs no model data."""
    from nltk.tokenize import RegexpTokenizer

    tokenize = RegexpTokenizer(pattern).tokenize
    return lambda text: tokenize(normalise(text))


def snowball_stemmer(language: str, cache_size: int = 200_000) -> Stemmer:
    """Snowball stemmer with a memo: the same words recur across thousands of answers."""
    from nltk.stem.snowball import SnowballStemmer

    stemmer = SnowballStemmer(LANGUAGES[check_language(language)])
    return lru_cache(maxsize=cache_size)(stemmer.stem)


@dataclass(frozen=True)
class Analyzer:
    """Text -> terms: tokenise, drop stopwords, numbers and 1-letter tokens, then stem.

    Deterministic; pass it to TfidfVectorizer(tokenizer=...). The tokenizer's tokens never
    span whitespace, so each whitespace-separated chunk is analysed once and remembered:
    at 100,000 answers the same chunks recur ("staff", "the", "nothing.") and the
    tokenizer and stemmer run on each distinct one only.
    """

    tokenize: Tokenizer
    stem: Stemmer
    stop: frozenset[str]
    _chunks: dict[str, list[str]] = field(default_factory=dict, compare=False, repr=False)

    def terms(self, chunk: str) -> list[str]:
        stop, stem = self.stop, self.stem
        return [stem(tok) for tok in self.tokenize(chunk) if tok not in stop and len(tok) > 1 and not tok.isdigit()]

    def __call__(self, text: str) -> list[str]:
        known = self._chunks
        if len(known) > CHUNK_MEMO:
            known.clear()
        out: list[str] = []
        for chunk in text.split():
            terms = known.get(chunk)
            if terms is None:
                terms = known[chunk] = self.terms(chunk)
            out += terms
        return out


def analyzer_for(language: str, *, drop_stopwords: bool = True) -> Analyzer:
    stop = stopwords(language) if drop_stopwords else frozenset()
    return Analyzer(regexp_tokenizer(), snowball_stemmer(language), stop)


def surface_forms(texts: Iterable[str], analyzer: Analyzer) -> dict[str, str]:
    """Map each stem to its most frequent unstemmed word, to label stems readably."""
    counts: dict[str, dict[str, int]] = {}
    for text in texts:
        for tok in analyzer.tokenize(text):
            if tok in analyzer.stop or len(tok) < 2 or tok.isdigit():
                continue
            forms = counts.setdefault(analyzer.stem(tok), {})
            forms[tok] = forms.get(tok, 0) + 1
    return {stem: max(sorted(forms), key=forms.__getitem__) for stem, forms in counts.items()}

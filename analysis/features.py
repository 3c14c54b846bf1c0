"""Text features for the statistical models: word and character n-gram TF-IDF, and an
answer's context (the question it answers) as a word of its own.

An answer is read against its question: "Nothing" answering "What was good?" means the
opposite of "Nothing" answering "How could we improve?". The context becomes one token
placed before and after the answer's words, so the word model learns the context alone and
beside the answer's first and last words ("<question> nothing").
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

import numpy as np

CHAR_NGRAMS = (2, 5)


@lru_cache(maxsize=4096)
def context_token(context: str) -> str:
    """A word no answer contains, the same for the same context (a short stable hash)."""
    if not context:
        return ""
    digest = hashlib.blake2s(context.strip().casefold().encode("utf-8"), digest_size=6).hexdigest()
    return "ctx" + digest.translate(str.maketrans("0123456789", "ghijklmnop"))  # letters only: never a number


def with_context(text: str, context: str) -> str:
    token = context_token(context)
    return f"{token} {text} {token}" if token else text


def make_vectorizer(analyzer: Callable[[str], list[str]], min_df: int = 2) -> Any:
    """Word-level TF-IDF over the analyzer's terms, 1-2-grams (also used by themes)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(
        tokenizer=analyzer, token_pattern=None, lowercase=False, ngram_range=(1, 2),
        min_df=min_df, sublinear_tf=True, dtype=np.float32,
    )


class CharNgrams:
    """TF-IDF of character n-grams within words (sklearn's `char_wb`, sublinear tf, l2).

    Fitting uses sklearn directly. Transforming counts each distinct word's n-grams once
    and sums them per answer (answers x words @ words x n-grams): the same numbers as
    sklearn's char_wb, several times faster on many answers, as words recur.
    """

    def __init__(self, ngram_range: tuple[int, int] = CHAR_NGRAMS, min_df: int = 2):
        self.ngram_range, self.min_df = ngram_range, min_df

    def fit_transform(self, texts: Sequence[str]) -> Any:
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.tfidf = TfidfVectorizer(analyzer="char_wb", ngram_range=self.ngram_range, min_df=self.min_df,
                                     sublinear_tf=True, dtype=np.float32)
        return self.tfidf.fit_transform(texts)

    def transform(self, texts: Sequence[str]) -> Any:
        from sklearn.feature_extraction.text import CountVectorizer
        from sklearn.preprocessing import normalize

        words = CountVectorizer(tokenizer=str.split, token_pattern=None, lowercase=True, dtype=np.float32)
        per_answer = words.fit_transform(texts) if any(t.strip() for t in texts) else None
        if per_answer is None:
            return self.tfidf.transform(texts)
        grams = CountVectorizer(analyzer="char_wb", ngram_range=self.ngram_range, dtype=np.float32,
                                vocabulary=self.tfidf.vocabulary_)
        counts = (per_answer @ grams.transform(words.get_feature_names_out())).tocsr()
        counts.sum_duplicates()
        counts.data = (np.log(counts.data) + 1).astype(np.float32)
        counts = counts.multiply(self.tfidf.idf_.astype(np.float32)).tocsr()
        return normalize(counts, copy=False)


class TextFeatures:
    """Stemmed word 1-2-gram TF-IDF (with the context token) and character n-gram TF-IDF
    (answer text only) side by side, l2-normalised."""

    def __init__(self, analyzer: Callable[[str], list[str]], min_df: int = 2):
        self.words = make_vectorizer(analyzer, min_df=min_df)
        self.chars = CharNgrams(min_df=min_df)

    def fit_transform(self, texts: Sequence[str], contexts: Sequence[str] | None = None) -> Any:
        words = self.words.fit_transform(_contextual(texts, contexts))
        self.context_columns = np.array(sorted(i for term, i in self.words.vocabulary_.items()
                                               if term.startswith("ctx") and " " not in term), dtype=np.int64)
        return self._join(words, self.chars.fit_transform(texts))

    def transform(self, texts: Sequence[str], contexts: Sequence[str] | None = None) -> Any:
        return self.transform_with_evidence(texts, contexts)[0]

    def transform_with_evidence(self, texts: Sequence[str], contexts: Sequence[str] | None = None
                                ) -> tuple[Any, np.ndarray]:
        """(features, known terms): how many of each answer's word 1-2-grams the model has
        seen, the context alone not counted. 0 = nothing in the answer was ever coded."""
        words = self.words.transform(_contextual(texts, contexts))
        known = np.diff(words.indptr)
        if len(self.context_columns):
            known = known - np.diff(words[:, self.context_columns].tocsr().indptr)
        return self._join(words, self.chars.transform(texts)), known

    @staticmethod
    def _join(words: Any, chars: Any) -> Any:
        import scipy.sparse as sp
        from sklearn.preprocessing import normalize

        return normalize(sp.hstack([words, chars], format="csr", dtype=np.float32), copy=False)


def _contextual(texts: Sequence[str], contexts: Sequence[str] | None) -> Sequence[str]:
    if contexts is None:
        return texts
    if len(contexts) != len(texts):
        raise ValueError("one context per text")
    return [with_context(text, context) for text, context in zip(texts, contexts)]

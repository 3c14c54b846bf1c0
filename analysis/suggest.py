"""Code suggestions learnt from answers people have already coded.

TF-IDF over stemmed 1-2-grams, then one calibrated linear classifier per code (one vs
rest): the sigmoid-calibrated probabilities are what the routing relies on — an answer
is assigned automatically only when every code's probability is far from undecided.
Seeded throughout: the same coded answers and seed give the same suggestions.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from analysis.progress import progress
from analysis.records import Answer, CodeScore, Suggestion


@dataclass(frozen=True)
class CodeModel:
    vectorizer: Any  # fitted sklearn TfidfVectorizer
    codes: tuple[str, ...]
    classifiers: tuple[Any, ...]  # per code; None where too few examples: its prior is used
    priors: np.ndarray
    threshold: float = 0.5


def make_vectorizer(analyzer: Callable[[str], list[str]], min_df: int = 2) -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(
        tokenizer=analyzer, token_pattern=None, lowercase=False, ngram_range=(1, 2),
        min_df=min_df, sublinear_tf=True, dtype=np.float32,
    )


def _calibrated(positives: int, seed: int, c: float) -> Any:
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.model_selection import StratifiedKFold
    from sklearn.svm import LinearSVC

    folds = StratifiedKFold(n_splits=min(3, positives), shuffle=True, random_state=seed)
    return CalibratedClassifierCV(LinearSVC(C=c, random_state=seed), method="sigmoid", cv=folds, ensemble=False)


def label_matrix(answers: Sequence[Answer], codes: Sequence[str]) -> np.ndarray:
    index = {code: j for j, code in enumerate(codes)}
    labels = np.zeros((len(answers), len(codes)), dtype=bool)
    for i, answer in enumerate(answers):
        labels[i, [index[c] for c in answer.codes if c in index]] = True
    return labels


def sample_f1_matrix(gold: np.ndarray, chosen: np.ndarray) -> float:
    sizes = gold.sum(axis=1) + chosen.sum(axis=1)
    both = (gold & chosen).sum(axis=1)
    return float(np.where(sizes > 0, 2 * both / np.maximum(sizes, 1), 1.0).mean())


def tune_threshold(
    answers: Sequence[Answer], analyzer: Callable[[str], list[str]], *, seed: int = 0,
    candidates: Sequence[float] = (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6),
) -> float:
    """Decision threshold with the best sample-F1 on a seeded 20% of the coded answers,
    held out from a model trained on the rest (the test data is never looked at)."""
    order = np.random.default_rng(seed).permutation(len(answers))
    cut = int(len(answers) * 0.8)
    inner = train([answers[i] for i in order[:cut]], analyzer, seed=seed, threshold=0.5)
    held = [answers[i] for i in order[cut:]]
    probabilities = predict_proba(inner, [a.text for a in held])
    gold = label_matrix(held, inner.codes)
    scores = [sample_f1_matrix(gold, decide(probabilities, t)) for t in candidates]
    return float(candidates[int(np.argmax(scores))])


def train(
    answers: Sequence[Answer], analyzer: Callable[[str], list[str]], *, seed: int = 0,
    min_examples: int = 2, c: float = 0.5, threshold: float | None = None,
) -> CodeModel:
    """Fit one calibrated classifier per code seen at least `min_examples` times.

    Without a `threshold`, one is tuned on held-out coded answers when there are at
    least 200 of them (costs a second fit), else 0.5 is used.
    """
    if not answers:
        raise ValueError("no coded answers to learn from")
    codes = tuple(sorted({code for a in answers for code in a.codes}))
    if not codes:
        raise ValueError("the coded answers carry no codes")
    vectorizer = make_vectorizer(analyzer, min_df=2 if len(answers) >= 50 else 1)
    features = vectorizer.fit_transform([a.text for a in answers])
    labels = label_matrix(answers, codes)
    classifiers = []
    for j in range(len(codes)):
        positives = int(labels[:, j].sum())
        if positives < min_examples or positives > len(answers) - min_examples:
            classifiers.append(None)
            continue
        classifiers.append(_calibrated(positives, seed, c).fit(features, labels[:, j]))
    if threshold is None:
        threshold = tune_threshold(answers, analyzer, seed=seed) if len(answers) >= 200 else 0.5
    return CodeModel(vectorizer, codes, tuple(classifiers), labels.mean(axis=0), threshold)


def predict_proba(model: CodeModel, texts: Sequence[str], *, show_progress: bool = False) -> np.ndarray:
    """(answers, codes) probabilities that each code applies."""
    features = model.vectorizer.transform(progress(texts, len(texts), "vectorising", enabled=show_progress))
    out = np.tile(model.priors, (len(texts), 1))
    for j, classifier in enumerate(model.classifiers):
        if classifier is not None:
            out[:, j] = classifier.predict_proba(features)[:, 1]
    return out


def decide(probabilities: np.ndarray, threshold: float, at_least_one: bool = True) -> np.ndarray:
    """Codes to assign: those at or above `threshold`, or else the single most likely one
    (every human-coded answer in the shared data carries at least one code)."""
    chosen = probabilities >= threshold
    if at_least_one and len(probabilities):
        empty = ~chosen.any(axis=1)
        chosen[empty, probabilities[empty].argmax(axis=1)] = True
    return chosen


def code_sets(model: CodeModel, chosen: np.ndarray) -> list[frozenset[str]]:
    """Rows of a decide() matrix as sets of code names."""
    return [frozenset(model.codes[j] for j in np.flatnonzero(row)) for row in chosen]


def confidence(probabilities: np.ndarray) -> np.ndarray:
    """How sure the model is of its whole decision for an answer: the least certain code's
    max(p, 1 - p), so 1.0 = every code clearly in or out, 0.5 = a coin toss somewhere."""
    return np.maximum(probabilities, 1.0 - probabilities).min(axis=1)


def review_ranks(probabilities: np.ndarray) -> np.ndarray:
    """Active-learning order (uncertainty sampling): rank 1 for the answer whose codes are
    least certain, i.e. whose human coding would teach the model most."""
    order = np.lexsort((np.arange(len(probabilities)), confidence(probabilities)))
    ranks = np.empty(len(order), dtype=np.int64)
    ranks[order] = np.arange(1, len(order) + 1)
    return ranks


def suggest(
    model: CodeModel, answers: Sequence[Answer], *, auto_threshold: float = 0.9, top: int = 5,
    show_progress: bool = False,
) -> list[Suggestion]:
    probabilities = predict_proba(model, [a.text for a in answers], show_progress=show_progress)
    chosen = decide(probabilities, model.threshold)
    sure = confidence(probabilities)
    ranks = review_ranks(probabilities)
    out = []
    for i, answer in enumerate(answers):
        best = np.argsort(-probabilities[i], kind="stable")[:top]
        out.append(
            Suggestion(
                answer_id=answer.id,
                codes=tuple(model.codes[j] for j in np.flatnonzero(chosen[i])),
                scores=tuple(CodeScore(model.codes[j], round(float(probabilities[i, j]), 4)) for j in best),
                confidence=round(float(sure[i]), 4),
                route="auto" if sure[i] >= auto_threshold else "review",
                review_rank=int(ranks[i]),
            )
        )
    return out

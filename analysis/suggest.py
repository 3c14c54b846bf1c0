"""Code suggestions learnt from answers people have already coded.

Features (analysis.features): TF-IDF over stemmed word 1-2-grams, with the answer's context
(its question) as a word, joined with TF-IDF over character 2-5-grams inside word
boundaries (both sublinear tf), so spelling variants and compounds (German) share evidence; with stored
sentence vectors (analysis.embeddings), each answer's vector as further columns. One linear SVM per code (one vs rest) plus one for "no code at all";
each SVM's scores are turned into probabilities by a sigmoid (Platt) fitted on out-of-fold
scores of the coded answers, so no answer's probability comes from a model that saw it.

Codes for an answer are the top-k codes with the k that maximises the expected F1 given
the probabilities (the exact expectation, codes applying independently), or none where "no code"
is more likely than that best expected F1 (analysis.code_choice).
`confidence` on a suggestion is its expected sample-F1 with a person's codes, and `auto`
takes the suggestions confident enough to agree with people about as well as two coders
do (analysis.confidence, learnt on the same out-of-fold decisions). Seeded throughout: same
coded answers and seed, same suggestions.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any

import numpy as np

from analysis import confidence
from analysis.agreement import f1_by_answer
from analysis.code_choice import choose, decision_margin
from analysis.confidence import MIN_ANSWERS, Precedents, same_words_key, suggestion_features, target_for
from analysis.features import TextFeatures
from analysis.parallel import map_in_order, map_slices
from analysis.records import Answer, CodeScore, Suggestion

CHUNK = 10_000  # answers vectorised at a time when predicting (bounds memory)
VECTOR_WEIGHT = 1.0  # sentence vectors' scale beside the (unit-length) TF-IDF rows; chosen on inner splits (README)


@dataclass(frozen=True)
class CodeModel:
    vectorizer: Any  # fitted TextFeatures
    codes: tuple[str, ...]
    weights: np.ndarray  # (features, codes + 1) linear SVM weights; the last column is "no code"
    intercepts: np.ndarray  # (codes + 1,)
    platt: np.ndarray  # (codes + 1, 2): probability = sigmoid(a * score + b)
    confidence_model: Any = None  # fitted regression: suggestion features -> expected sample-F1 with a person
    precedents: Precedents | None = None  # code sets people gave to the same words
    auto_cut: float = float("inf")  # confidence at and above which a suggestion goes to auto
    vector_weight: float | None = None  # sentence vectors joined to the features at this weight; None: none read


def label_matrix(answers: Sequence[Answer], codes: Sequence[str]) -> np.ndarray:
    index = {code: j for j, code in enumerate(codes)}
    labels = np.zeros((len(answers), len(codes)), dtype=bool)
    for i, answer in enumerate(answers):
        labels[i, [index[c] for c in answer.codes if c in index]] = True
    return labels


def _svm_scores(features: Any, labels: np.ndarray, usable: np.ndarray, seed: int, c: float,
                targets: Any | None = None) -> tuple[np.ndarray, np.ndarray] | np.ndarray:
    """Fit one linear SVM per usable column. With `targets`, their decision scores; else
    the (weights, intercepts) of all columns (zero for unusable ones)."""
    from sklearn.svm import LinearSVC

    weights = np.zeros((features.shape[1], labels.shape[1]), dtype=np.float32)
    intercepts = np.zeros(labels.shape[1], dtype=np.float32)
    for j in np.flatnonzero(usable):
        y = labels[:, j]
        if y.all() or not y.any():
            intercepts[j] = 1.0 if y.all() else -1.0
            continue
        svm = LinearSVC(C=c, random_state=seed).fit(features, y)
        weights[:, j], intercepts[j] = svm.coef_[0], svm.intercept_[0]
    if targets is None:
        return weights, intercepts
    return np.asarray(targets @ weights) + intercepts


def _fit_platt(scores: np.ndarray, labels: np.ndarray, usable: np.ndarray, priors: np.ndarray,
               strength: float = 0.1) -> np.ndarray:
    """Per column (a, b) of the sigmoid p = 1 / (1 + exp(-(a * score + b))) that best fits the
    labels (logistic loss, Newton steps; `strength` * a**2 / 2 keeps the slope sane on few answers)."""
    platt = np.zeros((labels.shape[1], 2))
    for j in range(labels.shape[1]):
        y = labels[:, j].astype(float)
        prior = min(max(priors[j], 1e-4), 1 - 1e-4)
        a, b = 0.0, np.log(prior / (1 - prior))
        if usable[j] and 0 < y.sum() < len(y):
            x = scores[:, j]

            def loss(a: float, b: float) -> float:
                z = a * x + b
                return float(np.sum(np.logaddexp(0, z) - y * z) + strength * a * a / 2)

            current = loss(a, b)
            for _ in range(100):
                p = _sigmoid(a * x + b)
                w = p * (1 - p)
                grad = np.array([np.dot(p - y, x) + strength * a, np.sum(p - y)])
                hess = np.array([[np.dot(w, x * x) + strength, np.dot(w, x)], [np.dot(w, x), np.sum(w) + 1e-9]])
                step = np.linalg.solve(hess, grad)
                scale = 1.0
                while scale > 1e-6 and loss(a - scale * step[0], b - scale * step[1]) > current:
                    scale /= 2  # backtrack: plain Newton overshoots on rare codes
                a, b = a - scale * step[0], b - scale * step[1]
                previous, current = current, loss(a, b)
                if previous - current < 1e-10 * max(1.0, abs(current)):
                    break
        platt[j] = a, b  # too few examples: a = 0, the code's share among the coded answers
    return platt


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -35, 35)))


def train(
    answers: Sequence[Answer], analyzer: Callable[[str], list[str]], *, seed: int = 0,
    min_examples: int = 2, c: float = 0.5, folds: int = 5,
    target_agreement: float | None = None, jobs: int = 1,
    vectors: np.ndarray | None = None, vector_weight: float = VECTOR_WEIGHT,
) -> CodeModel:
    """Fit one linear SVM per code seen at least `min_examples` times (and one for "no code"),
    calibrated on out-of-fold scores. Each answer is read with its `context` (its question).

    With at least MIN_ANSWERS coded answers, the out-of-fold decisions also give the confidence
    regression and the auto cut at `target_agreement` (default: confidence.target_for); with fewer, confidence is the raw decision
    margin and nothing goes to auto. `jobs` > 1 fits the folds' SVMs in that many forked processes
    (same model). `vectors` (one sentence vector a row, analysis.embeddings) join the TF-IDF features,
    scaled by `vector_weight`; a model trained with them needs them for every answer it predicts.
    """
    from sklearn.model_selection import KFold

    if not answers:
        raise ValueError("no coded answers to learn from")
    codes = tuple(sorted({code for a in answers for code in a.codes}))
    if not codes:
        raise ValueError("the coded answers carry no codes")
    n = len(answers)
    texts, contexts = [a.text for a in answers], [a.context for a in answers]
    vectorizer = TextFeatures(analyzer, min_df=2 if n >= 50 else 1)
    features = vectorizer.fit_transform(texts, contexts).astype(np.float64)
    weight = None if vectors is None else vector_weight
    features = with_vectors(features, vectors, weight, n)
    features.sort_indices()  # as liblinear wants it: checked once here, not once per code
    labels = label_matrix(answers, codes)
    labels = np.column_stack([labels, ~labels.any(axis=1)])  # last column: no code
    priors = labels.mean(axis=0)
    counts = labels.sum(axis=0)
    usable = (counts >= min_examples) & (counts <= n - min_examples)

    def fit(split: tuple[np.ndarray, np.ndarray] | None) -> Any:
        """Scores of the held rows from SVMs fitted on the others; with no split, the final SVMs."""
        if split is None:
            return _svm_scores(features, labels, usable, seed, c)
        return _svm_scores(features[split[0]], labels[split[0]], usable, seed, c, targets=features[split[1]])

    splits = list(KFold(min(folds, n), shuffle=True, random_state=seed).split(features))
    *held_scores, (weights, intercepts) = map_in_order(fit, [*splits, None], jobs=jobs, label="training")
    out_of_fold = np.zeros(labels.shape, dtype=np.float64)
    for (_, held_rows), scores in zip(splits, held_scores):
        out_of_fold[held_rows] = scores
    platt = _fit_platt(out_of_fold, labels, usable, priors)
    held = _sigmoid(out_of_fold * platt[:, 0] + platt[:, 1])
    gold, held_codes, held_none = labels[:, :-1], held[:, :-1], held[:, -1]

    regression, precedents, cut = None, None, float("inf")
    if n >= MIN_ANSWERS:
        chosen = choose(held_codes, held_none, exact=True)
        keys = [same_words_key(t, x) for t, x in zip(texts, contexts)]
        precedents = Precedents.of(keys, gold)
        rows = suggestion_features(held_codes, held_none, chosen, _word_counts(texts),
                                   precedents.features(keys, chosen, exclude=gold))
        regression, cut = confidence.fit(rows, f1_by_answer(gold, chosen), seed=seed,
                                         target=target_for(vectors is not None, target_agreement))

    return CodeModel(vectorizer, codes, weights, intercepts, platt, regression, precedents, cut, weight)


def with_vectors(features: Any, vectors: np.ndarray | None, weight: float | None, rows: int) -> Any:
    """The sparse features with `weight` * each answer's sentence vector as further columns (as they are without)."""
    if vectors is None or weight is None:
        return features
    import scipy.sparse as sp

    vectors = np.asarray(vectors)
    if vectors.ndim != 2 or vectors.shape[0] != rows:
        raise ValueError(f"expected one sentence vector for each of {rows} answers, got shape {vectors.shape}")
    return sp.hstack([features, sp.csr_matrix(weight * vectors.astype(features.dtype))], format="csr")


def _word_counts(texts: Sequence[str]) -> np.ndarray:
    return np.fromiter((len(t.split()) for t in texts), dtype=np.float64, count=len(texts))


def _predict_all(model: CodeModel, texts: Sequence[str], contexts: Sequence[str] | None = None,
                 show_progress: bool = False, jobs: int = 1,
                 vectors: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(answers, codes + 1) probabilities, the last column "no code"; and each answer's known terms."""
    if model.vector_weight is not None and vectors is None:
        raise ValueError("this model was trained with sentence vectors: give the answers' vectors too")

    def chunk(piece: slice) -> tuple[np.ndarray, np.ndarray]:
        features, known = model.vectorizer.transform_with_evidence(
            list(texts[piece]), None if contexts is None else list(contexts[piece]))
        if model.vector_weight is not None:
            features = with_vectors(features, vectors[piece], model.vector_weight, features.shape[0])
        scores = np.asarray(features @ model.weights) + model.intercepts
        return _sigmoid(scores * model.platt[:, 0] + model.platt[:, 1]), known

    out = np.empty((len(texts), len(model.codes) + 1))
    known = np.zeros(len(texts), dtype=np.int64)
    for piece, (probabilities, seen) in map_slices(chunk, len(texts), CHUNK, jobs=jobs, label="suggesting",
                                                   show_progress=show_progress):
        out[piece], known[piece] = probabilities, seen
    return out, known


def predict_proba(model: CodeModel, texts: Sequence[str], contexts: Sequence[str] | None = None, *,
                  show_progress: bool = False, vectors: np.ndarray | None = None) -> np.ndarray:
    """(answers, codes) probabilities that each code applies."""
    return _predict_all(model, texts, contexts, show_progress, vectors=vectors)[0][:, :-1]


def predict(model: CodeModel, texts: Sequence[str], contexts: Sequence[str] | None = None, *,
            show_progress: bool = False, jobs: int = 1,
            vectors: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(probabilities, chosen codes, confidence): code probabilities (answers, codes), the
    codes choose() assigns, and each answer's expected sample-F1 with a person's codes
    (the raw decision margin when the model had too few answers to learn that). An answer
    with no word the model has seen gets confidence 0: nothing to be sure about. `jobs` > 1 spreads
    the answers over that many forked processes (same result). `vectors`: the answers' sentence vectors,
    needed when the model was trained with them."""
    everything, known = _predict_all(model, texts, contexts, show_progress, jobs, vectors)
    probabilities, none = everything[:, :-1], everything[:, -1]
    chosen = choose(probabilities, none, exact=True)
    if model.confidence_model is None or model.precedents is None:
        sure = decision_margin(probabilities, none, chosen)
    else:
        contexts = contexts if contexts is not None else [""] * len(texts)
        keys = [same_words_key(t, x) for t, x in zip(texts, contexts)]
        rows = suggestion_features(probabilities, none, chosen, _word_counts(texts),
                                   model.precedents.features(keys, chosen))
        with confidence.one_thread():
            sure = np.clip(model.confidence_model.predict(rows), 0.0, 1.0)
    return probabilities, chosen, np.where(known > 0, sure, 0.0)


def code_sets(model: CodeModel, chosen: np.ndarray) -> list[frozenset[str]]:
    """Rows of a choose() matrix as sets of code names."""
    return [frozenset(model.codes[j] for j in np.flatnonzero(row)) for row in chosen]


def code_certainty(probabilities: np.ndarray) -> np.ndarray:
    """How undecided the model is about an answer's codes: the least certain code's
    max(p, 1 - p), so 1.0 = every code clearly in or out, 0.5 = a coin toss somewhere."""
    return np.maximum(probabilities, 1.0 - probabilities).min(axis=1)


def review_ranks(probabilities: np.ndarray) -> np.ndarray:
    """Active-learning order (uncertainty sampling): rank 1 for the answer whose codes are
    least certain, i.e. whose human coding would teach the model most."""
    order = np.lexsort((np.arange(len(probabilities)), code_certainty(probabilities)))
    ranks = np.empty(len(order), dtype=np.int64)
    ranks[order] = np.arange(1, len(order) + 1)
    return ranks


def suggest(
    model: CodeModel, answers: Sequence[Answer], *, auto_threshold: float | None = None, top: int = 5,
    show_progress: bool = False, jobs: int = 1, vectors: np.ndarray | None = None,
) -> list[Suggestion]:
    """Suggested codes per answer; `auto` where the confidence (expected sample-F1 with a
    person's codes) is at least `auto_threshold`, by default the model's own auto cut."""
    cut = model.auto_cut if auto_threshold is None else auto_threshold
    probabilities, chosen, sure = predict(model, [a.text for a in answers], [a.context for a in answers],
                                          show_progress=show_progress, jobs=jobs, vectors=vectors)
    ranks = review_ranks(probabilities).tolist()
    best = np.argsort(-probabilities, axis=1, kind="stable")[:, :top]
    best_scores = [[round(p, 4) for p in row] for row in np.take_along_axis(probabilities, best, axis=1).tolist()]
    confidences = [round(c, 4) for c in sure.tolist()]
    routes = np.where(sure >= cut, "auto", "review").tolist()
    names = model.codes
    rows, columns = np.nonzero(chosen)  # row by row, columns in order
    chosen_names = iter([names[j] for j in columns.tolist()])
    chosen_codes = [tuple(islice(chosen_names, k)) for k in np.bincount(rows, minlength=len(answers)).tolist()]
    return [
        Suggestion(
            answer_id=answer.id,
            codes=chosen_codes[i],
            scores=tuple(map(CodeScore, [names[j] for j in best_codes], best_scores[i])),
            confidence=confidences[i],
            route=routes[i],
            review_rank=ranks[i],
        )
        for i, (answer, best_codes) in enumerate(zip(answers, best.tolist()))
    ]

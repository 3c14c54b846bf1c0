"""Theme discovery in answers nobody has coded yet.

Non-negative matrix factorisation of the answers' TF-IDF (stopwords removed, stemmed 1-2-grams),
each answer's terms blended with its nearest neighbours' (analysis.theme_vectors: by the sentence
vectors stored for the answers when given, else by LSA), learnt from distinct answers (an answer
repeated word for word counts once, as a neighbour and in the factorisation). Each theme is a weighted
set of terms; an answer holds every theme whose weight in it reaches MEMBER_WEIGHT of the theme's strongest answer
(soft members: an answer can hold several themes, as people code them), and at least its strongest.
Each theme gets a key-phrase label and a one-sentence description (analysis.theme_labels), its most
typical answers, and, given the codebook's themes, how far it covers the same answers
(analysis.theme_overlap), so that a second run can propose only what is new.

Settings were chosen on the tuning set only (NHS feedback, NEAS trust; analysis/README.md).
Seeded: same input and seed, same themes.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from analysis.progress import progress
from analysis.records import Answer, CodebookTheme, Theme
from analysis.text import Analyzer, surface_forms
from analysis.theme_labels import LabelWords, PhraseIndex, describe

MAX_THEMES = 10
MEMBER_WEIGHT = 0.1  # share of the theme's strongest weight an answer needs to hold the theme
# With stored vectors more neighbours are blended in (analysis.theme_vectors.BY_VECTORS), which loosens members:
# this cut keeps themes an answer where they were (1.9-2.0 on the tuning set).
MEMBER_WEIGHT_BY_VECTORS = 0.13
FIT_ROWS = 5_000  # beyond this many answers, the factorisation is learnt on a seeded sample
SAMPLE_ROWS = 20_000  # answers read for word forms and phrase counts over all answers
CORE_ROWS = 2_000  # at most this many of a theme's strongest answers name it
CORE_WEIGHT = 0.3  # members this strong name the theme
NEW_SHARE = 0.5  # a proposal with this share of its answers already in one codebook theme is not new


def discover_themes(
    answers: Sequence[Answer], analyzer: Analyzer, *, label_words: LabelWords = LabelWords(),
    vectors: np.ndarray | None = None, max_themes: int = MAX_THEMES, n_terms: int = 8, n_exemplars: int = 3,
    seed: int = 0, codebook: Sequence[CodebookTheme] = (), new_only: bool = False, show_progress: bool = False,
) -> list[Theme]:
    """Up to `max_themes` themes, largest first.

    `vectors`: optional sentence vectors, one row per answer (computed when each answer arrived);
    `label_words`: words a label never starts or ends with, beside the analyzer's stopwords, and words it
    never ends with (analysis.theme_labels.label_words(language)). With `codebook`, each theme says how far it
    overlaps the codebook's themes; with `new_only` too, themes mostly made of answers that are
    already in a codebook theme are left out (up to `max_themes` new ones are still proposed).
    Answers with no known term and no vector join no theme."""
    from analysis.theme_vectors import theme_space

    texts = [a.text for a in answers]
    distinct = distinct_answers(texts)
    try:
        vectorizer, _terms, blended = theme_space(
            list(progress(texts, len(texts), "reading", enabled=show_progress)), analyzer, vectors=vectors, seed=seed,
            distinct=distinct)
    except ValueError as exc:
        if vectors is not None and "vectors" in str(exc):
            raise
        return []  # empty vocabulary: nothing but stopwords and numbers
    extra = len(codebook) if new_only else 0
    weights, components = factorise(blended, max_themes + extra, seed, fit_rows=distinct)
    member = soft_members(weights, MEMBER_WEIGHT if vectors is None else MEMBER_WEIGHT_BY_VECTORS)
    strongest = weights.argmax(axis=1)
    vocabulary = vectorizer.get_feature_names_out()
    sample = _sample(len(texts), SAMPLE_ROWS, seed)
    forms = surface_forms([texts[i] for i in sample], analyzer)

    def readable(term: str) -> str:
        return " ".join(forms.get(part, part) for part in term.split(" "))

    index = PhraseIndex(texts, analyzer.stop | label_words.weak, sample, label_words)
    found = []
    for k in range(weights.shape[1]):
        rows = np.flatnonzero(member[:, k])
        if not len(rows):
            continue
        strength = weights[rows, k] / weights[rows, k].max()
        order = np.lexsort((rows, -np.round(strength, 6)))
        rows, strength = rows[order], strength[order]
        terms = tuple(dict.fromkeys(readable(vocabulary[j]) for j in np.argsort(-components[k], kind="stable")[:n_terms]))
        typical = [r for r in rows if strongest[r] == k][:n_exemplars] or list(rows[:n_exemplars])
        found.append((rows, strength, terms, typical, k))
    found.sort(key=lambda t: (-len(t[0]), t[0][0]))

    themes, taken = [], []
    for rows, strength, terms, typical, k in found:
        core = ([r for r, s in zip(rows, strength) if s >= CORE_WEIGHT and strongest[r] == k] or list(rows))[:CORE_ROWS]
        phrase = index.label(core, analyzer.stop, taken)
        label = index.written_as(phrase or index.from_terms(terms, core), core)
        taken.append(phrase or label.lower())
        themes.append(Theme(
            id=len(themes) + 1, label=label, description=describe(label, terms, len(rows), len(answers)), terms=terms,
            answer_ids=tuple(answers[r].id for r in rows), weights=tuple(round(float(s), 4) for s in strength),
            exemplar_ids=tuple(answers[r].id for r in typical)))
    if codebook:
        from analysis.theme_overlap import with_overlaps

        themes = with_overlaps(themes, answers, codebook, analyzer, vectors=vectors, seed=seed)
        if new_only:
            themes = [t for t in themes if not t.overlaps or t.overlaps[0].share < NEW_SHARE][:max_themes]
            themes = [_renumbered(t, i) for i, t in enumerate(themes, 1)]
    return themes


def _sample(n: int, size: int, seed: int) -> np.ndarray:
    """All rows, or a seeded sample of `size` of them, in order."""
    return np.arange(n) if n <= size else np.sort(np.random.default_rng(seed).permutation(n)[:size])


def distinct_answers(texts: Sequence[str]) -> np.ndarray:
    """The first row of each distinct answer: answers are the same when their words are, case and
    punctuation aside ("Nothing." = "nothing!")."""
    import re

    from analysis.text import WORD_PATTERN, normalise

    word = re.compile(WORD_PATTERN)
    seen: set[str] = set()
    first = []
    for row, text in enumerate(texts):
        key = " ".join(word.findall(normalise(text)))
        if key not in seen:
            seen.add(key)
            first.append(row)
    return np.asarray(first, dtype=np.int64)


def factorise(features, n_themes: int, seed: int, fit_rows: np.ndarray | None = None
              ) -> tuple[np.ndarray, np.ndarray]:
    """(answers x themes weights, themes x terms components) by NMF, learnt on `fit_rows` (default all)
    and, beyond FIT_ROWS of them, on a seeded sample; every answer's weights are then its fit on the
    themes. Learning from distinct answers only (`distinct_answers`): "Nothing." said 140 times is one
    thing said, and counted by copies the common short answers ("Nothing", "Good", "Can't think of
    anything") took a theme each on the tuning set (match-F1 0.433 -> 0.470; analysis/README.md).
    Beyond FIT_ROWS answers the weights are least-squares fits, clipped at 0: on the tuning set as
    good as fitting all, and one matrix product at 100,000."""
    import warnings

    from sklearn.decomposition import NMF
    from sklearn.exceptions import ConvergenceWarning

    rows = np.arange(features.shape[0]) if fit_rows is None else np.asarray(fit_rows)
    n_themes = max(1, min(n_themes, len(rows), features.shape[1]))
    if n_themes == 1:  # one theme holds every answer with a term; NMF adds nothing
        return np.asarray(features.sum(axis=1)), np.asarray(features.sum(axis=0))
    rows = rows[_sample(len(rows), FIT_ROWS, seed)]
    nmf = NMF(n_components=n_themes, init="nndsvda", random_state=seed, max_iter=200)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # memberships settle long before the loss does
        if len(rows) == features.shape[0]:
            return nmf.fit_transform(features), nmf.components_
        nmf.fit(features[rows])
        if features.shape[0] <= FIT_ROWS:
            return nmf.transform(features), nmf.components_
    components = nmf.components_
    weights = np.asarray(features @ components.T) @ np.linalg.pinv(components @ components.T)
    return np.maximum(weights, 0.0), components


def soft_members(weights: np.ndarray, share: float = MEMBER_WEIGHT) -> np.ndarray:
    """answers x themes booleans: the theme weighs at least `share` of its strongest answer's weight
    in the answer, or is the answer's strongest theme (answers with no weight hold none)."""
    top = weights.max(axis=0, keepdims=True)
    member = weights >= share * np.where(top > 0, top, np.inf)
    has_any = weights.max(axis=1) > 0
    member[np.flatnonzero(has_any), weights.argmax(axis=1)[has_any]] = True
    return member


def _renumbered(theme: Theme, number: int) -> Theme:
    from dataclasses import replace

    return replace(theme, id=number)


def primary_themes(themes: Sequence[Theme], answers: Sequence[Answer]) -> list[int]:
    """Id of each answer's strongest theme (0 = none), for comparing with single human codes."""
    best: dict[str, tuple[float, int]] = {}
    for theme in themes:
        for answer_id, weight in zip(theme.answer_ids, theme.weights):
            if answer_id not in best or weight > best[answer_id][0]:
                best[answer_id] = (weight, theme.id)
    return [best[a.id][1] if a.id in best else 0 for a in answers]

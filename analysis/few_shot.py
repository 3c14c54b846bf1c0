"""Suggestions before anyone has coded: every answer scored against the accepted themes' own texts
(name, description, inclusion notes and example answers; exclusion notes count against), then handed
over to the supervised model (analysis.suggest) as people code.

Scoring: the answers' TF-IDF, blended with their neighbours' (analysis.theme_vectors), is compared by
cosine with each theme's texts; with sentence vectors for the answers and the same model's `embed`
for the themes' texts, the vector cosines are added. The answers that match one theme clearly
better than any other then teach a linear model (self-training), whose probabilities are the scores:
it learns the words the themes' texts never used ("ambulance late" for "Timeliness of care").

Handover: with `n` answers coded by people (at least MIN_CODED), the supervised probabilities weigh
n / (n + HANDOVER) and the few-shot ones the rest; from FULL_HANDOVER coded answers on, the supervised
model alone (blend()). Codes are chosen as analysis.suggest chooses them. Both numbers were chosen on
a split (seed 1) other than the one the README's learning curve reports (seed 0).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from analysis.records import Answer, CodebookTheme, CodeScore, Suggestion

if TYPE_CHECKING:
    from analysis.suggest import CodeModel

Embed = Callable[[Sequence[str]], np.ndarray]
SEED_SHARE = 0.3  # of the answers whose best theme is each theme, the clearest teach the model
MIN_TEACH = 50  # fewer clear answers than this teach nothing: the similarities are the scores
HANDOVER = 50  # coded answers at which the supervised model weighs as much as the few-shot scores
FULL_HANDOVER = 400  # coded answers from which the supervised model alone suggests
EXCLUDE_WEIGHT = 0.5
EXAMPLES_FROM_CODED = 5  # coded answers per theme added to its examples
MIN_CODED = 20  # coded answers before the supervised model joins in


def theme_text(theme: CodebookTheme) -> str:
    return ". ".join(part for part in (theme.name, theme.description, theme.include) if part.strip())


def similarity(themes: Sequence[CodebookTheme], texts: Sequence[str], analyzer: Callable[[str], list[str]], *,
               vectors: np.ndarray | None = None, embed: Embed | None = None, seed: int = 0) -> tuple[np.ndarray, Any]:
    """((answers, themes) cosine of each answer with each theme's texts (its own text and the mean of
    its examples), minus EXCLUDE_WEIGHT times the cosine with its exclusion notes; the answers'
    blended TF-IDF it was measured on)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize

    from analysis.theme_vectors import blend_neighbours, dense_view, nearest_anchors

    own = [theme_text(t) for t in themes]
    examples = [list(t.examples) for t in themes]
    excludes = [t.exclude for t in themes]
    flat_examples = [e for group in examples for e in group]
    tfidf = TfidfVectorizer(tokenizer=analyzer, token_pattern=None, lowercase=False, sublinear_tf=True,
                            dtype=np.float32)
    terms = tfidf.fit_transform([*texts, *own, *flat_examples, *excludes])
    answers = terms[: len(texts)]
    dense = dense_view(answers, vectors, seed)
    answers = blend_neighbours(answers, nearest_anchors(dense, seed), alone=~dense.any(axis=1))
    at = len(texts)
    own_rows, at = terms[at:at + len(own)], at + len(own)
    example_rows, at = terms[at:at + len(flat_examples)], at + len(flat_examples)
    exclude_rows = terms[at:]
    prototypes = normalize(own_rows.toarray()) + normalize(_group_means(example_rows.toarray(), examples))
    scores = answers @ normalize(prototypes).T - EXCLUDE_WEIGHT * (answers @ normalize(exclude_rows.toarray()).T)
    scores = np.asarray(scores)
    if vectors is not None and embed is not None:
        theme_vectors = normalize(np.asarray(embed([*own, *flat_examples, *excludes]), dtype=np.float32))
        own_v = theme_vectors[: len(own)]
        example_v = theme_vectors[len(own):len(own) + len(flat_examples)]
        exclude_v = theme_vectors[len(own) + len(flat_examples):]
        prototypes_v = normalize(own_v + normalize(_group_means(example_v, examples)))
        answer_v = normalize(np.asarray(vectors, dtype=np.float32))
        excluded = np.where(np.array([bool(e.strip()) for e in excludes]), answer_v @ exclude_v.T, 0.0)
        scores = scores + answer_v @ prototypes_v.T - EXCLUDE_WEIGHT * excluded
    return scores, answers


def _group_means(rows: np.ndarray, groups: Sequence[Sequence[str]]) -> np.ndarray:
    out = np.zeros((len(groups), rows.shape[1]), dtype=np.float32)
    at = 0
    for i, group in enumerate(groups):
        if group:
            out[i] = rows[at:at + len(group)].mean(axis=0)
        at += len(group)
    return out


def few_shot_probabilities(themes: Sequence[CodebookTheme], texts: Sequence[str],
                           analyzer: Callable[[str], list[str]], *, vectors: np.ndarray | None = None,
                           embed: Embed | None = None, seed: int = 0) -> np.ndarray:
    """(answers, themes) probabilities that each theme applies, from the themes' texts alone: a linear
    model taught by the clearest answers, or on too few answers each similarity over the answer's best."""
    from sklearn.linear_model import LogisticRegression

    if not themes or not texts:
        return np.zeros((len(texts), len(themes)))
    scores, features = similarity(themes, texts, analyzer, vectors=vectors, embed=embed, seed=seed)
    if len(themes) == 1:
        return np.clip(scores / max(scores.max(), 1e-9), 0.0, 1.0)
    relative = np.clip(scores / np.maximum(scores.max(axis=1, keepdims=True), 1e-9), 0.0, 1.0)
    order = np.sort(scores, axis=1)
    margin = order[:, -1] - order[:, -2]
    best = scores.argmax(axis=1)
    teach = np.zeros(len(texts), dtype=bool)
    for k in range(len(themes)):
        rows = np.flatnonzero((best == k) & (scores[:, k] > 0))
        keep = max(1, round(SEED_SHARE * len(rows)))
        teach[rows[np.argsort(-margin[rows], kind="stable")[:keep]]] = True
    if teach.sum() < MIN_TEACH or len(set(best[teach].tolist())) < 2:
        return relative
    model = LogisticRegression(C=4.0, max_iter=1000, random_state=seed)
    model.fit(features[teach], best[teach])
    probabilities = np.zeros((len(texts), len(themes)))
    probabilities[:, model.classes_] = model.predict_proba(features)
    return probabilities


def supervised_weight(coded: int, handover: int = HANDOVER, full: int = FULL_HANDOVER) -> float:
    """How much the supervised model weighs when `coded` answers have been coded by people."""
    if coded < MIN_CODED:
        return 0.0
    return 1.0 if coded >= full else coded / (coded + handover)


def blend(few_shot: np.ndarray, supervised: np.ndarray | None, coded: int) -> np.ndarray:
    """The probabilities to choose codes by when `coded` answers have been coded by people."""
    weight = supervised_weight(coded)
    if supervised is None or not weight:
        return few_shot
    return weight * supervised + (1.0 - weight) * few_shot


def suggest_from_codebook(codebook: Sequence[CodebookTheme], answers: Sequence[Answer],
                          analyzer: Callable[[str], list[str]], *, coded: Sequence[Answer] = (),
                          supervised_analyzer: Callable[[str], list[str]] | None = None,
                          vectors: np.ndarray | None = None, embed: Embed | None = None, seed: int = 0,
                          top: int = 5) -> list[Suggestion]:
    """Suggested codebook themes for each answer, from the themes' texts and, once MIN_CODED answers
    are coded (`coded`, with `codes` naming codebook themes), blended with analysis.suggest's model
    trained on them. `analyzer` drops stopwords (theme texts); `supervised_analyzer` is the
    supervised model's (default: the same without stopwords dropped). Every suggestion goes to
    review; `confidence` is the expected sample-F1 of its codes under the blended probabilities."""
    from analysis.suggest import choose, review_ranks

    probabilities, none = blended_probabilities(codebook, answers, analyzer, coded=coded,
                                                supervised_analyzer=supervised_analyzer, vectors=vectors,
                                                embed=embed, seed=seed)
    chosen = choose(probabilities, none)
    expected = 2 * (probabilities * chosen).sum(axis=1) / np.maximum(chosen.sum(axis=1) + probabilities.sum(axis=1),
                                                                   1e-9)
    ranks = review_ranks(probabilities)
    names = [t.name for t in codebook]
    out = []
    for i, answer in enumerate(answers):
        best = np.argsort(-probabilities[i], kind="stable")[:top]
        out.append(Suggestion(
            answer_id=answer.id, codes=tuple(names[j] for j in np.flatnonzero(chosen[i])),
            scores=tuple(CodeScore(names[j], round(float(probabilities[i, j]), 4)) for j in best),
            confidence=round(float(expected[i]), 4), route="review", review_rank=int(ranks[i])))
    return out


@dataclass(frozen=True)
class Handover:
    """What suggest_with_handover() made: its suggestions, which way (`method`: "few-shot" while the
    few-shot scores still count, else "supervised"), and the supervised model (None on few-shot)."""

    suggestions: list[Suggestion]
    method: str
    model: CodeModel | None


def suggest_with_handover(codebook: Sequence[CodebookTheme], answers: Sequence[Answer], *,
                          coded: Sequence[Answer] = (), language: str = "en", seed: int = 0,
                          target_agreement: float | None = None, auto_threshold: float | None = None,
                          vectors: np.ndarray | None = None, embed: Embed | None = None, jobs: int = 1,
                          show_progress: bool = False, coded_vectors: np.ndarray | None = None) -> Handover:
    """Suggestions at any stage of coding, by one rule: while the few-shot scores still weigh
    (supervised_weight() < 1, fewer than FULL_HANDOVER coded answers) and there is a codebook,
    suggest_from_codebook() (every suggestion to review); from then on, or with no codebook,
    analysis.suggest's model alone, with its learnt confidence and auto routing (exactly what
    `python -m analysis suggest` gives). Coded answers with no codes train its "no code".
    The supervised model reads sentence vectors when both `vectors` (the answers') and `coded_vectors`
    (the coded answers') are given, else TF-IDF alone."""
    from analysis.suggest import suggest, train
    from analysis.text import analyzer_for

    if codebook and supervised_weight(len(coded)) < 1.0:
        return Handover(suggest_from_codebook(codebook, answers, analyzer_for(language), coded=coded,
                                              vectors=vectors, embed=embed, seed=seed), "few-shot", None)
    both = vectors is not None and coded_vectors is not None
    model = train(coded, analyzer_for(language, drop_stopwords=False), seed=seed,
                  target_agreement=target_agreement, jobs=jobs,
                  vectors=coded_vectors if both else None)
    return Handover(suggest(model, answers, auto_threshold=auto_threshold, show_progress=show_progress, jobs=jobs,
                            vectors=vectors if both else None), "supervised", model)


def blended_probabilities(codebook: Sequence[CodebookTheme], answers: Sequence[Answer],
                          analyzer: Callable[[str], list[str]], *, coded: Sequence[Answer] = (),
                          supervised_analyzer: Callable[[str], list[str]] | None = None,
                          vectors: np.ndarray | None = None, embed: Embed | None = None,
                          seed: int = 0) -> tuple[np.ndarray, np.ndarray | None]:
    """((answers, themes) probabilities, probability of "no code" or None) for suggest's choose()."""
    from dataclasses import replace

    from analysis.suggest import train

    themes = with_coded_examples(codebook, coded)
    few = few_shot_probabilities(themes, [a.text for a in answers], analyzer, vectors=vectors, embed=embed,
                                 seed=seed)
    weight = supervised_weight(len(coded))
    if not weight or not any(a.codes for a in coded):
        return few, None
    if supervised_analyzer is None:
        supervised_analyzer = replace(analyzer, stop=frozenset(), _chunks={})
    learnt, none = supervised_probabilities(train(coded, supervised_analyzer, seed=seed), codebook, answers)
    return blend(few, learnt, len(coded)), weight * none


def supervised_probabilities(model: Any, codebook: Sequence[CodebookTheme], answers: Sequence[Answer]
                             ) -> tuple[np.ndarray, np.ndarray]:
    """analysis.suggest's (answers, themes) probabilities in codebook order (0 for a theme nobody has
    coded yet: the few-shot scores alone speak for it) and its probability of "no code"."""
    from analysis.suggest import _predict_all

    everything, _known = _predict_all(model, [a.text for a in answers], [a.context for a in answers])
    column = {code: j for j, code in enumerate(model.codes)}
    out = np.zeros((len(answers), len(codebook)))
    for k, theme in enumerate(codebook):
        if theme.name in column:
            out[:, k] = everything[:, column[theme.name]]
    return out, everything[:, -1]


def with_coded_examples(codebook: Sequence[CodebookTheme], coded: Sequence[Answer],
                        per_theme: int = EXAMPLES_FROM_CODED) -> list[CodebookTheme]:
    """The themes with up to `per_theme` of the coded answers' texts added to their examples."""
    from dataclasses import replace

    extra: dict[str, list[str]] = {t.name: [] for t in codebook}
    for answer in coded:
        for code in answer.codes:
            if code in extra and len(extra[code]) < per_theme and answer.text.strip():
                extra[code].append(answer.text)
    return [replace(t, examples=(*t.examples, *extra[t.name])) if extra[t.name] else t for t in codebook]


def read_codebook(path: str) -> list[CodebookTheme]:
    """A JSON list of {"name", "description", "include", "exclude", "examples": [...], "members": [...]}
    (only "name" required); raises analysis.jsonl.InputError on anything else."""
    import json

    from analysis.jsonl import InputError

    try:
        with open(path, encoding="utf-8") as stream:
            document = json.load(stream)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: cannot read a JSON codebook: {exc}") from None
    if not isinstance(document, list) or not document:
        raise InputError(f"{path}: expected a non-empty JSON list of themes")
    themes, seen = [], set()
    for i, item in enumerate(document, 1):
        where = f"{path}: theme {i}"
        if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not item["name"].strip():
            raise InputError(f"{where}: needs a non-empty \"name\"")
        texts = {key: item.get(key, "") for key in ("description", "include", "exclude")}
        lists = {key: item.get(key, []) for key in ("examples", "members")}
        if not all(isinstance(v, str) for v in texts.values()):
            raise InputError(f"{where}: description, include and exclude must be strings")
        if not all(isinstance(v, list) and all(isinstance(x, (str, int)) and not isinstance(x, bool) for x in v)
                   for v in lists.values()):
            raise InputError(f"{where}: examples and members must be lists of strings")
        name = item["name"].strip()
        if name in seen:
            raise InputError(f"{where}: duplicate name {name!r}")
        seen.add(name)
        themes.append(CodebookTheme(name, texts["description"], texts["include"], texts["exclude"],
                                    tuple(map(str, lists["examples"])), tuple(map(str, lists["members"]))))
    return themes

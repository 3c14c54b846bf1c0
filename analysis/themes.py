"""Theme discovery in answers nobody has coded yet: non-negative matrix factorisation
of TF-IDF (stopwords removed, stemmed 1-2-grams). Each theme is a weighted set of terms;
each answer joins the theme that weighs most in it; themes whose top terms mostly coincide are
merged; each is labelled with the key phrase (a collocation of its members' words) that best
carries its top terms. Seeded: same input, same themes."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from analysis.progress import progress
from analysis.records import Answer, Theme
from analysis.text import Analyzer, surface_forms


def discover_themes(
    answers: Sequence[Answer], analyzer: Analyzer, *, n_themes: int = 10, n_terms: int = 8,
    n_exemplars: int = 3, seed: int = 0, min_weight: float = 1e-3, show_progress: bool = False,
) -> list[Theme]:
    """Up to `n_themes` themes, largest first. Answers with no known term (empty, or only
    stopwords) join no theme."""
    from sklearn.decomposition import NMF

    from analysis.features import make_vectorizer

    texts = [a.text for a in answers]
    vectorizer = make_vectorizer(analyzer, min_df=2 if len(texts) >= 50 else 1)
    try:
        features = vectorizer.fit_transform(progress(texts, len(texts), "vectorising", enabled=show_progress))
    except ValueError:  # empty vocabulary: nothing but stopwords and numbers
        return []
    n_themes = max(1, min(n_themes, features.shape[0], features.shape[1]))
    if n_themes == 1:  # one theme holds every answer with a term; NMF adds nothing
        weights = np.asarray(features.sum(axis=1))
        components = np.asarray(features.sum(axis=0))
    else:
        nmf = NMF(n_components=n_themes, init="nndsvda", random_state=seed, max_iter=400)
        weights = nmf.fit_transform(features)
        components = nmf.components_
    best = weights.argmax(axis=1)
    assigned = weights.max(axis=1) > min_weight
    forms = surface_forms(texts, analyzer)
    vocabulary = vectorizer.get_feature_names_out()

    def readable(term: str) -> str:
        return " ".join(forms.get(part, part) for part in term.split(" "))

    themes = []
    for k in range(n_themes):
        members = np.flatnonzero(assigned & (best == k))
        if not len(members):
            continue
        terms = tuple(dict.fromkeys(readable(vocabulary[j]) for j in np.argsort(-components[k])[:n_terms]))
        exemplars = members[np.argsort(-weights[members, k], kind="stable")[:n_exemplars]]
        themes.append((members, terms, exemplars))
    themes = merge_near_duplicates(themes)
    themes.sort(key=lambda t: (-len(t[0]), t[0][0]))
    return [
        Theme(
            id=i,
            label=key_phrase([texts[m] for m in members], terms, analyzer),
            terms=terms,
            answer_ids=tuple(answers[m].id for m in members),
            exemplar_ids=tuple(answers[m].id for m in exemplars),
        )
        for i, (members, terms, exemplars) in enumerate(themes, 1)
    ]


def merge_near_duplicates(themes: list, overlap: float = 0.5, top: int = 4) -> list:
    """Fold a theme into an earlier, larger one when most of their `top` terms are the same (Jaccard)."""
    ordered = sorted(themes, key=lambda t: (-len(t[0]), t[0][0]))
    kept: list = []
    for members, terms, exemplars in ordered:
        for i, (k_members, k_terms, k_exemplars) in enumerate(kept):
            mine, theirs = set(terms[:top]), set(k_terms[:top])
            if len(mine & theirs) / max(len(mine | theirs), 1) >= overlap:
                kept[i] = (np.union1d(k_members, members), k_terms, k_exemplars)
                break
        else:
            kept.append((members, terms, exemplars))
    return kept


def key_phrase(texts: Sequence[str], terms: Sequence[str], analyzer: Analyzer, min_count: int = 2) -> str:
    """The two-word collocation in the texts (no stopwords at either end) that best carries the theme's
    top terms, ranked by likelihood ratio; else the top two terms."""
    from nltk.collocations import BigramAssocMeasures, BigramCollocationFinder

    words = [[tok for tok in analyzer.tokenize(text) if len(tok) > 1 and not tok.isdigit()] for text in texts]
    finder = BigramCollocationFinder.from_documents(words)
    finder.apply_freq_filter(min_count)
    finder.apply_word_filter(lambda word: word in analyzer.stop)
    top = {analyzer.stem(word) for term in terms[:4] for word in term.split()}
    candidates = [pair for pair, _score in finder.score_ngrams(BigramAssocMeasures.likelihood_ratio)
                  if top & {analyzer.stem(pair[0]), analyzer.stem(pair[1])}]
    if candidates:
        return " ".join(candidates[0])
    return " and ".join(terms[:2]) if terms else "unlabelled"


def describe_theme(theme: Theme, text_of: dict[str, str], words: int = 25) -> str:
    """One sentence built from the answers: the keywords, and the opening of the most typical answer."""
    keywords = list(theme.terms[:3])
    lead = ", ".join(keywords[:-1]) + (f" and {keywords[-1]}" if len(keywords) > 1 else keywords[0] if keywords else "")
    example = text_of.get(theme.exemplar_ids[0], "") if theme.exemplar_ids else ""
    opening = " ".join(example.split()[:words]) + ("…" if len(example.split()) > words else "")
    return f"{len(theme.answer_ids)} answers about {lead}" + (f", for example: “{opening}”" if opening else ".")


def theme_labels(themes: Sequence[Theme], answers: Sequence[Answer]) -> list[int]:
    """Theme id per answer (0 = none), for comparing with human codes."""
    of = {answer_id: theme.id for theme in themes for answer_id in theme.answer_ids}
    return [of.get(a.id, 0) for a in answers]

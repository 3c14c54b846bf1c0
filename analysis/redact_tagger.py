"""A statistical name tagger: for each word that could be a name (a word of the name lists, or one in
no dictionary), the log-odds that it is part of a person's name here, from a logistic model over the
word's shape, its lists, its letters (`redact_model`) and the words and punctuation around it (two
each side) and sentence position. It finds what the rules (`redact_people`, `redact_names`) have no
pattern for: "call Parveen", "* Esi - 7 years", "i'm kez and", "Alison Ng", "dr o'sullivan".

The weights (`data/name-tagger.tsv`) are trained on generated text only, by `python -m
analysis.train_names` (seeded; templates in `analysis.name_templates`). The word's own spelling is no
feature, so that the model learns what names look like and where they stand, not which names it saw.
Scoring is a sum of weights in plain Python (as `redact_model`): the word's own part is remembered.
The tokens and features are `analysis.redact_tagger_features`'; here are the weights and the scoring.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from itertools import repeat

from analysis.records import Span
from analysis.redact_people import starts_sentence
from analysis.redact_tagger_features import (POSSESSIVE, WORD, Token, Tokens, candidate, case_of, context_features, doc_flags,
                                             own_features, tokens)
from analysis.text import DATA_DIR

WEIGHTS_FILE = "name-tagger.tsv"


_WEIGHTS: dict[str, float] = {}
_INTERCEPT = [0.0]
_LOADED = [False]


def use_weights(intercept: float, weights: dict[str, float]) -> None:
    """Score with these weights (training and held-out estimates); `load_weights` reads the shipped ones."""
    _INTERCEPT[0] = intercept
    _WEIGHTS.clear()
    _WEIGHTS.update(weights)
    _OWN_SUM.clear()
    _LOADED[0] = True


def load_weights() -> None:
    if _LOADED[0]:
        return
    intercept, weights = 0.0, {}
    path = DATA_DIR / WEIGHTS_FILE
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# intercept\t"):
            intercept = float(line.split("\t")[1])
        elif line and not line.startswith("#"):
            feat, weight = line.rsplit("\t", 1)
            weights[feat.replace("\\n", "\n")] = float(weight)
    use_weights(intercept, weights)


_OWN_SUM: dict[str, float] = {}


def log_odds(text: str, toks: Sequence[Token], i: int, doc: str) -> float:
    load_weights()
    word = toks[i][2]
    if (own := _OWN_SUM.get(word)) is None:
        own = _OWN_SUM[word] = sum(map(_WEIGHTS.get, own_features(word), repeat(0.0)))
    return _INTERCEPT[0] + own + sum(map(_WEIGHTS.get, context_features(text, toks, i, doc), repeat(0.0)))


def probability(text: str, toks: Sequence[Token], i: int, doc: str) -> float:
    return 1.0 / (1.0 + math.exp(-log_odds(text, toks, i, doc)))


ADD_AT = 2.5  # log-odds from which the tagger adds a name the rules did not find


# Pieces of text (split at spaces) seen holding no candidate, by case: most answers cost one set difference.
_NOT_CANDIDATE: dict[str, set[str]] = {"lower": set(), "upper": set(), "mixed": set()}


def tagged(text: str, threshold: float | None = None) -> Iterator[Span]:
    """NAME spans of adjacent words the tagger scores above `threshold` (log-odds; `ADD_AT` by default)."""
    threshold = ADD_AT if threshold is None else threshold
    case = case_of(text)
    seen = _NOT_CANDIDATE[case]
    pieces = set(text.split()).difference(seen)  # "Rachel," and "(Rachel)" are remembered apart: cheaper
    if not pieces:
        return
    words: set[str] = set()
    for piece in pieces:
        inner = [w for w in WORD.findall(piece) if candidate(w, case)]
        if inner:
            words.update(inner)
        else:
            seen.add(piece)
    if not words:
        return
    toks = Tokens(text)
    doc = doc_flags(text)
    run: list[Token] = []
    last = -2
    for i in [i for i, w in enumerate(WORD.findall(text)) if w in words]:
        if log_odds(text, toks, i, doc) > threshold:
            tok = toks[i]
            if run and (last != i - 1 or text[run[-1][1] : tok[0]] not in (" ", ". ", " '", "' ")):
                yield Span(run[0][0], run[-1][1], "NAME")
                run = []
            run.append(tok)
            last = i
    if run:
        yield Span(run[0][0], run[-1][1], "NAME")


VETO_BELOW = -1.0  # log-odds under which the tagger drops the rules' name opening a Welsh sentence


def vetoed(text: str, spans: list[Span]) -> list[Span]:
    """The rules' NAME spans less those opening a sentence of a Welsh text whose every word the tagger
    finds unlike a name there or does not look at: "Mae" ("is"), "Mae Cymraeg". Only there: elsewhere the rules know more
    than the tagger ("Rose and Lily Preston run the stall")."""
    if not spans or doc_flags(text) != "cy":
        return spans
    toks = tokens(text)
    at = {t[0]: i for i, t in enumerate(toks)}
    out = []
    for span in spans:
        first = at.get(span.start)
        if span.label == "NAME" and first is not None and starts_sentence(text, span.start) \
                and text[span.start : span.end][-2:] not in POSSESSIVE:
            inside = [i for i in range(first, len(toks)) if toks[i][1] <= span.end]
            case = case_of(text)
            if len(inside) <= 3 and all(not candidate(toks[i][2], case) or log_odds(text, toks, i, "cy") < VETO_BELOW
                                        for i in inside):
                continue
        out.append(span)
    return out

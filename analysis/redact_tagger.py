"""A statistical name tagger: for each word that could be a name (a word of the name lists, or one in
no dictionary), the log-odds that it is part of a person's name here, from a logistic model over the
word's shape, its lists, its letters (`redact_model`) and the words and punctuation around it (two
each side) and sentence position. It finds what the rules (`redact_people`, `redact_names`) have no
pattern for: "call Parveen", "* Esi - 7 years", "i'm kez and", "Alison Ng", "dr o'sullivan".

The weights (`data/name-tagger.tsv`) are trained on generated text only, by `python -m
analysis.train_names` (seeded; templates in `analysis.name_templates`). The word's own spelling is no
feature, so that the model learns what names look like and where they stand, not which names it saw.
Scoring is a sum of weights in plain Python (as `redact_model`): the word's own part is remembered.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from functools import cache
from itertools import repeat

from analysis.records import Span
from analysis.redact_lexicon import (HEADS, TITLES, WELSH_FUNCTION_WORDS, english_words, fold, kind_of, lexicon,
                                     name_stop_words, welsh_words)
from analysis.redact_model import name_score
from analysis.redact_people import starts_sentence
from analysis.text import DATA_DIR, stopwords

WEIGHTS_FILE = "name-tagger.tsv"
NAME_KINDS = frozenset("GgSsNn")
LETTERS = r"[^\W\d_]"
WORD = re.compile(rf"(?<!\w){LETTERS}+(?:['’]{LETTERS}+)*(?:-{LETTERS}+(?:['’]{LETTERS}+)*)*(?!\w)")
SENTENCE_END = re.compile(r"[.!?:;\n]")
TIMES = frozenset("monday tuesday wednesday thursday friday saturday sunday january february march april may june july "
                  "august september october november december christmas easter".split())
PREFIXES = ("mac", "mc", "o'", "al-", "el-", "ap", "ab", "fitz", "van", "de")

POSSESSIVE = ("'s", "’s")
Token = tuple[int, int, str]  # start, end, word


class Tokens(Sequence[Token]):
    """The words of a text as (start, end, word), each made when asked: most are never looked at."""

    __slots__ = ("matches",)

    def __init__(self, text: str) -> None:
        self.matches = list(WORD.finditer(text))

    def __len__(self) -> int:
        return len(self.matches)

    def __getitem__(self, i: int) -> Token:  # type: ignore[override]
        m = self.matches[i]
        return m.start(), m.end(), m.group()


def tokens(text: str) -> list[Token]:
    return [(m.start(), m.end(), m.group()) for m in WORD.finditer(text)]


def shape(word: str) -> str:
    """Case pattern with runs collapsed, two capitals or more as "XX": "O'Sullivan" -> "X'Xx", "MacAulay"
    -> "XxXx", "kez" -> "x", "NHS" -> "XX", "SENCo" -> "XXx"."""
    out: list[str] = []
    for ch in word:
        c = "X" if ch.isupper() else "x" if ch.isalpha() else ch
        if out and out[-1] in (c, "XX") and c == out[-1][0]:
            out[-1] = "XX" if c == "X" else c
        else:
            out.append(c)
    return "".join(out)[:8]


@cache
def _common() -> frozenset[str]:
    """Context words told by their spelling: function words, titles, kin and cue words, dictionary words."""
    return stopwords("en") | name_stop_words() | TITLES | english_words() | WELSH_FUNCTION_WORDS | welsh_words()


@cache
def _welsh() -> frozenset[str]:
    return welsh_words() | WELSH_FUNCTION_WORDS


_OWN: dict[str, tuple[str, ...]] = {}


def own_features(word: str) -> tuple[str, ...]:
    """Features of the word alone: shape, kind, lists it is in, prefix, letters' name score, length."""
    if (feats := _OWN.get(word)) is None:
        folded = fold(word)
        bare = folded.removesuffix("'s")
        kind = kind_of(word, folded)
        lex = lexicon()
        s = shape(word)
        lists = [flag for flag, words in (("E", english_words()), ("C", _welsh()),
                                          ("L", lex.places), ("V", lex.everyday), ("U", lex.first_uk),
                                          ("A", lex.given), ("Z", lex.surnames), ("H", HEADS), ("M", TIMES),
                                          ("Q", lex.kept_words)) if bare in words]
        letters = bare.replace("'", "").replace("-", "")
        ng = round(max(-4.0, min(4.0, name_score(letters)))) if letters.isalpha() else 9
        prefix = next((p for p in PREFIXES if bare.startswith(p) and len(bare) > len(p) + 2), "")
        feats = (f"s={s}", f"k={kind}", f"ks={kind}|{s}", f"ng={ng}", f"kng={kind}|{ng}", f"len={min(len(bare), 9)}",
                 *(f"l={f}" for f in lists), f"ll={''.join(lists)}", f"pre={prefix}", f"poss={folded.endswith(chr(39) + 's')}")
        _OWN[word] = feats
    return feats


def _context_word(word: str | None) -> str:
    if word is None:
        return "<none>"
    folded = fold(word)
    if folded in _common() and (word.islower() or kind_of(word, folded) not in NAME_KINDS):
        return folded  # "ring", "said"; "Will" and "Hope" by their kind
    return "<" + kind_of(word, folded) + ">"


def _gap(text: str, a: int, b: int) -> str:
    """The punctuation between two words ("" for one space), at most two characters."""
    return text[a:b].replace(" ", "")[:2] or ("_" if "\n" not in text[a:b] else "\n")


def doc_flags(text: str) -> str:
    if not any(ch.isupper() for ch in text):
        return "lower"
    if text.isupper():
        return "upper"
    return "cy" if len(WELSH_FUNCTION_WORDS.intersection(text.lower().split())) >= 2 else "en"


_DESCRIPTIONS: dict[str, tuple[str, str, str]] = {}


def _described(word: str) -> tuple[str, str, str]:
    """(shape, kind, context word) of a word, remembered."""
    if (d := _DESCRIPTIONS.get(word)) is None:
        d = _DESCRIPTIONS[word] = (shape(word), kind_of(word, fold(word)), _context_word(word))
    return d


def context_features(text: str, toks: Sequence[Token], i: int, doc: str) -> list[str]:
    start, end, word = toks[i]
    s, kind, _ = _described(word)
    before = text[toks[i - 1][1] : start] if i else text[:start]
    first = i == 0 or bool(SENTENCE_END.search(before)) or before.strip()[-1:] in ("*", "-", "•", '"', "(")
    feats = [f"st={first}", f"stk={first}|{kind}", f"sts={first}|{s}", f"d={doc}", f"dk={doc}|{kind}",
             f"dsk={doc}|{first}|{kind}", f"dks={doc}|{kind}|{s}"]
    for off in (-2, -1, 1, 2):
        j = i + off
        if 0 <= j < len(toks):
            ws, wk, cw = _described(toks[j][2])
            feats += [f"w{off}={cw}", f"c{off}={ws}|{wk}"]
            if off == 1:
                feats.append(f"pc1={word[-2:] in POSSESSIVE}|{ws}")  # "Ffion's team", not "Maggie's Centre"
            if off in (-1, 1):
                gap = _gap(text, toks[j][1], start) if off < 0 else _gap(text, end, toks[j][0])
                feats += [f"p{off}={gap}", f"wk{off}={cw}|{kind}", f"pw{off}={gap}|{cw}", f"pk{off}={gap}|{kind}"]
        else:
            feats.append(f"w{off}=<none>")
            if off in (-1, 1):
                edge = text[:start] if off < 0 else text[end:]
                feats.append(f"p{off}={edge.replace(' ', '')[:2] or '_'}|edge")
    return feats


def features(text: str, toks: Sequence[Token], i: int, doc: str) -> list[str]:
    return [*own_features(toks[i][2]), *context_features(text, toks, i, doc)]


_CANDIDATES: dict[tuple[str, str], bool] = {}


def case_of(text: str) -> str:
    """'lower' (no capital letter), 'upper' (all capitals) or 'mixed'."""
    return "lower" if text.islower() or not any(ch.isupper() for ch in text) else "upper" if text.isupper() else "mixed"


def candidate(word: str, case: str = "mixed") -> bool:
    """Whether the tagger looks at the word in a text of this case (`case_of`): a word of the name
    lists or one in no dictionary; not a dictionary word in lower case ("like", "winter": surnames too)
    nor, in mixed case, a capitalised one that is a rare name besides ("Good", "Lovely", "Green": the
    rules grow a name to them; "Will", "Grace" stay), a lower-case word of no list ("meds", "cuz") or
    an acronym ("NHS")."""
    if (yes := _CANDIDATES.get((word, case))) is None:
        folded = fold(word)
        kind = kind_of(word, folded)
        yes = kind in NAME_KINDS and not (word.islower() and folded in english_words())
        if yes and case == "mixed":
            lex = lexicon()
            yes = not (word.islower() and kind in "Nn" or word.isupper() and len(word) < 4
                       or kind in "gs" and folded in english_words() and folded not in lex.ambiguous_given
                       and folded not in lex.first_uk)
        _CANDIDATES[(word, case)] = yes
    return yes


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

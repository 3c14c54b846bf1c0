"""What the name tagger (`analysis.redact_tagger`) knows of a word: the words of a text as tokens, which
words it looks at (`candidate`), and the features it scores them by: the word's shape, kind, lists,
prefix and letters (`redact_model`), the words and punctuation around it (two each side), the sentence
position and the kind of text (English, Welsh, lower case, capitals). The word's own spelling is no
feature. A word's own features and description are remembered.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from analysis.redact_lexicon import (HEADS, TITLES, WELSH_FUNCTION_WORDS, english_words, fold, kind_of, lexicon,
                                     name_stop_words, welsh_words)
from analysis.redact_model import name_score
from analysis.text import stopwords

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


"""Word lists for finding people's names (`analysis.redact_people`): given names, surnames,
names that are everyday words, places, and the phrases that name people without being
personal data (organisations named after people, idioms, office holders).

The lists ship in analysis/data (built by analysis/data/build_name_lists.py from public
domain census and birth-registration lists; see analysis/data/names-README.md).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from analysis.text import DATA_DIR, read_word_list

# Letters NFKD does not split into a base letter and a mark.
SPECIAL_LETTERS = str.maketrans({"ł": "l", "Ł": "l", "ı": "i", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d", "ß": "ss",
                                 "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "’": "'", "‘": "'"})


def fold(word: str) -> str:
    """Lower case without accents: "Wróblewska" -> "wroblewska", "Yıldız" -> "yildiz"."""
    if word.isascii():
        return word.lower()
    decomposed = unicodedata.normalize("NFKD", word.translate(SPECIAL_LETTERS))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


class _FoldTable(dict[int, str]):
    """str.translate table that folds each character on first sight and remembers it."""

    def __init__(self, keep_case: bool) -> None:
        super().__init__()
        self.keep_case = keep_case

    def __missing__(self, code: int) -> str:
        char = chr(code)
        folded = (fold(char) or char)[0]
        self[code] = folded.upper() if self.keep_case and char.isupper() else folded
        return self[code]


_FOLD_TABLES = {False: _FoldTable(keep_case=False), True: _FoldTable(keep_case=True)}


def fold_text(text: str, keep_case: bool = False) -> str:
    """`fold` one character at a time, so that offsets into the result are offsets into `text`."""
    if text.isascii():
        return text if keep_case else text.lower()
    return text.translate(_FOLD_TABLES[keep_case])


@dataclass(frozen=True, slots=True)
class Lexicon:
    given: frozenset[str]
    surnames: frozenset[str]
    mostly_surnames: frozenset[str]
    everyday: frozenset[str]  # names that are also everyday words: Grace, Will, Hill, Wood
    places: frozenset[str]
    first_uk: frozenset[str]  # the project's hand-kept UK given names: trusted alone
    ambiguous_given: frozenset[str]  # its given names that are words: names before a surname
    keep: re.Pattern[str]  # organisations, idioms, office holders (lower-case, folded)


def _lines(name: str) -> list[str]:
    lines = (line.strip() for line in (DATA_DIR / name).read_text(encoding="utf-8").splitlines())
    return [fold(line) for line in lines if line and not line.startswith("#")]


@cache
def lexicon() -> Lexicon:
    ambiguous = read_word_list(DATA_DIR / "first-names-ambiguous.txt")
    first_uk = read_word_list(DATA_DIR / "first-names-uk.txt") - ambiguous
    keep = _lines("people-not-private.txt")
    escaped = "|".join(re.escape(p).replace(r"\ ", r",?\s+") for p in sorted(keep, key=len, reverse=True))
    return Lexicon(
        given=read_word_list(DATA_DIR / "names-given.txt"),
        surnames=read_word_list(DATA_DIR / "names-surnames.txt"),
        mostly_surnames=read_word_list(DATA_DIR / "names-mostly-surnames.txt"),
        everyday=read_word_list(DATA_DIR / "names-everyday-words.txt") | ambiguous,
        places=read_word_list(DATA_DIR / "places.txt"),
        first_uk=first_uk,
        ambiguous_given=ambiguous,
        keep=re.compile(rf"(?<![\w-])(?:{escaped})(?:'s)?(?!\w|-(?!(?:funded|backed|led|run|style|based)\b)\w)"),
    )

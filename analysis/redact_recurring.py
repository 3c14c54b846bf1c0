"""A found name's other appearances in the same answer: "my neighbour Winston Clarke ... Winston is 90", "a letter
to 'Mr Singh' ... I'm Gurpreet Singh", its initials ("DB (Dorothy Bainbridge)") and an initial before it ("name
on account M Ahmed"). The issue's rule: once any part of a name is found, the whole name goes, wherever it is."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from analysis.records import Span
from analysis.redact_context import WORD
from analysis.redact_lexicon import NICKNAME_WORDS, TITLES, english_words, fold, name_stop_words
from analysis.redact_people import LOCATIVE_BEFORE

# A single capital (with or without a full stop) right before a name: "M Ahmed", "J. Okafor"; not "I" or "A".
INITIAL_BEFORE = re.compile(r"(?<![\w.'’])([B-HJ-Z]\.?|[a-z]\.) $")  # "b. kowalczyk" too
INITIAL_AFTER = re.compile(r" [A-Z](?=[,.;)\n]|$)")  # "Mohammed A, old Frank ..."
SENTENCE_END = re.compile(r"(?:^|[.!?:;\n][\"'’”)]*)\s*$")
CAPITALISED_BESIDE = re.compile(r"[A-Z][\w'’-]* $|^ [A-Z]")


def _parts(text: str, found: Iterable[Span]) -> tuple[set[str], set[str]]:
    """The capitalised words of the names found, and the initials of those of two or three words."""
    words, initials = set(), set()
    for span in found:
        name = [w.removesuffix("'s").removesuffix("’s") for w in WORD.findall(text[span.start : span.end])]
        capitalised = [w for w in name if w[0].isupper()]
        for word in capitalised:
            if len(word) >= 2 and not word.isupper() and fold(word) not in name_stop_words() and fold(word) not in TITLES:
                words.add(word)
        if 2 <= len(capitalised) <= 3 and all(not w.isupper() for w in capitalised):
            initials.add("".join(w[0] for w in capitalised))
    return words, initials


def _in_other_chain(text: str, start: int, end: int) -> bool:
    """A word beside a capitalised word other than a title: part of another name ("Cllr Jasbir Dhillon" when
    "Harjit Kaur Dhillon" was found), or of a place's or an organisation's."""
    before = CAPITALISED_BESIDE.search(text, max(0, start - 20), start)
    if before and fold(before.group().strip()).rstrip(".") not in TITLES | NICKNAME_WORDS:
        return True
    # "the lunch club in Shirley": a place of the same name
    return bool(CAPITALISED_BESIDE.match(text[end : end + 2])) or bool(LOCATIVE_BEFORE.search(text, max(0, start - 24), start))


def _a_word_here(text: str, start: int, end: int, word: str) -> bool:
    """A name that is also a word, used as one at a sentence's start: "Will you ...", "Mark the date"."""
    if fold(word) not in english_words() or not SENTENCE_END.search(text, max(0, start - 6), start):
        return False
    after = WORD.match(text, end + 1) if text[end : end + 1] == " " else None
    return after is not None and after.group().islower() and after.group() in name_stop_words()


def again(text: str, found: list[Span]) -> Iterator[Span]:
    """The found names' words and initials where they stand again, not yet found, and an initial before a name."""
    words, initials = _parts(text, found)
    taken = [(s.start, s.end) for s in found]
    for m in WORD.finditer(text):
        word = m.group()
        base = word.removesuffix("'s").removesuffix("’s")
        start, end = m.start(), m.start() + len(base)
        if (base in words or base in initials) and all(end <= s or start >= e for s, e in taken) \
                and not _a_word_here(text, start, end, base) and not _in_other_chain(text, start, end):
            yield Span(start, end, "NAME")
    for span in found:
        if (initial := INITIAL_BEFORE.search(text, max(0, span.start - 4), span.start)) and " " in text[initial.start() : span.start]:
            yield Span(initial.start(1), span.end, "NAME")
        if " " in text[span.start : span.end] or not (initial := INITIAL_AFTER.match(text, span.end)):
            continue
        yield Span(span.start, initial.end(), "NAME")

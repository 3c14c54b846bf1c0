"""Found names grown to the whole name around them, for `analysis.redact`: "[NAME] O'Driscoll" must not
happen, nor "my friend [NAME] mutasa"; the name stops at an organisation's word ("Robin Hood Airport"), a
day or month, or a dictionary word in a text in capitals.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from analysis.records import Span
from analysis.redact_lexicon import (HEADS, PARTICLES, SURNAME_HEADS, TITLES, english_words, fold, kind_of, misspelt_word,
                                     name_stop_words)
from analysis.redact_people import LETTERS, TIMES, starts_sentence

NEXT_NAME_WORD = re.compile(
    rf" (?:(?:{'|'.join(sorted(PARTICLES))}) |St\. )*((?:[A-Z]\.|(?:Ma?c|O['’])?[A-Z]{LETTERS}*(?:['’-]{LETTERS}+)*))")
NEXT_LOWER_WORD = re.compile(r"(?: [a-z]\.)? ([a-z][a-z'’-]{2,})\b")  # "joan e. whitaker": over a middle initial
PREVIOUS_NAME_WORD = re.compile(rf"([A-Z]{LETTERS}*(?:['’-]{LETTERS}+)*) $")


def whole_names(text: str, spans: Iterable[Span], drop_before_heads: bool = True) -> list[Span]:
    """NAME spans grown to the whole capitalised name around them: "[NAME] O'Driscoll" must not happen.
    A name before an organisation's word is dropped ("Robin Hood Airport") unless `drop_before_heads` is
    False (the tagger's names: it read the words after them, "Alison Ng Project Manager")."""
    out = []
    for span in spans:
        start, end = span.start, span.end
        while span.label == "NAME" and (m := NEXT_NAME_WORD.match(text, end)):
            word = fold(m.group(1))
            acronym = m.group(1)[:2].isupper() and not text.isupper()  # "Trent PTs"
            surname_head = word in SURNAME_HEADS | {"ward"} and not re.match(r" [A-Z]", text[m.end() : m.end() + 2])
            if word.removesuffix("'s") in HEADS and not surname_head or word in name_stop_words() or word in TITLES \
                    or word in TIMES or acronym:
                break  # "Robin Hood Airport"; but "my granddad Ted Ward was", "Emma Green said"
            if text.isupper() and not kind_of(m.group(1), word):
                break  # "TATIANA RUSU RUN THE...": in capitals, no dictionary word
            end = m.end()
        if span.label == "NAME" and text[start:end].islower() and (m := NEXT_LOWER_WORD.match(text, end)):
            word = fold(m.group(1))  # "my friend farai mutasa": a lower-case surname after a lower-case name
            kind = kind_of(m.group(1), word)
            if (kind in ("S", "N") or kind == "s" and word not in english_words()) and word not in name_stop_words() \
                    and not misspelt_word(word):
                end = m.end()
        after = re.match(r"[ \t]*([A-Z][A-Za-z]*)", text[end : end + 30])  # the same line: not a job title under a signature
        if after and after.group(1).lower() in HEADS - SURNAME_HEADS and drop_before_heads:
            continue  # "Robin Hood Airport", "Dorothy House"
        while span.label == "NAME" and (m := PREVIOUS_NAME_WORD.search(text, max(0, start - 40), start)):
            word = fold(m.group(1))
            kind = kind_of(m.group(1), word)
            if kind not in ("G", "g", "S", "s") or word in HEADS or kind == "s" and starts_sentence(text, m.start()):
                break
            start = m.start()
        out.append(Span(start, end, span.label))
    return out

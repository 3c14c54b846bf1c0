"""Homes known by a name, with no number or street: "I live at The Old Forge, Little Snoring", "we are at Cnoc
an t-Sìthein, Bòrnais", "dw i'n byw yn Hafod Wen, Llanrug", "Address for correspondence: Ardnamurchan View,
Kilchoan, PH36 4LL", "4 Mains of Auchindoir, Rhynie, Huntly AB54 4HL", "the Hendersons at Glebe Farm, Upper
Slaughter"; a PO box; and a flat's line above its street ("Flat C\\n61 Roseberry Avenue"). The name is the address
(town and postcode aside, as everywhere): a place of the lists, or an organisation's building, is none."""

from __future__ import annotations

import re
from collections.abc import Iterator

from analysis.records import Span
from analysis.redact_lexicon import HEADS, fold, lexicon

WORD = r"[A-Z][\w'’-]+"
# Up to four words, Gaelic and Welsh particles inside ("Cnoc an t-Sìthein", "Bryn y Môr", "Mains of Auchindoir").
HOUSE_NAME = rf"(?:The |Y |Yr )?{WORD}(?: (?:(?:an|na|nan|y|yr|of|a')\s)?(?:t-)?{WORD}){{0,3}}"
LIVES_AT = re.compile(rf"(?:\b(?i:i|we)(?:['’]m|['’]re| am| are| live| lives| living)(?: living)? at|\b(?i:lives?|living) at"
                      rf"|\bbyw yn|\b(?i:address(?: for correspondence)?|correspondence address)\s*:)\s+({HOUSE_NAME}),\s+(?=[A-Z])")
# A house name opening the text or a line, or after a number ("4 Mains of ..."), then a place or two and a postcode.
POSTCODE_AFTER = r"[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b"
LINE_ONE = re.compile(rf"(?:^|\n|:\s)(?:\d{{1,4}}[A-Za-z]? )?({HOUSE_NAME})(?=(?:,\s*{WORD}(?: {WORD}){{0,2}}){{1,2}},?\s+{POSTCODE_AFTER})",
                      re.M)
# "the Hendersons at Glebe Farm, ...": a house word at the end of the name, then a place.
HOUSE_WORD_AT = re.compile(rf"\bat ((?:The )?{WORD}(?: {WORD})? (?:Farm|Cottage|Barn|Lodge|House|Manor|Grange|Mill|Croft|Bungalow)),\s+(?=[A-Z])")
PO_BOX = re.compile(r"\b(?i:p\.?\s?o\.?\s?box)\s*\d{1,6}\b")
# A flat's or building's line above its street's: "Flat C\n61 Roseberry Avenue", "Apartment 5, The Maltings\n17 ...".
FLAT_LINE = re.compile(rf"(?im:^(?:flat|apartment|apt|unit|suite|room)\.? [\w/-]{{1,5}}(?:,\s*(?-i:{HOUSE_NAME}))?\n)"
                       r"(?=\d{1,4}[A-Za-z]? [A-Z])")
NOT_HOMES = HEADS - frozenset("farm cottage barn lodge house manor grange mill croft bungalow view".split())


def _a_home(name: str) -> bool:
    words = [fold(w) for w in name.split()]
    return " ".join(words) not in lexicon().places and words[-1] not in NOT_HOMES


def house_names(text: str) -> Iterator[Span]:
    for pattern in (LIVES_AT, LINE_ONE, HOUSE_WORD_AT):
        for m in pattern.finditer(text):
            if _a_home(m.group(1)):
                start = m.start(1)
                if pattern is LINE_ONE and (number := re.search(r"\d{1,4}[A-Za-z]? $", text[max(0, start - 6) : start])):
                    start -= len(number.group())
                yield Span(start, m.end(1), "ADDRESS")
    if "box" in text.lower():
        yield from (Span(*m.span(), "ADDRESS") for m in PO_BOX.finditer(text))


def flat_lines(text: str) -> Iterator[tuple[int, int]]:
    """Where a flat's line stands above a street address: (its start, the street line's start)."""
    return ((m.start(), m.end()) for m in FLAT_LINE.finditer(text))

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
HOUSE_WORD_AT = re.compile(rf"(?:\bat|[a-z],) ((?:The )?{WORD}(?: {WORD})? (?:Farm|Cottage|Barn|Lodge|House|Manor|Grange|Mill|Croft|Bungalow)"
                           rf"|(?:T[ŷy]|Taigh|Tigh)(?: na| an)? {WORD}),\s+(?=[A-Z])")  # "Hywel and Non Roberts, Tŷ Gwyn, ..."
# A flat and its building's number before a street of one word: "Apartment 4, 11 Quayside", "Flat 3, 22 Ropewalk".
FLAT_THEN_NUMBER = re.compile(r"\b(?i:flat|apartment|apt|unit|suite)\.?\s*[\w/-]{1,4},?\s+\d{1,4}[A-Za-z]?\s+[A-Z][\w'’-]+"
                              r"(?:\s+[A-Z][\w'’-]+)?(?=\s*[,.;\n]|$)")
FIELD = re.compile(rf"\b(?:Farm|House|Home|Croft|House name)\s*:\s*({HOUSE_NAME})\b")  # "Farm: Hendre Isaf."
# "Flat 2, above the Londis, 7 Crwys Road", "flat 6 above the bookies, 14 broad st", "Fflat 1, uwchben y siop, 9 ...".
FLAT_ABOVE = re.compile(r"(?i:\b(?:flat|fflat|apartment|room)(?: [\w/-]{1,4})?,? (?:above|over|uwchben) [^,\n]{2,30},\s*)$")
OWN_BOX = re.compile(r"(?i:(?<!not )\b(?:my|mine|personal|private|home|our family)\b)")
PO_BOX = re.compile(r"\b(?i:p\.?\s?o\.?\s?box)\s*\d{1,6}\b")
# A flat's or building's line above its street's: "Flat C\n61 Roseberry Avenue", "Apartment 5, The Maltings\n17 ...".
FLAT_LINE = re.compile(rf"(?im:^(?:flat|apartment|apt|unit|suite|room)\.? [\w/-]{{1,5}}(?:,\s*(?-i:{HOUSE_NAME}))?\n)"
                       r"(?=\d{1,4}[A-Za-z]? [A-Z])")
POSTCODE_HINT = re.compile(r"\d[A-Z]{2}\b")
HOUSE_WORD_HINT = re.compile(r"Farm|Cottage|Barn|Lodge|House|Manor|Grange|Mill|Croft|Bungalow|T[ŷy] |Taigh|Tigh")
NOT_HOMES = HEADS - frozenset("farm cottage barn lodge house manor grange mill croft bungalow view".split())


def _a_home(name: str) -> bool:
    words = [fold(w) for w in name.split()]
    return " ".join(words) not in lexicon().places and words[-1] not in NOT_HOMES


def _place_next(text: str, pos: int) -> bool:
    """A listed place next, or a last word before the end of the line or a postcode ("..., Tŷ Gwyn, Llanfihangel-y-Creuddyn")."""
    nxt = re.match(r"([A-Z][\w'’-]*(?: [A-Z][\w'’-]*)?)", text[pos:])
    if nxt and fold(nxt.group(1).split()[-1]) in HEADS:
        return False  # "Heaton Manor, Kenton School": a list of schools
    return bool(nxt) and (fold(nxt.group(1)) in lexicon().places or fold(nxt.group(1).split()[0]) in lexicon().places
                          or bool(re.match(rf"[ \t]*(?:$|\n|,?\s*{POSTCODE_AFTER})", text[pos + nxt.end() :])))


def house_names(text: str) -> Iterator[Span]:
    low = text.lower()
    for pattern, needed in ((LIVES_AT, "live" in low or "living" in low or "byw yn" in low or "ddress" in low or "are at" in low
                             or "re at" in low or "m at" in low),
                            (LINE_ONE, POSTCODE_HINT.search(text)), (HOUSE_WORD_AT, HOUSE_WORD_HINT.search(text)),
                            (FIELD, ":" in text)):
        for m in pattern.finditer(text) if needed else ():
            if pattern is HOUSE_WORD_AT and not m.group().startswith("at ") and not _place_next(text, m.end()):
                continue  # after a comma, a house needs a place after it: not "the Rowntree Foundation, Tŷ Hafan, Barnardo's"
            if _a_home(m.group(1)):
                start = m.start(1)
                if pattern is LINE_ONE and (number := re.search(r"\d{1,4}[A-Za-z]? $", text[max(0, start - 6) : start])):
                    start -= len(number.group())
                yield Span(start, m.end(1), "ADDRESS")
    if "flat" in low or "apartment" in low or "apt" in low or "unit" in low or "suite" in low:
        yield from (Span(*m.span(), "ADDRESS") for m in FLAT_THEN_NUMBER.finditer(text))
    if "box" in text.lower():  # a PO box is an organisation's unless the text makes it someone's own
        yield from (Span(*m.span(), "ADDRESS") for m in PO_BOX.finditer(text)
                    if OWN_BOX.search(text[max(0, m.start() - 60) : m.end() + 60]))


def flat_above(text: str, start: int) -> int:
    """Where a street address starts with the flat above a shop before it ("Flat 2, above the Londis, 7 ...")."""
    m = FLAT_ABOVE.search(text, max(0, start - 60), start)
    return m.start() if m else start


def flat_lines(text: str) -> Iterator[tuple[int, int]]:
    """Where a flat's line stands above a street address: (its start, the street line's start)."""
    return ((m.start(), m.end()) for m in FLAT_LINE.finditer(text))

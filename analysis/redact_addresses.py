"""Street addresses for `analysis.redact`: "12 High Street", "102 willow bank rd",
"56A STATION ROAD", "5 Heol y Nant", "17 The Crescent", "number 23 on Elm Grove",
"Heol Las, number 15", "Flat 2/1, 34 Dumbarton Rd", "Unit 7 Tannery Yard",
"Rose Cottage, Back Lane", "Flat 11 Kingsway House, Brook St".
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from analysis.records import Span
from analysis.redact_lexicon import english_words
from analysis.redact_names import STREET_TYPES, _stop_words

MORE_STREET_TYPES = ("Mount|Wharf|Yard|Quay|Bank|Brow|Chase|Croft|Dene|Fold|Garth|Wynd|Vale|Meadows?|Side|Mead|End|"
                     "Approach|Circus|Embankment|Boulevard|Broadway|Gate|Hey|Paddocks?|Maltings|Orchard|Willows|Sidings")
STREET_WORD = rf"(?i:{STREET_TYPES}|{MORE_STREET_TYPES})\b\.?"
WELSH_STREET = r"(?i:heol|ffordd|stryd|l[oô]n|maes|clos|rhodfa|cae|bryn|teras|llwyn|pant|parc|cwrt|stad|cilgant|rhes)"
NAME = r"[A-Z][\w'’-]+"  # "Marlborough", "Weaver's", "STATION"
HOUSE_NUMBER = r"\d{1,4}[A-Za-z]?"
# Lower-case streets ("23a high st") only with the plainer street words, and the words
# before must not be stopwords or units: "a 10 minute drive", "40 houses on Mill Lane".
# One scan for the three number-first shapes (a scan per shape cost three times as much).
STREET = re.compile(
    # The digit comes before the look-behind so that `re` can skip straight to digits.
    rf"\d(?<![\w,.£$]\d)\d{{0,3}}[A-Za-z]?,? (?:"
    rf"(?P<the>The (?:{NAME} )?{NAME}|the (?:[a-z]+ )?(?i:{MORE_STREET_TYPES}|green|crescent|close|mews|avenue|grove|drive)\b)"
    rf"|(?:(?i:st|saint)\.? )?(?P<street>(?:{NAME} ){{1,3}}{STREET_WORD}"
    r"|(?:[a-z][\w'-]+ ){1,3}(?i:road|rd|street|st|avenue|ave|lane|crescent|terrace|grove|close|way|gardens|drive)\b)"
    rf"|(?P<welsh>{WELSH_STREET}(?:['’]r)?(?: (?:yr\b|y\b|[A-ZŴŶÂÊÎÔÛ][\w-]*['’]?\w*)){{1,3}}))"
)
NUMBERED = re.compile(
    rf"\b(?i:number|no\.?) ?{HOUSE_NUMBER}(?:,? (?:on|in) |,? )((?:{NAME} ){{0,2}}(?:{STREET_WORD}|{NAME}))"
    rf"|\b((?:{NAME} ){{0,2}}{STREET_WORD}|{WELSH_STREET} {NAME}),? (?i:number|no\.?) ?{HOUSE_NUMBER}\b"
)
NUMBER_WORD = re.compile(r"(?i:\bnumber|\bno\.?) ?\d")
FLAT = r"(?i:flat|apartment|apt|unit|(?:\d(?:st|nd|rd|th)|ground|first|second|third|top|basement) floor flat)"
FLAT_NUMBER = rf"{FLAT}(?: \d{{1,4}}(?:/\d{{1,2}})?[A-Za-z]?)?,? "
BUILDING = r"(?:[A-Z][\w'’-]+ ){1,2}(?:House|Court|Lodge|Mansions|Tower|Heights|Point|Buildings)\b"
FLAT_BEFORE = re.compile(rf"{FLAT_NUMBER}(?:{BUILDING},? )?$")
FLAT_IN_PLACE = re.compile(rf"\b(?i:flat|apartment|apt|unit) \d{{1,4}}[A-Za-z]?,? (?:{NAME} ){{0,3}}{NAME}")
HOUSE = r"(?:\b[A-Z][\w'’-]+ (?:Cottage|Farm|Barn|Lodge|Villa|Bungalow|House|Manor|Grange|Rectory|Vicarage)|\bT[ŷy] [A-Z]\w+)"
HOUSE_BEFORE = re.compile(rf"{HOUSE},? $")
# A Welsh street's words after the street word are capitalised or "y"/"yr": "Heol Fawr is ..." stops there.
STREET_AFTER = re.compile(
    rf",? (?:{HOUSE_NUMBER} )?((?:{NAME} ){{1,3}}{STREET_WORD}|{WELSH_STREET}(?: (?:yr?\b|[A-Z]\w*)){{1,2}})")
HOUSE_THEN_STREET = re.compile(rf"{HOUSE}(?={STREET_AFTER.pattern})")
DIGIT = re.compile(r"\d")
# Northern streets named "-gate" (Norse for street) stand alone: "88 kirkgate", "4 Westgate"; not "3 delegates".
GATE_STREET = re.compile(r"(?<![\w,.£$])\d{1,4}[A-Za-z]?,? ([A-Za-z]{2,}(?:gate|GATE))\b")
NEXT_WORD = re.compile(r" ([a-z]+)\b")
PLACE_WORDS_AFTER = frozenset("near opposite next behind by since off where which is has".split())
HOUSE_HINT = re.compile("Cottage|Farm|Barn|Lodge|Villa|Bungalow|House|Manor|Grange|Rectory|Vicarage|Tŷ|Ty ")
NOT_STREET_WORDS = frozenset("min mins minute minutes hour hours mile miles year years day days week weeks".split())


def _street_spans(text: str) -> Iterator[tuple[int, int]]:
    stop = _stop_words()
    for m in STREET.finditer(text):
        if street := m.group("street"):
            words = street.split()
            if any(w.casefold() in stop or w.casefold() in NOT_STREET_WORDS for w in words[:-1]):
                continue
            # "20 high street shops": a lower-case street followed by a noun is a description.
            if street.islower() and (after := NEXT_WORD.match(text, m.end())) and after.group(1) not in stop \
                    and after.group(1) not in PLACE_WORDS_AFTER:
                continue
        yield m.span()
    if NUMBER_WORD.search(text):
        yield from (m.span() for m in NUMBERED.finditer(text))
    if "gate" in text or "GATE" in text:
        yield from (m.span() for m in GATE_STREET.finditer(text) if m.group(1).lower() not in english_words())


def may_hold_address(text: str) -> bool:
    """False when `addresses` could find nothing: no digit and no house name."""
    return bool(DIGIT.search(text) or HOUSE_HINT.search(text))


def addresses(text: str) -> Iterator[Span]:
    for start, end in _street_spans(text):
        if flat := FLAT_BEFORE.search(text, max(0, start - 60), start):
            start = flat.start()
        elif house := HOUSE_BEFORE.search(text, max(0, start - 40), start):
            start = house.start()
        yield Span(start, end, "ADDRESS")
    low = text.lower()
    if "flat" in low or "apartment" in low or "apt" in low or "unit" in low:
        for m in FLAT_IN_PLACE.finditer(text):
            after = STREET_AFTER.match(text, m.end())
            yield Span(m.start(), after.end() if after else m.end(), "ADDRESS")
    for m in HOUSE_THEN_STREET.finditer(text) if HOUSE_HINT.search(text) else ():
        if after := STREET_AFTER.match(text, m.end()):
            yield Span(m.start(), after.end(), "ADDRESS")

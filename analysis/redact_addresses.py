"""Street addresses for `analysis.redact`: "12 High Street", "102 willow bank rd",
"56A STATION ROAD", "5 Heol y Nant", "17 The Crescent", "number 23 on Elm Grove",
"Heol Las, number 15", "Flat 2/1, 34 Dumbarton Rd", "Unit 7 Tannery Yard",
"Rose Cottage, Back Lane", "Flat 11 Kingsway House, Brook St". The streets are found in
`analysis.redact_streets`, the flats and houses around them in `analysis.redact_flats_and_houses`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from analysis.records import Span
from analysis.redact_flats_and_houses import (FLAT_AFTER, FLAT_BEFORE, FLAT_IN_PLACE, HOUSE_BEFORE, HOUSE_HINT, HOUSE_IN_VILLAGE,
                                              HOUSE_THEN_STREET, NAMED_BEFORE, NUMBERED_HOUSE, RANGE_BEFORE, STREET_FIRST,
                                              TENEMENT_BEFORE, UNIT_HINT, cued_houses, house_name, house_then_street)
from analysis.redact_house_names import flat_above, flat_lines, house_names
from analysis.redact_lexicon import fold
from analysis.redact_streets import STREET_AFTER, STREET_LIST, STREET_WORD, WELSH_STREET, street_spans, towns_after

DIGIT = re.compile(r"\d")


STREET_HINT = re.compile(r", (?:[A-Z][\w'’-]+ ){1,3}(?:Lane|Road|Street|Avenue|Close|Drive|Way|Crescent|Terrace|Grove|Gardens|Place|"
                         r"Row|Walk|Hill|Green|Rise|View|Mews)\b")


INWARD_HINT = re.compile(r"\d[A-Za-z]{2}\b")  # a postcode's inward code, for `cued_houses`


def may_hold_address(text: str) -> bool:
    """False when `addresses` could find nothing: no digit and no house name."""
    return bool(DIGIT.search(text) or HOUSE_HINT.search(text) or ", " in text and STREET_HINT.search(text)
                or ", " in text and ("live" in text or "Live" in text or "byw yn" in text or "ddress" in text or "we are at" in text))


NUMBER_BEFORE = re.compile(r"(?<![\w,.£$/:-])(\d{1,4})[A-Za-z]? $")
CARE_OF = re.compile(r"\b(?i:c/o|care of)\s*$")


def addresses(text: str) -> Iterator[Span]:
    """Street addresses, with a flat, house name or "c/o" before them, and the towns after them."""
    lists = [m.span() for m in STREET_LIST.finditer(text) if not re.search(r"\d", m.group()) and sum(
        bool(re.search(rf"\b{STREET_WORD}$", item) or re.match(rf"{WELSH_STREET}\b", item)) for item in m.group().split(", ")) >= 2
    ] if text.count(", ") >= 2 else []
    for span in _addresses(text):
        if any(s <= span.start and span.end <= e for s, e in lists) and not re.search(r"\d", text[span.start : span.end]):
            continue
        if after := STREET_AFTER.match(text, span.end):
            span = Span(span.start, after.end(), span.label)
        span = Span(span.start, towns_after(text, span.end), span.label)
        if text[span.start].isupper() and (number := NUMBER_BEFORE.search(text, max(0, span.start - 7), span.start)) \
                and not (len(number.group(1)) == 4 and number.group(1)[:2] in ("18", "19", "20")):
            span = Span(number.start(), span.end, span.label)  # "3 Tewkesbury House, Bellingham Estate"
        if care_of := CARE_OF.search(text, max(0, span.start - 9), span.start):
            span = Span(care_of.start(), span.end, span.label)
        yield span


def _addresses(text: str) -> Iterator[Span]:
    yield from house_names(text)
    flats = dict((street, start) for start, street in flat_lines(text)) if "\n" in text else {}
    for start, end in street_spans(text):
        start = flat_above(text, flats.get(start, start))
        if first := RANGE_BEFORE.search(text, max(0, start - 16), start):
            start = first.start()
        if flat_after := FLAT_AFTER.match(text, end):
            end = flat_after.end()
        if tenement := TENEMENT_BEFORE.search(text, max(0, start - 9), start):
            start = tenement.start()  # "6/2 Montgomery Street"
        if flat := FLAT_BEFORE.search(text, max(0, start - 60), start):
            start = flat.start()
        elif house := HOUSE_BEFORE.search(text, max(0, start - 40), start):
            start = house.start()
        elif (named := NAMED_BEFORE.search(text, max(0, start - 40), start)) and house_name(named.group(1)):
            start = named.start(1)  # "Ivy House, 17 ...", "The Old Forge, 1 ...", "Ardlui, 3 ..."
        yield Span(start, end, "ADDRESS")
    if "Hse" in text or "Croft" in text or "HSE" in text or "CROFT" in text:
        yield from (Span(*m.span(), "ADDRESS") for m in NUMBERED_HOUSE.finditer(text))
    if ", " in text and (STREET_HINT.search(text) or INWARD_HINT.search(text)):
        yield from cued_houses(text)
    low = text.lower()
    if UNIT_HINT.search(low):
        for m in FLAT_IN_PLACE.finditer(text):
            after = STREET_AFTER.match(text, m.end())
            yield Span(m.start(), after.end() if after else m.end(), "ADDRESS")
    if HOUSE_HINT.search(text):
        for m in HOUSE_THEN_STREET.finditer(text):
            if (after := STREET_AFTER.match(text, m.end())) and fold(m.group().split()[0]) not in STREET_FIRST:
                yield Span(m.start(), after.end(), "ADDRESS")
        yield from house_then_street(text)
        yield from (Span(*m.span(), "ADDRESS") for m in HOUSE_IN_VILLAGE.finditer(text))

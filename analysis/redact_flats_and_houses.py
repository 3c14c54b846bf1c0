"""Flats, units and houses around a street, for `analysis.redact_addresses`: "Flat 2/1, 34 Dumbarton Rd",
"Unit 7 Tannery Yard", "Rose Cottage, Back Lane", "Flat 11 Kingsway House, Brook St", "Hse 4, Ystrad Mynach",
"Dunroamin, Sandy Lane, Bramshott.". Homes known by a name alone are `analysis.redact_house_names`'.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from analysis.records import Span
from analysis.redact_lexicon import fold, lexicon, welsh_words
from analysis.redact_names import _stop_words
from analysis.redact_streets import (HOUSE_NUMBER, LOW_STREET_END, NAME, PLACE_ITEM, POSTCODE_AHEAD, STREET_AFTER, STREET_TYPES,
                                     STREET_WORD, WELSH_STREET, towns_after)

# A part of a building before it: "Flat 3/2", "Suite 9", "Units 3-4", "Uned 5" (Welsh), "Basement", "Plot 19".
FLAT = (r"(?i:(?:(?:basement|garden|top|upper|lower|rear|front|attic)|(?:\d(?:st|nd|rd|th)|ground|lower ground|first|second|"
        r"third|top|basement) floor) (?:flat|apartment|room)|flat|apartment|apt|units?|room|suite|studio|office|workshop|plot|bedsit|"
        r"uned|fflat|ystafell|basement|block|caravan|chalet|stall|"
        r"(?:\d(?:st|nd|rd|th)|ground|lower ground|first|second|third|top|basement) floor)\.?")
# "3/2", "1/R" (a Glasgow close's right), "3-4", "3 and 4", "12b", "C", "B4".
UNIT_NUMBER = r"(?:\d{1,4}(?:/(?:\d{1,2}|[LRMlrm]\b)|[-–]\d{1,4}|(?: ?&| and) \d{1,4})?[A-Za-z]?|[A-Z]\d{0,3}\b)"
FLAT_NUMBER = rf"{FLAT}(?: {UNIT_NUMBER})?(?:,| of)? "  # "flat 9 of Trellick Tower, 5 Golborne Road"
BUILDING_WORD = (r"(?:House|Court|Lodge|Mansions|Tower|Heights|Point|Buildings|Church|Chapel|Centre|Center|Hall|Hub|Works|"
                 r"Mills?|Studios|Chambers|Exchange|Arcade|Wharf|Quay|Estate|Park|Yard|Place|Plaza|Arches|Depot|Workshops|"
                 r"Allotments|Barns|Cottages|Farm|Institute|Library|Hostel|Precinct|Parade|Row|Square|Side|Green|Site|Factory)")
BUILDING = rf"(?:The )?(?:{NAME} ){{1,3}}{BUILDING_WORD}\b"
FLAT_BEFORE = re.compile(rf"(?:{FLAT_NUMBER}){{1,2}}(?:{BUILDING},? )?$")  # "Block C, Flat 12, ..."
# A flat after its street: "22 Brook Street, Flat 3".
FLAT_AFTER = re.compile(rf",? (?i:flat|apartment|apt\.?|room|unit) {UNIT_NUMBER}")
# The first of a range of house numbers: "42-44 Church Street", "7 & 9 Mill Lane".
RANGE_BEFORE = re.compile(r"(?:\b(?i:no\.?|number) )?(?<![\w,.£$/-])\d{1,4}[A-Za-z]?(?:[-–]| ?& ?| and )$")
FLAT_IN_PLACE = re.compile(rf"\b(?i:flat|apartment|apt)\.? {UNIT_NUMBER},? (?:{NAME} ){{0,3}}{NAME}"
                           # "Unit 7, Digbeth Trading Estate", "Plot 19, Sandy Lane Allotments", "Uned 5, Stryd Fawr":
                           # a place's word last ("Unit 3 Assessment Criteria" is a course's).
                           rf"|\b(?i:units?|suite|plot|uned|studio|workshop|block|caravan|chalet|stall|cottage) {UNIT_NUMBER},? "
                           rf"(?:The )?(?:{NAME} ){{0,3}}"
                           rf"(?:{BUILDING_WORD}|{STREET_WORD}(?<!\.)|{WELSH_STREET} {NAME})(?![\w'’-])"
                           # "unit 2 the arches, viaduct st": in lower case, only before a street.
                           r"|\b(?i:flat|apartment|apt|units?|suite|plot|studio|workshop) "
                           rf"{UNIT_NUMBER},? (?:the )?[a-z]+(?: [a-z]+)?(?=, (?:{HOUSE_NUMBER} )?[a-z]+ (?i:{STREET_TYPES})\b{LOW_STREET_END})")
HOUSE = r"(?:\b[A-Z][\w'’-]+ (?:Cottage|Farm|Barn|Lodge|Villa|Bungalow|House|Manor|Grange|Rectory|Vicarage)|\bT[ŷy] [A-Z]\w+)"
HOUSE_BEFORE = re.compile(rf"{HOUSE},? $")
# A rural address with no street: "Rose Cottage, Little Snoring, NR21 0AA", "Tŷ Hen\nLlanfihangel\nSY22 5JD".
HOUSE_IN_VILLAGE = re.compile(rf"{HOUSE}(?=(?:,?\s+{NAME}(?: {NAME}){{0,2}}){{1,2}},?\s+[A-Z]{{1,2}}\d[A-Z\d]?\s*\d[A-Z]{{2}}\b)")
HOUSE_THEN_STREET = re.compile(rf"{HOUSE}(?={STREET_AFTER.pattern})")
HOUSE_HINT = re.compile("Cottage|Farm|Barn|Lodge|Villa|Bungalow|House|Manor|Grange|Rectory|Vicarage|Tŷ|Ty |Ffordd|Heol|Stryd|"
                        "Lon |Lôn |Maes |Glan |Pen y|Tan y|Bryn ")
# A house name before a street, without a number: "Hafod, Ffordd Penrhos", "Bwthyn Bach, Pen y Bryn", "The Old
# Vicarage, Church Walk"; one of its words Welsh or a house word (`house_then_street`).
NAMED_HOUSE = re.compile(r"\b(?:The )?[A-Z][\w'’-]+(?: (?:y|yr|[A-Z][\w'’-]+)){0,2}(?=,? )")
HOUSE_WORDS = frozenset("cottage farm barn lodge villa bungalow house manor grange rectory vicarage".split())
UNIT_HINT = re.compile(r"flat|apartment|apt|unit|suite|plot|uned|studio|workshop|block|caravan|chalet|stall|cottage")
TENEMENT_BEFORE = re.compile(r"(?<![\w/])(?:\d{1,3}/|\d{1,3}/(?:\d{1,3}|[LRMlrm]),? )$")  # "6/2 Montgomery St", "2/L, 14 ..."
# A house's name before its number and street: capitalised words then a comma, at the start of the
# text, a line or a clause ("Contact: Jo Bloggs, Ardlui, 3 Loch Road").
NAMED_BEFORE = re.compile(r"(?:^|[\n:;,(]\s*|\b(?i:at|to|of|c/o)\s+)((?:The |Y |Yr )?[A-Z][\w'’-]+(?: [A-Z][\w'’-]+){0,2}),\s*$")
# A house or croft by its number in a village: "Hse 4, Ystrad Mynach", "Croft 12, Achmore, Lochs" (the towns join after).
NUMBERED_HOUSE = re.compile(r"\b(?:Hse|HSE|Croft|CROFT) \d{1,4}[A-Za-z]?(?=,\s*[A-Z])")
# A house's name with no number, at the start of a line or after "at/in/to" or a colon, before a street and a
# town ("I shop in Morrisons, High Street." is no address): "Dunroamin, Sandy Lane, Bramshott.", "The Old Forge, Blackthorn Lane, Upper Slaughter".
CUED_HOUSE = re.compile(r"(?:^|\n|:\s*|\b(?:at|in|to) )((?:The )?[A-Z][\w'’-]+(?: [A-Z][\w'’-]+){0,2})(?=, )", re.M)
# ... or before its village and postcode: "The Schoolhouse, Kinlochbervie, by Lairg, Sutherland IV27 4RP".
HOUSE_BEFORE_VILLAGES = re.compile(rf"(?:,\s*{PLACE_ITEM}){{1,4}}\.?(?={POSTCODE_AHEAD})")


def cued_houses(text: str) -> Iterator[Span]:
    for m in CUED_HOUSE.finditer(text):
        if not house_name(m.group(1)) or fold(m.group(1).split()[0]) in STREET_FIRST \
                or re.fullmatch(STREET_WORD, m.group(1).split()[-1]):
            continue
        if (street := STREET_AFTER.match(text, m.end(1))) and towns_after(text, street.end()) > street.end():
            yield Span(m.start(1), street.end(), "ADDRESS")
        elif villages := HOUSE_BEFORE_VILLAGES.match(text, m.end(1)):
            yield Span(m.start(1), villages.end(), "ADDRESS")


def house_name(words: str) -> bool:
    """A house's name, not a place, a person's title or a heading ("Address", "Leeds")."""
    folded = [fold(w) for w in words.split()]
    return not (" ".join(folded) in lexicon().places or folded[-1] in _stop_words() or folded[0] in NOT_HOUSE_WORDS)


NOT_HOUSE_WORDS = frozenset("address contact contacts tel phone email postcode respondent name from write send "
                            "dear hi hello thanks regards yes no".split())


# A street's own first word: "Lon Goed, Ffordd Pen-y-Bryn, Stryd Fawr" lists streets, no house before one.
STREET_FIRST = frozenset("heol ffordd stryd lon rhodfa teras cilgant clos".split())


def house_then_street(text: str) -> Iterator[Span]:
    for m in NAMED_HOUSE.finditer(text):
        words = {fold(w) for w in m.group().split()}
        if fold(m.group().split()[0]) in STREET_FIRST or re.fullmatch(STREET_WORD, m.group().split()[-1]):
            continue
        if (words & HOUSE_WORDS or words & welsh_words() - {"y", "yr"}) and (after := STREET_AFTER.match(text, m.end())):
            if after.group(1).split()[0].lower() not in ("y", "yr"):
                yield Span(m.start(), after.end(), "ADDRESS")

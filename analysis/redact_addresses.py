"""Street addresses for `analysis.redact`: "12 High Street", "102 willow bank rd",
"56A STATION ROAD", "5 Heol y Nant", "17 The Crescent", "number 23 on Elm Grove",
"Heol Las, number 15", "Flat 2/1, 34 Dumbarton Rd", "Unit 7 Tannery Yard",
"Rose Cottage, Back Lane", "Flat 11 Kingsway House, Brook St".
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from analysis.records import Span
from analysis.redact_house_names import flat_above, flat_lines, house_names
from analysis.redact_lexicon import english_words, fold, lexicon, welsh_words
from analysis.redact_names import STREET_TYPES, _stop_words

MORE_STREET_TYPES = ("Mount|Wharf|Yard|Quay|Bank|Brow|Chase|Croft|Dene|Fold|Garth|Wynd|Vale|Meadows?|Side|Mead|End|Brae|Loan|"
                     "Vennel|Terr|Cres|Gdns|Sq|Lanes|Gait|Pend|Neuk|"
                     "Approach|Circus|Embankment|Boulevard|Broadway|Gate|Hey|Paddocks?|Maltings|Orchard|Willows|Sidings|Av|Cottages")
STREET_WORD = rf"(?i:{STREET_TYPES}|{MORE_STREET_TYPES})\b\.?"
WELSH_STREET = (r"(?i:heol|ffordd|stryd|l[oô]n|maes|clos|rhodfa|cae|bryn|teras|llwyn|pant|parc|cwrt|stad|cilgant|rhes|glan|llys|"
                r"pen|tan|bro|erw|allt|gallt|nant|dol|bron|cefn|trem|ael|golwg|gerddi|rhiw|tyle|llain|clos|"
                r"sr[aà]id|rathad|baile|cnoc|ceann|druim|"  # Gaelic: "10 Sràid na h-Eaglais", "4 Baile Ùr", "2 Cnoc an t-Sìthein"
                r"gwel|chy|fordh|bownder|stret|hyns)")  # Cornish: "14 Gwel an Mor", "3 Chy an Dowr", "6 Bownder Vean"
NAME = r"[A-Z](?![\w'’-]*\d)[\w'’-]+"  # "Marlborough", "Weaver's", "STATION"; not "S9" (a postcode's)
HOUSE_NUMBER = r"\d{1,4}[A-Za-z]?"
# Lower-case streets ("23a high st") only with the plainer street words, and the words
# before must not be stopwords or units: "a 10 minute drive", "40 houses on Mill Lane".
# One scan for the three number-first shapes (a scan per shape cost three times as much).
STREET = re.compile(
    # The digit comes before the look-behind so that `re` can skip straight to digits.
    rf"\d(?<![\w,.£$]\d)\d{{0,3}}[A-Za-z]?,? (?:"
    rf"(?P<the>The (?:{NAME} )?{NAME}|the (?:[a-z]+ )?(?i:{MORE_STREET_TYPES}|green|crescent|close|mews|avenue|grove|drive)\b)"
    rf"|(?:(?i:st|saint)\.? )?(?P<street>(?:{NAME} ){{1,3}}{STREET_WORD}|Mount {NAME}(?=[,.;)\n]|$)"
    r"|(?:[a-z][\w'-]+ ){1,3}(?i:road|rd|street|st|avenue|ave|lane|crescent|cres|terrace|terr|grove|close|way|gardens|gdns|"
    r"drive|place|court|square|mews|row|walk|rise|view|parade|av)\b)"
    # Welsh streets, in lower case too ("9 maes yr haf", "56 Glan yr Afon Terrace"): see `_welsh_street_end`.
    rf"|(?P<welsh>{WELSH_STREET}(?:['’]r)?(?: (?:yr\b|y\b|\w[\w-]*['’]?\w*)){{1,4}}"
    # Any capitalised word linked by "y"/"yr" ("Trem y Mynydd", "Ael y Bryn"), or hyphenated ("heol-y-nant").
    rf"|{NAME} yr? {NAME}|(?i:[a-z]+-yr?-[a-z]+)\b))"
)
NUMBERED = re.compile(
    rf"\b(?i:number|no\.?) ?{HOUSE_NUMBER}(?:,? (?:on|in) |,? )({WELSH_STREET}(?: yr?)? {NAME}|(?:{NAME} ){{0,2}}(?:{STREET_WORD}|{NAME}))"
    rf"|\b((?:{NAME} ){{0,2}}{STREET_WORD}|{WELSH_STREET}(?: yr?)? {NAME}),? (?i:number|no\.?) ?{HOUSE_NUMBER}\b"
    # in lower case: "numbr 47 on beech av", "no 8 on rhodfa'r môr"
    rf"|\b(?:number|numbr|no\.?) ?{HOUSE_NUMBER},? (?:on |in )?((?:[a-z][\w'’-]+ ){{1,2}}(?:{'|'.join(sorted({'road', 'rd', 'street', 'st', 'avenue', 'ave', 'av', 'lane', 'close', 'drive', 'crescent', 'terrace', 'gardens', 'grove', 'way', 'walk', 'row', 'place'}))})\b"
    rf"|{WELSH_STREET}['’]r [\w’-]+)"
)
# The number after the street, as in Europe: "Stryd y Castell 3, Caernarfon", "Lon Celyn 22", "Church Street 12,";
# then a comma, the end or a place's name, not a count ("Heol Fawr 3 times", "Maes Glas 2-1").
# The number is found first (a scan that opens with a digit is fast), then the street before it.
NUMBER_AFTER = re.compile(r"\d(?<=[\w'’.] \d)\d{0,3}[A-Za-z]?(?=[,;:)\n]|\.(?!\d)|$| [A-Z])")
LOWER_STREET_WORDS = frozenset("road rd street st avenue ave lane close drive crescent terrace gardens grove way walk row place".split())
OWN_NUMBER_AFTER = re.compile(r" \d{1,4}(?=[,;.]|$| and\b)")  # "Heol Fawr 14, Stryd y Bont 9;": counts by street
COUNT_BEFORE = re.compile(r"\d[,;:] ?$")  # "Church Street 12, High Street 30": counts by street, not addresses
SCORE_AFTER = re.compile(rf",? (?:(?:{NAME}|yr?) ){{1,4}}\d")  # "Maes Glas 3, Penrhyn Bay 1": a result, not an address
STREET_BEFORE = re.compile(
    rf"\b(?:(?i:heol|ffordd|stryd|l[oô]n|rhodfa|teras|cilgant|clos|cwrt|llys|maes|cae|rhes|stad)(?:['’]r)?"
    rf"(?: (?:yr?|[A-Z][\w'’-]*)){{0,2}} [A-Z][\w'’-]*"
    rf"|(?:{NAME} ){{1,2}}(?i:road|rd|street|st|avenue|ave|lane|close|drive|crescent|terrace|gardens|grove|way|walk|row|place)\.?)"
    r" $")
NUMBER_WORD = re.compile(r"(?i:\bnumbe?r|\bno\.?) ?\d")
# A lower-case street ends the sentence, a clause or an address: not "high street shops".
LOW_STREET_END = (r"(?=\s*(?:[,.;:)!?\n–-]|$)|\s(?:until|and|in|near|where|which|is|was|has|had|for|from|to|at|by|but|so|when|"
                  r"since|opposite|behind|off)\b)")
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
# A Welsh street's words after the street word are capitalised or "y"/"yr": "Heol Fawr is ..." stops there.
STREET_AFTER = re.compile(
    rf",? (?:{HOUSE_NUMBER} )?((?:{NAME} ){{1,3}}{STREET_WORD}|{WELSH_STREET}(?: (?:yr?\b|[A-Z]\w*)){{1,4}}"
    rf"|(?<=, )[a-z]+ (?:road|rd|street|st|lane|avenue|ave|terrace|close|way|drive|crescent|grove)\b{LOW_STREET_END})")
HOUSE_THEN_STREET = re.compile(rf"{HOUSE}(?={STREET_AFTER.pattern})")
DIGIT = re.compile(r"\d")
# Northern streets named "-gate" (Norse for street) stand alone: "88 kirkgate", "4 Westgate"; not "3 delegates".
GATE_STREET = re.compile(r"(?<![\w,.£$])\d{1,4}[A-Za-z]?,? ([A-Za-z]{2,}(?:gate|GATE)|[A-Z][a-z]+way)\b")  # "221 Kingsway"
NEXT_WORD = re.compile(r" ([a-z]+)\b")
PLACE_WORDS_AFTER = frozenset("near opposite next behind by since off where which is has please thanks".split())
HOUSE_HINT = re.compile("Cottage|Farm|Barn|Lodge|Villa|Bungalow|House|Manor|Grange|Rectory|Vicarage|Tŷ|Ty |Ffordd|Heol|Stryd|"
                        "Lon |Lôn |Maes |Glan |Pen y|Tan y|Bryn ")
# A house name before a street, without a number: "Hafod, Ffordd Penrhos", "Bwthyn Bach, Pen y Bryn", "The Old
# Vicarage, Church Walk"; one of its words Welsh or a house word (`_house_then_street`).
NAMED_HOUSE = re.compile(r"\b(?:The )?[A-Z][\w'’-]+(?: (?:y|yr|[A-Z][\w'’-]+)){0,2}(?=,? )")
HOUSE_WORDS = frozenset("cottage farm barn lodge villa bungalow house manor grange rectory vicarage".split())
NOT_STREET_WORDS = frozenset("min mins minute minutes hour hours mile miles year years day days week weeks percent per cent pence "
                             "pounds people times".split())


# Welsh, Cornish and Gaelic articles inside a street's name: "Heol y Parc", "Gwel an Mor", "Sràid a' Chladaich".
ARTICLES = ("y", "yr", "an", "na", "nan")


def _welsh_street_end(text: str, m: re.Match[str]) -> int | None:
    """Where a Welsh street ends: after its capitalised or Welsh words and "y"/"yr", and an English
    street word ("Glan yr Afon Terrace"); None when no word of a name follows the street word."""
    words = list(re.finditer(r"\S+", m.group("welsh")))
    if len(words) == 1:
        return m.end() if re.search(r"-yr?-", words[0].group(), re.I) else None  # "heol-y-nant"
    end = None
    for w in words[1:]:
        word = w.group()
        if word[0].isdigit():
            break  # "Stryd y Bont 9": the street's own number or a count follows it
        folded = fold(word.strip("'’"))
        if word[0].isupper() or folded in welsh_words() or re.fullmatch(STREET_WORD, word) or (
                folded not in english_words() and folded not in _stop_words()):
            end = m.start("welsh") + w.end()
        elif folded not in ARTICLES and word not in ("a'", "a’"):
            break
    while end and text[:end].endswith(tuple(f" {a}" for a in ARTICLES)):
        end = text.rfind(" ", 0, end)
    return end if end and end > m.start("welsh") + len(words[0].group()) else None


def _street_spans(text: str) -> Iterator[tuple[int, int]]:
    stop = _stop_words()
    for m in STREET.finditer(text):
        if _counted(text, m.start(), m.end()):
            continue
        if m.group("welsh"):
            if (end := _welsh_street_end(text, m)) and not OWN_NUMBER_AFTER.match(text, end):
                yield m.start(), end
            continue
        if street := m.group("street"):
            words = street.split()
            if any(w.casefold() in stop or w.casefold() in NOT_STREET_WORDS for w in words[:-1]):
                continue
            if words[-1].lower() == "cottages" and not PLACE_NEXT.match(text, m.end()):
                continue  # "2 Orchard Cottages, Little Snoring", not "we let 3 Holiday Cottages to visitors"
            # "20 high street shops": a lower-case street followed by a noun is a description.
            if street.islower() and (after := NEXT_WORD.match(text, m.end())) and after.group(1) not in stop \
                    and after.group(1) not in PLACE_WORDS_AFTER:
                continue
        compass = COMPASS_AFTER.match(text, m.end())  # "4 Back Lane West"
        yield m.start(), compass.end() if compass and m.group("street") else m.end()
    if NUMBER_WORD.search(text):
        yield from (m.span() for m in NUMBERED.finditer(text))
    for m in NUMBER_AFTER.finditer(text):
        number = m.group()
        if len(number) == 4 and number[:2] in ("18", "19", "20") or SCORE_AFTER.match(text, m.end()):
            continue
        word_before = text[max(0, m.start() - 16) : m.start() - 1].rpartition(" ")[2]
        if not word_before[:1].isupper() and word_before.lower().rstrip(".") not in LOWER_STREET_WORDS:
            continue  # a street's last word is a capitalised name or a street word: not "aged 3", "for 2"
        if (street := STREET_BEFORE.search(text, max(0, m.start() - 50), m.start())) \
                and not COUNT_BEFORE.search(text, max(0, street.start() - 4), street.start()):
            yield street.start(), m.end()
    if "gate" in text or "GATE" in text or "way" in text:
        yield from (m.span() for m in GATE_STREET.finditer(text)
                    if m.group(1).lower() not in english_words() and not _counted(text, m.start(), m.end()))


PLACE_NEXT = re.compile(r",?\s*(?:[A-Z]|$)")


def _counted(text: str, start: int, end: int) -> bool:
    """A number that counts or labels, not a house's: "In 2019 Victoria Road ...", "Page 4 The Guardian",
    "We have 3 Church Street shops"."""
    number = re.match(r"\d+", text[start:end]).group()
    if len(number) == 4 and number[:2] in ("18", "19", "20"):
        return True
    if LABEL_BEFORE.search(text, max(0, start - 12), start):
        return True
    return bool((after := NEXT_WORD.match(text, end)) and after.group(1) in COUNTED_NOUNS)


# "Page 4 The Guardian", "Route 7 The Crescent", "Lot 2 Community Transport": a label's number.
LABEL_BEFORE = re.compile(r"\b(?i:page|chapter|route|lot|year|figure|table|section|part|phase|step|question|q|option|"
                          r"priority|stage|level|zone|bus|service|class|group|team|appendix|annex|box|item|point|line|pitch|"
                          r"platform|ward|bay|stand|screen|gate|hole|lap|week|day)\.? $"
                          # "Church Street 12, Market Street 9": counts after streets, not a house's number
                          rf"|\b{STREET_WORD} $")
COUNTED_NOUNS = frozenset("shops businesses residents traders houses homes properties households families stores owners "
                          "users members volunteers units flats cafes pubs premises tenants buildings sites".split())
COMPASS_AFTER = re.compile(r" (?:North|South|East|West|Upper|Lower)\b")


STREET_HINT = re.compile(r", (?:[A-Z][\w'’-]+ ){1,3}(?:Lane|Road|Street|Avenue|Close|Drive|Way|Crescent|Terrace|Grove|Gardens|Place|"
                         r"Row|Walk|Hill|Green|Rise|View|Mews)\b")


INWARD_HINT = re.compile(r"\d[A-Za-z]{2}\b")  # a postcode's inward code, for `_cued_houses`


def may_hold_address(text: str) -> bool:
    """False when `addresses` could find nothing: no digit and no house name."""
    return bool(DIGIT.search(text) or HOUSE_HINT.search(text) or ", " in text and STREET_HINT.search(text)
                or ", " in text and ("live" in text or "Live" in text or "byw yn" in text or "ddress" in text or "we are at" in text))


# The town, village and county after an address, up to a postcode or the end of the clause: "8 Belgrave Gate,
# Leicester LE1 3GQ", "Croft 4, Balallan, Lochs, Isle of Lewis, HS2 9PT", "Hse 4, Ystrad Mynach - nr ...". Set 7's
# writer labelled them as part of the address; hiding them is also the safer reading.
POSTCODE_AHEAD = r"\s*,?\s*\b(?i:[a-z]{1,2}\d[a-z\d]?\s*\d[a-z]{2})\b"
PLACE_ITEM = r"(?:by )?{W}(?: (?:upon|on|under|by|of|the|in|le|y|yr|yng|{W})){{0,3}}".format(W=r"[A-Z](?![\w'’-]*\d)[\w'’-]*")
CLAUSE_END = r"(?=[.,;:!?)(\n—–]|\s[-–—(]|$| [a-z])"
TOWNS_AFTER = re.compile(rf"(?:,\s*{PLACE_ITEM}){{1,4}}(?:\.(?={POSTCODE_AHEAD}))?(?:(?={POSTCODE_AHEAD})|{CLAUSE_END})"
                         # a town straight before its postcode ("9 Kings Av. Hull HU5 3RD"), in lower case too
                         rf"|,?\s{PLACE_ITEM}(?={POSTCODE_AHEAD})|,\s*[a-z][a-z'-]+(?: [a-z]+)?(?={POSTCODE_AHEAD})")


NUMBER_BEFORE = re.compile(r"(?<![\w,.£$/:-])(\d{1,4})[A-Za-z]? $")
# A house or croft by its number in a village: "Hse 4, Ystrad Mynach", "Croft 12, Achmore, Lochs" (the towns join after).
NUMBERED_HOUSE = re.compile(r"\b(?:Hse|HSE|Croft|CROFT) \d{1,4}[A-Za-z]?(?=,\s*[A-Z])")
# A house's name with no number, at the start of a line or after "at/in/to" or a colon, before a street and a
# town ("I shop in Morrisons, High Street." is no address): "Dunroamin, Sandy Lane, Bramshott.", "The Old Forge, Blackthorn Lane, Upper Slaughter".
CUED_HOUSE = re.compile(r"(?:^|\n|:\s*|\b(?:at|in|to) )((?:The )?[A-Z][\w'’-]+(?: [A-Z][\w'’-]+){0,2})(?=, )", re.M)
# ... or before its village and postcode: "The Schoolhouse, Kinlochbervie, by Lairg, Sutherland IV27 4RP".
HOUSE_BEFORE_VILLAGES = re.compile(rf"(?:,\s*{PLACE_ITEM}){{1,4}}\.?(?={POSTCODE_AHEAD})")


def _cued_houses(text: str) -> Iterator[Span]:
    for m in CUED_HOUSE.finditer(text):
        if not _house_name(m.group(1)) or fold(m.group(1).split()[0]) in STREET_FIRST \
                or re.fullmatch(STREET_WORD, m.group(1).split()[-1]):
            continue
        if (street := STREET_AFTER.match(text, m.end(1))) and _towns_after(text, street.end()) > street.end():
            yield Span(m.start(1), street.end(), "ADDRESS")
        elif villages := HOUSE_BEFORE_VILLAGES.match(text, m.end(1)):
            yield Span(m.start(1), villages.end(), "ADDRESS")


def _towns_after(text: str, end: int) -> int:
    m = TOWNS_AFTER.match(text, end)
    if not m:
        return end
    # No item opens with a stopword ("12 High Street, I think"), and a postcode is no town.
    for item in re.split(r",\s*", m.group().lstrip(",").strip()):
        if not item or fold(item.split()[0]) in _stop_words() - {"by"}:
            return end
    return m.end()


# "Kingsway, Queen Street, Churchill Way, Wind Street": a list of streets with no number is no one's address.
STREET_LIST = re.compile(rf"(?:{NAME}(?: {NAME}){{0,2}}, ){{2,}}{NAME}(?: {NAME}){{0,2}}")


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
        span = Span(span.start, _towns_after(text, span.end), span.label)
        if text[span.start].isupper() and (number := NUMBER_BEFORE.search(text, max(0, span.start - 7), span.start)) \
                and not (len(number.group(1)) == 4 and number.group(1)[:2] in ("18", "19", "20")):
            span = Span(number.start(), span.end, span.label)  # "3 Tewkesbury House, Bellingham Estate"
        if care_of := CARE_OF.search(text, max(0, span.start - 9), span.start):
            span = Span(care_of.start(), span.end, span.label)
        yield span


def _addresses(text: str) -> Iterator[Span]:
    yield from house_names(text)
    flats = dict((street, start) for start, street in flat_lines(text)) if "\n" in text else {}
    for start, end in _street_spans(text):
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
        elif (named := NAMED_BEFORE.search(text, max(0, start - 40), start)) and _house_name(named.group(1)):
            start = named.start(1)  # "Ivy House, 17 ...", "The Old Forge, 1 ...", "Ardlui, 3 ..."
        yield Span(start, end, "ADDRESS")
    if "Hse" in text or "Croft" in text or "HSE" in text or "CROFT" in text:
        yield from (Span(*m.span(), "ADDRESS") for m in NUMBERED_HOUSE.finditer(text))
    if ", " in text and (STREET_HINT.search(text) or INWARD_HINT.search(text)):
        yield from _cued_houses(text)
    low = text.lower()
    if UNIT_HINT.search(low):
        for m in FLAT_IN_PLACE.finditer(text):
            after = STREET_AFTER.match(text, m.end())
            yield Span(m.start(), after.end() if after else m.end(), "ADDRESS")
    if HOUSE_HINT.search(text):
        for m in HOUSE_THEN_STREET.finditer(text):
            if (after := STREET_AFTER.match(text, m.end())) and fold(m.group().split()[0]) not in STREET_FIRST:
                yield Span(m.start(), after.end(), "ADDRESS")
        yield from _house_then_street(text)
        yield from (Span(*m.span(), "ADDRESS") for m in HOUSE_IN_VILLAGE.finditer(text))


UNIT_HINT = re.compile(r"flat|apartment|apt|unit|suite|plot|uned|studio|workshop|block|caravan|chalet|stall|cottage")
TENEMENT_BEFORE = re.compile(r"(?<![\w/])(?:\d{1,3}/|\d{1,3}/(?:\d{1,3}|[LRMlrm]),? )$")  # "6/2 Montgomery St", "2/L, 14 ..."
CARE_OF = re.compile(r"\b(?i:c/o|care of)\s*$")
# A house's name before its number and street: capitalised words then a comma, at the start of the
# text, a line or a clause ("Contact: Jo Bloggs, Ardlui, 3 Loch Road").
NAMED_BEFORE = re.compile(r"(?:^|[\n:;,(]\s*|\b(?i:at|to|of|c/o)\s+)((?:The |Y |Yr )?[A-Z][\w'’-]+(?: [A-Z][\w'’-]+){0,2}),\s*$")


def _house_name(words: str) -> bool:
    """A house's name, not a place, a person's title or a heading ("Address", "Leeds")."""
    folded = [fold(w) for w in words.split()]
    return not (" ".join(folded) in lexicon().places or folded[-1] in _stop_words() or folded[0] in NOT_HOUSE_WORDS)


NOT_HOUSE_WORDS = frozenset("address contact contacts tel phone email postcode respondent name from write send "
                            "dear hi hello thanks regards yes no".split())


# A street's own first word: "Lon Goed, Ffordd Pen-y-Bryn, Stryd Fawr" lists streets, no house before one.
STREET_FIRST = frozenset("heol ffordd stryd lon rhodfa teras cilgant clos".split())


def _house_then_street(text: str) -> Iterator[Span]:
    for m in NAMED_HOUSE.finditer(text):
        words = {fold(w) for w in m.group().split()}
        if fold(m.group().split()[0]) in STREET_FIRST or re.fullmatch(STREET_WORD, m.group().split()[-1]):
            continue
        if (words & HOUSE_WORDS or words & welsh_words() - {"y", "yr"}) and (after := STREET_AFTER.match(text, m.end())):
            if after.group(1).split()[0].lower() not in ("y", "yr"):
                yield Span(m.start(), after.end(), "ADDRESS")

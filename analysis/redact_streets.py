"""Streets in an address, for `analysis.redact_addresses`: a number before the street ("12 High Street",
"102 willow bank rd", "56A STATION ROAD", "17 The Crescent", "5 Heol y Nant", "88 kirkgate"), a number word
("number 23 on Elm Grove", "Heol Las, number 15") or a number after it ("Stryd y Castell 3"); the street after a
house or flat; and the towns after an address.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from analysis.redact_lexicon import english_words, fold, welsh_words
from analysis.redact_names import _stop_words

# The plainer street words, also read by `analysis.redact_flats_and_houses`.
STREET_TYPES = (
    "Road|Rd|Street|St|Avenue|Ave|Lane|Ln|Close|Drive|Way|Crescent|Court|Place|Terrace|"
    "Gardens|Grove|Hill|Row|Square|Walk|Mews|View|Park|Parade|Rise|Green|Estate"
)
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
# A Welsh street's words after the street word are capitalised or "y"/"yr": "Heol Fawr is ..." stops there.
STREET_AFTER = re.compile(
    rf",? (?:{HOUSE_NUMBER} )?((?:{NAME} ){{1,3}}{STREET_WORD}|{WELSH_STREET}(?: (?:yr?\b|[A-Z]\w*)){{1,4}}"
    rf"|(?<=, )[a-z]+ (?:road|rd|street|st|lane|avenue|ave|terrace|close|way|drive|crescent|grove)\b{LOW_STREET_END})")
# Northern streets named "-gate" (Norse for street) stand alone: "88 kirkgate", "4 Westgate"; not "3 delegates".
GATE_STREET = re.compile(r"(?<![\w,.£$])\d{1,4}[A-Za-z]?,? ([A-Za-z]{2,}(?:gate|GATE)|[A-Z][a-z]+way)\b")  # "221 Kingsway"
NEXT_WORD = re.compile(r" ([a-z]+)\b")
PLACE_WORDS_AFTER = frozenset("near opposite next behind by since off where which is has please thanks".split())
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


def street_spans(text: str) -> Iterator[tuple[int, int]]:
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


# The town, village and county after an address, up to a postcode or the end of the clause: "8 Belgrave Gate,
# Leicester LE1 3GQ", "Croft 4, Balallan, Lochs, Isle of Lewis, HS2 9PT", "Hse 4, Ystrad Mynach - nr ...". Set 7's
# writer labelled them as part of the address; hiding them is also the safer reading.
POSTCODE_AHEAD = r"\s*,?\s*\b(?i:[a-z]{1,2}\d[a-z\d]?\s*\d[a-z]{2})\b"
PLACE_ITEM = r"(?:by )?{W}(?: (?:upon|on|under|by|of|the|in|le|y|yr|yng|{W})){{0,3}}".format(W=r"[A-Z](?![\w'’-]*\d)[\w'’-]*")
CLAUSE_END = r"(?=[.,;:!?)(\n—–]|\s[-–—(]|$| [a-z])"
TOWNS_AFTER = re.compile(rf"(?:,\s*{PLACE_ITEM}){{1,4}}(?:\.(?={POSTCODE_AHEAD}))?(?:(?={POSTCODE_AHEAD})|{CLAUSE_END})"
                         # a town straight before its postcode ("9 Kings Av. Hull HU5 3RD"), in lower case too
                         rf"|,?\s{PLACE_ITEM}(?={POSTCODE_AHEAD})|,\s*[a-z][a-z'-]+(?: [a-z]+)?(?={POSTCODE_AHEAD})")


def towns_after(text: str, end: int) -> int:
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

"""Personal data found by its shape in `analysis.redact`: postcodes (odd spacing, lower case,
letter O for zero), National Insurance numbers (any prefix, with or without the final letter),
dates of birth in running text, e-mail addresses spelled out ("jo at example dot org") and
handles.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from analysis.records import Span
from analysis.redact_lexicon import PLACE_WORDS, TITLES

# Outward code with a real digit ("M1", "CF10", "CF1O", "SW1A"), inward code digit or letter O.
POSTCODE = re.compile(
    r"(?<![\w£$])(?:(?i:[a-z]{1,2})\d[a-zA-Z0-9]?|GIR)(?:[ \t]{0,3}|-)[0-9Oo][ \t]?(?i:[abd-hjlnp-uw-z]{2})(?![\w])"
)
ORDINAL = re.compile(r"1ST|2ND|3RD|[04-9]TH")
# Lower-case "m6 one way", "b1 old..." are words, not inward codes with a letter O.
INWARD_WORDS = frozenset("one own old odd off oil ohs oh".split())
# In capitals, a letter I or O typed for a digit ("BD7 IDP", "SAI 4HR", "CFO 1AB") or O for a letter's 0 in
# the inward code ("SA5 9OP": inward letters are never O, so the writer meant something), with a real digit.
POSTCODE_I = re.compile(r"(?<![\w£$])(?=[A-Z]{1,2}[0-9IO][A-Z0-9]?[ \t]{1,3}[0-9OI][A-Z]{2}\b)(?=[^ \t]*\d|[^ \t]*[ \t]+\d)"
                        r"[A-Z]{1,2}[0-9IO][A-Z0-9]?[ \t]{1,3}[0-9OI][ABD-HJLNOP-UW-Z]{2}(?!\w)")
NI_SHAPE = r"(?<![\w])[A-Za-z]{2}[ .-]?\d(?:[ .-]?\d){5}(?![\w])"  # "QQ 12 34 56", "QQ 123 456", "JK.12.34.56"
# The final letter is A-D; temporary numbers ("TN" and the date of birth) end in M or F.
NI_WITH_LETTER = re.compile(r"(?<![\w])[A-Za-z]{2}[ .-]?\d(?:[ .-]?\d){5}[ .-]?[A-DFMa-dfm](?![\w])")
NI_NO_LETTER = re.compile(NI_SHAPE)
# An NI number without its final letter, or any two-letter prefix with six digits, needs the words.
NI_CUE = re.compile(r"(?i:\bn\.?\s?i\.?\b|national\s+insurance|\bnino\b|insurance\s+n(?:o|umber))")

# English months, and Welsh ones (a Welsh answer: "ganwyd ar 5 Mai 1950").
MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
         r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
         r"|ionawr|chwefror|mawrth|ebrill|mai|mehefin|gorffennaf|awst|medi|hydref|tachwedd|rhagfyr)\.?")
# A day in words: "the first of May 1946", "twenty-third of June".
UNITS = "first|second|third|fourth|fifth|sixth|seventh|eighth|ninth"
DAY_WORD = (rf"(?:{UNITS}|tenth|eleventh|twelfth|(?:thir|four|fif|six|seven|eigh|nine)teenth|twentieth|thirtieth"
            rf"|(?:twenty|thirty)[\s-]?(?:{UNITS}))")
NUMBER_DAY = r"(?:[0-2]?\d|3[01])(?:st|nd|rd|th)?"
DAY = rf"(?:{NUMBER_DAY}|{DAY_WORD})"
# A year in words: "nineteen forty-six", "two thousand and nine".
ONES = "one|two|three|four|five|six|seven|eight|nine"
YEAR_WORDS = (rf"(?:nineteen[\s-]+(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-]?(?:{ONES}))?"
              rf"|ten|eleven|twelve|(?:thir|four|fif|six|seven|eigh|nine)teen|o[\s-](?:{ONES}))"
              rf"|two[\s-]+thousand(?:[\s-]+(?:and[\s-]+)?(?:{ONES}|ten|eleven|twelve|(?:thir|four|fif|six|seven|eigh|nine)teen))?)")
YEAR = rf"(?:\d{{4}}|{YEAR_WORDS}\b)"
DATE = (rf"(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-](?:\d{{4}}|\d{{2}})"  # 14/07/1961, 7.2.84
        rf"|\d{{4}}[/.-]\d{{1,2}}[/.-]\d{{1,2}}"  # 1988-04-19, 1975/11/22
        rf"|(?:0?[1-9]|1[0-2])[/.-](?:19|20)\d{{2}}|(?:19|20)\d{{2}}-(?:0[1-9]|1[0-2])"  # 08/2009, 1982-03
        rf"|{DAY}(?:\s+(?:of|de))?[\s-]+{MONTH}[\s,-]+(?:(?:de|of)\s+)?(?:{YEAR}|['’]?\d{{2}})\b"  # 22-Nov-1975, 22nd Nov '75
        rf"|(?:the\s+)?{DAY}(?:\s+of)?\s+{MONTH},?\s+{YEAR}"  # 3rd of March 2009
        rf"|{MONTH}\s+(?:the\s+)?{DAY},?\s+(?:{YEAR}|['’]\d{{2}}\b)"  # April 1st, 1979; November the 22nd, 1975
        rf"|{MONTH},?\s+(?:{YEAR}|['’]\d{{2}}\b)"  # June 1953, March '82
        rf"|(?:19|20)\d{{2}},?\s+{DAY}\s+{MONTH}\b"  # (b. 1950, 9 May)
        rf"|(?:christmas|boxing|new\s+year['’]?s|st\s+david['’]?s|valentine['’]?s)\s+day,?\s+\d{{4}}"
        rf"|{NUMBER_DAY}\s+(?:de\s+)?[^\W\d_]{{3,12}}\.?,?\s+(?:de\s+)?\d{{4}}"  # another language: 5 de Maio 1950, 5 maja 1950
        # No year, after the words only: "birthday is the 3rd of March", "DOB: March 3rd".
        rf"|(?:the\s+)?{DAY}(?:\s+of)?[\s-]+{MONTH}(?![\w-])|{MONTH}\s+(?:the\s+)?{DAY}\b)")
# "born in Lagos on the 3rd of April, 1985": a place of birth between the word and the date.
BIRTH_PLACE = r"(?:in\s+(?-i:[A-Z][\w'’-]+)(?:,?[\s-]+(?:(?-i:of|upon|de|la)\s+)?(?-i:[A-Z][\w'’-]+)){0,3},?\s+(?:on\s+)?)?"  # "in Kingston, Jamaica on"
BIRTH = re.compile(
    rf"(?i:(?:\b(?:d\.?\s?o\.?\s?b|date\s+of\s+birth|born|birthday|b['’-]?day|birth\s*date|ganwyd|dyddiad\s+geni|pen-?blwydd)\b"
    rf"|(?<=\()b\b|(?:^|(?<=[\n(,\s]))b\.(?=\s*\d))\.?"
    rf"(?:\s*[:\-–]\s*|\s+){BIRTH_PLACE}(?:(?:on|in|is|was|the|ar|yw|:)\s+){{0,3}}({DATE}))(?![\w/.-]\d)"
)
# A full date further on after the noun ("Her date of birth on the plan was wrong (it said 1938) - it is 19 April
# 1983", "asked for my DOB so here: 1975-08-30"): the first within 100 characters, in the same sentence.
BIRTH_NOUN = re.compile(r"(?i:\b(?:d\.?\s?o\.?\s?b|date\s+of\s+birth|birth\s*date)\b\.?)")
FULL_DATE = re.compile(
    rf"(?i:(?<![\w/.-])(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-](?:\d{{4}}|\d{{2}})|\d{{4}}[/.-]\d{{1,2}}[/.-]\d{{1,2}}"
    rf"|(?:the\s+)?{DAY}(?:\s+of)?[\s-]+{MONTH}[\s,-]+(?:{YEAR}|['’]\d{{2}}\b)|{MONTH}\s+(?:the\s+)?{DAY},?\s+{YEAR})"
    rf"(?![\w/.-]\d))")
CORRECTED_DATE = re.compile(rf"\b(?i:should be|should say|is actually|it's actually|correct one is|not|or|really)\s+({FULL_DATE.pattern})")
EVENT_BEFORE = re.compile(r"\b(?i:on|from|since|until|till|by|before|after|dated|in)\s+$")  # "... arrived on 4 June 1999"
SENTENCE_END = re.compile(r"[.?!]\s+[A-Z]|\n")
# The same date again in brackets, in other words: "born on 5 de Maio 1950 (5 May 1950)".
DATE_AGAIN = re.compile(rf"\s*\((?i:{DATE})\)")

TLD = (r"(?:com|org|net|uk|co|gov|ac|edu|info|me|io|pl|ie|de|fr|biz|eu|nhs|cymru|wales|scot|london|online|ro|lt|nl|es|it|pt"
       r"|ng|gh|za|pk|au|ca|nz|app|dev|tv)")
AT = r"(?:\s*@\s*|\s*[\[({<]\s*(?i:at)\s*[\]})>]\s*|\s+AT\s+|\s+at\s+|\s*-(?i:at)-\s*)"
DOT = r"(?:\.|\s*[\[({<]\s*(?i:dot|\.)\s*[\]})>]\s*|\s+(?i:dot)\s+| \. |\s*-(?i:dot)-\s*)"
LOCAL = rf"[\w+'-]+(?:(?:{DOT}|\s+(?i:underscore|dash|hyphen)\s+)[\w+'-]+)*"  # "gethin underscore evans at ..."
# "co uk" with the last dot left out: "jo_b at hotmail dot co uk".
SPELLED_EMAIL = re.compile(rf"(?<![\w.@])({LOCAL}){AT}([\w-]+(?:{DOT}[\w-]+)*{DOT}(?i:{TLD}(?: uk\b)?))(?![\w.@]*\w)")
# One character at a time: "m a r k . t h o r p e @ g m a i l . c o m".
SPACED_EMAIL = re.compile(r"(?<![\w@.])(?:[\w+-] (?:\. )?){3,}@(?: [\w-](?: \.)?){3,}(?![\w@.])")
# "jo.bloggs at gmail", "mo_abdi AT hotmail": a mail provider with no ending, after a dotted or numbered name.
PROVIDER_EMAIL = re.compile(rf"(?<![\w.@])([\w+'-]+(?:\.[\w+'-]+)*){AT}(?i:(gmail|googlemail|hotmail|outlook|yahoo|btinternet"
                            r"|icloud|aol|protonmail|live|ntlworld))\b(?!\s*(?:\.|\(|\[|(?i:dot)\b)\s*\w)")
PROVIDERS = frozenset("gmail googlemail hotmail outlook live yahoo btinternet icloud aol sky talktalk virginmedia ntlworld "
                      "protonmail mail msn btopenworld tiscali blueyonder wp onet interia o2".split())
# "@ama.owusu.cooks": Instagram handles hold dots; an e-mail address has a name before its "@".
# "@jo_b", a Bluesky "@priya-m.bsky.social", a Mastodon "@huw@mastodon.cymru" (the server is part of it).
HANDLE = re.compile(r"(?<![\w@.])@[A-Za-z0-9_]{2,30}(?:[.-][A-Za-z0-9_]+)*\b(?:@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+\b|(?!@\w))")
# A handle without an @ after a platform's word: "discord deano#4471", "snap is jordz_99", "Instagram handle ali.k.cuts",
# "u/GlasgowCarer88" (Reddit); the handle holds a digit, "_", "." or "#" ("snap is fun", "on Instagram today" are no handles).
PLATFORM = r"(?i:instagram|insta|ig|discord|reddit|tiktok|tik tok|snapchat|snap|twitter|threads|twitch|telegram|kik|steam|youtube)"
PLATFORM_HANDLE = re.compile(
    rf"\b{PLATFORM}(?:\s+(?:(?i:handle|name|username|user|id|account|tag|is|me|on|at|as)\b|[:=-]))*\s*:?\s+"
    r"([A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*(?:#\d{4})?)(?![\w@/])"
    r"|(?<![\w/])u/[A-Za-z0-9_-]{3,20}\b")
# A handle's own shape: a "_", "." or "#", or a digit after letters ("deano#4471", "jordz99"; not "7pm", "3.5k", "v2", "today").
HANDLE_SHAPE = re.compile(r"(?=.*[A-Za-z])(?:[A-Za-z_].*[_.#].*|[A-Za-z]{2,}\w*\d\w*)")
from analysis.redact_accounts import org_account, role_mailbox  # noqa: E402  (beside the handle patterns it serves)


def may_name_platform(low: str) -> bool:
    """A platform's word in the lower-cased text, for `handles` without an @: substring tests, twice as fast
    as one regex of them (the rarer platforms, "ig", "kik", "steam", "threads", are left to a handle's @)."""
    return ("insta" in low or "discord" in low or "reddit" in low or "tok" in low or "snap" in low or "u/" in low
            or "twit" in low or "youtube" in low or "telegram" in low)


# The outward code alone right after the word: "my postcode is BS3", "post code: cf10" (not "the CF10 area").
PARTIAL_POSTCODE = re.compile(r"\b(?i:post\s?code)(?:\s*(?:is|was|[:=-]))?\s+((?i:[a-z]{1,2}\d[a-z0-9]?))(?![\w-]|\s*[0-9Oo][ \t]?[A-Za-z]{2}\b)")


def postcodes(text: str) -> Iterator[Span]:
    if "ost" in text or "OST" in text:
        yield from (Span(*m.span(1), "POSTCODE") for m in PARTIAL_POSTCODE.finditer(text))
    if "I" in text or "O" in text:
        for m in POSTCODE_I.finditer(text):
            outward, inward = m.group()[:-3].rstrip(), m.group()[-3:]
            if not ("I" in m.group() or "O" in m.group()) or inward.lower() in INWARD_WORDS:
                continue
            if not any(c.isdigit() for c in outward) and (ORDINAL.fullmatch(inward) or "O" in inward[1:]):
                continue  # "GO 1ST", "TO 2ND", "TO 1OO": a word, then an ordinal or a number in capitals
            yield Span(*m.span(), "POSTCODE")
    for m in POSTCODE.finditer(text):
        inward = re.sub(r"\s", "", m.group())[-3:]
        if re.match(r"[A-Z]+\d", m.group()) and inward[1:].islower() and not re.match(r"\s*(?:[.,;)!?\n]|$)", text[m.end() :]):
            continue  # "The A470 at Merthyr": a road, then a word
        if inward[0] in "Oo" and (inward.lower() in INWARD_WORDS or inward.islower() != m.group()[0].islower()):
            continue
        yield Span(*m.span(), "POSTCODE")


# After the words, a mistyped final letter too ("NI: AB 12 34 56 X").
NI_ANY_LETTER = re.compile(r"(?<![\w])[A-Za-z]{2}[ .-]?\d(?:[ .-]?\d){5}[ .-]?[A-Za-z](?![\w])")


def ni_numbers(text: str) -> Iterator[Span]:
    for m in NI_WITH_LETTER.finditer(text):
        yield Span(*m.span(), "NI_NUMBER")
    for m in NI_NO_LETTER.finditer(text):
        if NI_CUE.search(text, max(0, m.start() - 40), m.start()):
            any_letter = NI_ANY_LETTER.match(text, m.start())
            yield Span(*(any_letter or m).span(), "NI_NUMBER")


# "The NHS was born on 5 July 1948", "our club was born in May 1972": a thing's birth, not a person's.
BORN_THING = re.compile(r"\b(?i:the|our|this|that|its|their|a|an)\s+(?:[\w'-]+\s+){0,2}?([\w-]+?)"
                        r"(?:['’]s\s+|\s+(?i:was|were|is|got)\s+)$")
# "The NHS birthday is ...", "our 10th birthday on ...": a thing's birthday with no "'s".
BIRTHDAY_OF = re.compile(r"\b(?i:the|our|this|that|its|their|a|an)\s+(?:[\w'-]+\s+){0,2}?([\w-]+?)\s+$")
PERSONS = frozenset(
    "son daughter husband wife partner mum mother mam mom dad father brother sister grandson granddaughter grandma "
    "grandad grandmother grandfather nan gran aunt uncle nephew niece cousin neighbour friend child children baby boy "
    "girl twins kids lady man woman gentleman member members client tenant resident".split())


# "The NHS, born on ...", "Born on 5 July 1948, the NHS ...": an organisation or an idea beside the birth.
THING_BESIDE = re.compile(r"\b(?i:the|our|this|its|their)\s+(?:[\w'-]+\s+){0,2}?([\w-]+)\s*[,(]\s*$")
THING_AFTER = re.compile(r",?\s+(?i:the|our|this|its)\s+(?:[\w'-]+\s+){0,2}?([\w-]+)\b")
THINGS = frozenset("nhs state service services charity club group centre center scheme project campaign movement idea "
                   "hospital council school library church chapel organisation trust foundation society union party "
                   "company business network forum association partnership institute festival tradition".split())


def births(text: str) -> Iterator[Span]:
    yield from later_births(text)
    for m in BIRTH.finditer(text):
        thing = BORN_THING.search(text, max(0, m.start() - 50), m.start())
        if not thing and m.group().lower().startswith(("birthday", "bday", "b'day", "b’day", "b-day")):
            thing = BIRTHDAY_OF.search(text, max(0, m.start() - 50), m.start())
        named = thing and thing.group(1)[:1].isupper() and not thing.group(1).isupper() \
            and thing.group(1).lower() not in PLACE_WORDS | TITLES  # "Our girl Fern was born": a person; not "The Queen's"
        if thing and not named and thing.group(1).lower().rstrip("s") not in PERSONS and thing.group(1).lower() not in PERSONS:
            continue
        beside = THING_BESIDE.search(text, max(0, m.start() - 50), m.start())
        after = THING_AFTER.match(text, m.end()) if not text[: m.start()].strip() else None
        if any(t and t.group(1).lower() in THINGS for t in (beside, after)):
            continue
        # "born the twenty-third of September, ...": "the" belongs to a day in words
        words = text[m.start(1)].isalpha() and text[max(0, m.start(1) - 4) : m.start(1)].lower() == "the "
        yield Span(m.start(1) - 4 if words else m.start(1), m.end(1), "DATE_OF_BIRTH")
        if again := DATE_AGAIN.match(text, m.end()):
            yield Span(again.start() + again.group().index("(") + 1, again.end() - 1, "DATE_OF_BIRTH")


def later_births(text: str) -> Iterator[Span]:
    for cue in BIRTH_NOUN.finditer(text):
        if (date := FULL_DATE.search(text, cue.end(), cue.end() + 100)) \
                and not SENTENCE_END.search(text, cue.end(), date.start()) \
                and not EVENT_BEFORE.search(text, max(cue.end(), date.start() - 12), date.start()):
            yield Span(*date.span(), "DATE_OF_BIRTH")
            # "... as 3-5-1928 which is wrong, it should be 5-3-1928": the date put right, further on
            if (fixed := CORRECTED_DATE.search(text, date.end(), date.end() + 80)) \
                    and not SENTENCE_END.search(text, date.end(), fixed.start()):
                yield Span(*fixed.span(1), "DATE_OF_BIRTH")


def spelled_emails(text: str) -> Iterator[Span]:
    """"jo at example dot org", "sam_b [at] example [dot] com", "mike.ashworth(at)example.com"."""
    for m in SPELLED_EMAIL.finditer(text):
        local, domain = m.group(1), m.group(2)
        separator = text[m.end(1) : m.start(2)]
        plain_at = separator.strip() == "at"
        # A plain " at " is an e-mail only with a dotted or numbered local part, a spelled-out
        # dot or a mail provider: not "meet at bbc.co.uk", "look at gov.uk".
        provider = re.split(DOT, domain)[0].lower() in PROVIDERS
        if plain_at and not (re.search(r"[._+\d]", local) or re.search(r"\s(?i:dot)\s", m.group()) or provider):
            continue
        if separator == "@" and role_mailbox(m.group()):
            continue
        yield Span(*m.span(), "EMAIL")
    for m in PROVIDER_EMAIL.finditer(text):
        if re.search(r"[._+\d]", m.group(1)) or "@" in m.group():
            yield Span(*m.span(), "EMAIL")
    if " @ " in text:
        yield from (Span(*m.span(), "EMAIL") for m in SPACED_EMAIL.finditer(text))


def handles(text: str) -> Iterator[Span]:
    if "@" in text:
        yield from (Span(*m.span(), "HANDLE") for m in HANDLE.finditer(text)
                    if "@" in m.group()[1:] or not org_account(m.group(), text[max(0, m.start() - 70) : m.start()], text[m.end() : m.end() + 40]))
    for m in PLATFORM_HANDLE.finditer(text):
        if not m.group(1):
            yield Span(*m.span(), "HANDLE")
        elif HANDLE_SHAPE.fullmatch(m.group(1)):
            yield Span(*m.span(1), "HANDLE")

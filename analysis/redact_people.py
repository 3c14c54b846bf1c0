"""People's names found as a named-entity recogniser would, from word lists and context:
runs of name-like words ("chains") are people when a given name or surname of the lists is
in them, when they stand in a list beside a person, or after a cue (`analysis.redact_names`);
organisations and places named after people, idioms and office holders are kept.

A chain is capitalised words joined by single spaces ("Siân Rowlands", "Gethin ap Rhys",
"Peter J. Halloran"); in lower-case or capitals-only text, words of the name lists.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from analysis.records import Span
from analysis.redact_context import listed_beside
from analysis.redact_public import WORKS_AFTER
from analysis.redact_public import office_holder as _office_holder
from analysis.redact_lexicon import (HEADS, PLACE_WORDS, SURNAME_HEADS, TITLES, WELSH_HEADS, english_words, fold,
                                     fold_text, gate_words,
                                     kind_of, lexicon, misspelt_word, name_stop_words, plain_lower_words)
from analysis.text import stopwords

LETTERS = r"[^\W\d_]"
# One word: letters with inner apostrophes or hyphens ("O'Rourke", "Adeyemi-Cole"), or an initial "J.".
TOKEN = re.compile(
    rf"(?<![\w.])[A-Z]\.|(?<!\w){LETTERS}+(?:['’]{LETTERS}+)*(?:-{LETTERS}+(?:['’]{LETTERS}+)*)*(?!\w)"
)
LOCATIVE_BEFORE = re.compile(r"\b(?i:in|on|near|around|outside|across|via|towards|throughout|within|along|off|past|opposite|"
                             r"(?:top|bottom|end|corner|foot|side) of)\s+$")
WELSH_IN_BEFORE = re.compile(r"(?<!\w)(?:ym|yng|yn|ger|i|o)\s+$")  # "ym Mhen Llŷn": in Welsh, a (mutated) place
PLACE_BEFORE = re.compile(r"(?:\b(?:st|saint|queen|king|prince|princess|royal|duke of|isle of|city of|vale of|port of|"
                          r"ysbyty|ysgol|canolfan|capel|eglwys|menter|cylch|neuadd|meddygfa|urdd|coleg|prifysgol|theatr|"
                          r"clwb|mudiad|cymdeithas|plas|castell|tafarn|gorsaf|t[yŷ]|"
                          r"borough of|county of|university of|bishop of|mayor of)\.?\s+)$")
NOT_PERSON_SUFFIX = re.compile(r"-(?:funded|backed|led|run|style|esque|type|era|based|supported|owned)$", re.I)
SENTENCE_START = re.compile(r"(?:^|[.!?:;\n]\s*|^\s*[-–•*]\s*|[\"“(]\s*)$")
# "the Smokey Bones entrance", "The Lady Margaret Hall": a determiner (and a title) before the name.
DETERMINER_BEFORE = re.compile(r"\b(?i:a|an|the|this|that|these|those|every|each|any)\s+(?:(?i:lady|lord|sir|dame)\s+)?$")
UNLISTED_NAME_KINDS = frozenset("GgSsNnP")
TITLE_RIGHT_BEFORE = re.compile(r"\b(?i:mr|mrs|ms|miss|dr|cllr|sir|dame)\.?\s+$")
FROM_GROUP = re.compile(r",? from (?:the|our) ")
OWNED = re.compile(r" (?:own )?([a-z][\w-]*)")  # "Wyn's own phone"
BUSINESSES = frozenset("barbers barber barbershop butchers butcher bakery bakers cafe caff café chippy chip garage salon "
                       "shop shops stores store takeaway diner deli newsagents newsagent florist florists pharmacy chemist "
                       "emporium tearoom tearooms pub bar restaurant kitchen hairdressers grocers".split())
OWNED_HOME = re.compile(r" (?:own )?(?:house|kitchen|place|shop|cafe|café)\b")
TIMES = frozenset("monday tuesday wednesday thursday friday saturday sunday january february march april may june july "
                  "august september october november december christmas easter birthday".split())
INITIAL = re.compile(r"[A-Z]\.")
# Words that open a sentence though listed as names too: "Even Einstein couldn't", "Like Tesco, ...".
OPENING_WORDS = frozenset("even like unlike so yet still also maybe then sadly luckily honestly".split())


def _chains(text: str, tokens: list[re.Match[str]], caps_only: bool) -> Iterator[list[re.Match[str]]]:
    """Runs of name-like words joined by one space (hyphens and apostrophes are inside words)."""
    run: list[re.Match[str]] = []
    last_kind = ""
    plain = plain_lower_words()
    for tok in tokens:
        word = tok.group()
        if not caps_only and word in plain:  # most words: lower-case and no name (fast path)
            if run:
                yield run
            run, last_kind = [], ""
            continue
        folded = fold(word)
        kind = kind_of(word, folded)
        if word.isupper() and len(word) > 1 and word[-1] != "." and not caps_only:
            namelike = len(word) > 3 and kind in ("G", "S", "N", "g")  # not "UK", "GP", "NHS"
        elif caps_only:
            # Capitals tell nothing: listed names, and one unlisted word after a given name (the surname).
            namelike = kind != "" or (
                last_kind == "G" and folded not in name_stop_words() and folded not in HEADS and folded not in english_words())
        elif word[0].isupper():
            namelike = kind in ("g", "P") or folded not in name_stop_words() and folded not in TITLES
        else:  # lower case: listed names; after one, a surname that is also a given name ("michael obrien");
            # names of no list, which need a listed one beside them ("deeqa yusuf", `_person`)
            namelike = kind in ("G", "S", "P") or kind == "g" and last_kind == "G" and folded not in lexicon().everyday \
                or kind == "N" and not misspelt_word(folded)
        # "Christmas panto": a capitalised name goes on in lower case only with a particle.
        joined = bool(run) and text[run[-1].end() : tok.start()] == " " and (
            not run[0].group()[0].isupper() or word[0].isupper() or kind == "P" or caps_only)
        if not (namelike and (joined or not run)):
            if run:
                yield run
            run = []
        if namelike:
            run.append(tok)
        last_kind = kind if namelike else ""
    if run:
        yield run


def _person(text: str, chain: list[re.Match[str]], caps_only: bool) -> tuple[int, int] | None:
    """The span of the person's name in `chain`, or None when the chain names no person."""
    kinds = [kind_of(t.group(), fold(t.group())) for t in chain]
    # A sentence's first word is capitalised anyway: it starts a name only if it is a listed one.
    # "Ring Hodan ...": a sentence's first word that is also a word, before a given name, is that word.
    while chain and (kinds[0] == "P" or kinds[0] in ("", "s") and starts_sentence(text, chain[0].start())
                     and (kinds[0] == "" and not _surname_first(chain, kinds) or kinds[1:2] == ["G"])
                     and not INITIAL.fullmatch(chain[0].group())
                     or len(chain) > 1 and fold(chain[0].group()) in OPENING_WORDS and starts_sentence(text, chain[0].start())):
        if fold(chain[0].group()) in PLACE_WORDS:
            return None
        chain, kinds = chain[1:], kinds[1:]
    while chain and kinds[-1] == "P":
        chain, kinds = chain[:-1], kinds[:-1]
    if not chain or fold(chain[0].group()) in PLACE_WORDS:
        return None
    words = [fold(t.group()).removesuffix("'s") for t in chain]
    start, end = chain[0].start(), chain[-1].end()
    # "on Charles Street", "in Barry": after a word of place, a head or a listed place is a place.
    located = bool(LOCATIVE_BEFORE.search(text, max(0, start - 12), start))
    owner = any(t.group()[-2:] in ("'s", "’s") for t in chain[:-1])  # "Martin's Lane"
    if owner and words[-1] in TIMES:  # "Ffion's Tuesday club": the name owns the day's event
        chain, kinds, words = chain[:-1], kinds[:-1], words[:-1]
        end = chain[-1].end()
        owner = any(t.group()[-2:] in ("'s", "’s") for t in chain[:-1])
    if owner and chain[-1].group()[0].isupper() and not caps_only:
        return None  # "Millie's Cookies", "Maggie's Centre": a business named after its owner
    if located and len(words) > 1 and words[-1] in SURNAME_HEADS:
        return None  # "at the top of Wesley Hill", "on Emma Green"
    for i, word in enumerate(words):
        if word == "st" and i + 1 < len(words):
            continue  # "Hannah St John": Saint, not Street
        if word in HEADS and i > 0 and not (word in SURNAME_HEADS and "G" in kinds[:i] and i == len(words) - 1
                                            and not located and not owner):
            return None
    if len(chain) == 2 and words[0] in lexicon().places and words[0] not in lexicon().given and kinds[0] != "S" \
            and not TITLE_RIGHT_BEFORE.search(text, max(0, start - 8), start):
        return None  # "Tunbridge Wells", "Kirkby Stephen": a place (no given name), then a word of its name
    if words[0] in WELSH_HEADS:
        return None  # "Ysbyty Gwynedd", "Menter Iaith Môn", "Cylch Meithrin Llanrug"
    if words[0][:2] in ("mh", "ng", "nh") and WELSH_IN_BEFORE.search(text, max(0, start - 5), start):
        return None
    if DETERMINER_BEFORE.search(text[max(0, start - 14) : start]):
        return None  # "a Tesla", "the Smokey Bones entrance"
    # "Siân's house", "Wyn's own phone": a given name owning a home; "Maggie's Centre" is a charity.
    owns = chain[-1].group()[-2:] in ("'s", "’s") and kinds[-1] == "G" and OWNED_HOME.match(text, end)
    if not owns and (m := re.match(r"\s*([a-z]+|\d)", text[end : end + 30].lower())) and (
            m.group(1) in HEADS or m.group(1).isdigit()):
        return None  # "Desmond course", "Rowan 1" (a ward), "Maggie's Centre"
    if NOT_PERSON_SUFFIX.search(chain[-1].group()) or PLACE_BEFORE.search(text[max(0, start - 16) : start].lower()):
        return None
    if " ".join(words) in lexicon().places and (words[0] not in lexicon().first_uk or located
                                                 or beside_place(text, start, end)):
        return None
    possessive = chain[-1].group()[-2:] in ("'s", "’s")
    if WORKS_AFTER.match(text, end - 2 if possessive else end) or _office_holder(text, start, end):
        return None
    # A person's possessive owns a thing named next ("Ayesha's mum"); "Wendy's or ..." is a shop, and so is
    # "Sid's barbers".
    if possessive and (m := OWNED.match(text, end)) and m.group(1) in BUSINESSES:
        return None
    if possessive and not ((m := OWNED.match(text, end)) and m.group(1) not in stopwords("en")
                           or (m := re.match(r" ([A-Z][a-z]+)", text[end : end + 12])) and m.group(1).lower() in TIMES):
        return None
    lower = chain[0].group()[0].islower()
    if len(chain) == 1:
        if kinds[0] == "N" and not lower and FROM_GROUP.match(text, end):
            return start, end  # "Daz from the boxing club"
        if kinds[0] != "G" or caps_only:
            return None
        return None if lower else (start, end)  # lower case alone: after a cue only (`redact_names`)
    if lower:
        named = "G" in kinds or "S" in kinds and "N" in kinds
        return (start, end) if named and all(kinds) and kinds.count("N") < len(kinds) else None
    if "G" in kinds or "S" in kinds:
        return start, end
    if INITIAL.fullmatch(chain[0].group()) and kinds[-1] in ("g", "s", "N"):
        return start, end  # "J. P. Murphy": initials, then a surname that is also a word or given name
    # Names no list holds ("Tendai Moyo", "Rojda Aydın", "Wong Ka Yan"): two or more words, none
    # of them a dictionary word, one reading as a name or one in no list beside a listed one.
    if _surname_first(chain, kinds) or all(k in UNLISTED_NAME_KINDS for k in kinds) and (
            "N" in kinds or "n" in kinds and ("g" in kinds or "s" in kinds)):
        # ... and no word of them a misspelt dictionary word ("Bowling Grewn")
        if not any(k in "Nn" and len(w) >= 5 and misspelt_word(w) for k, w in zip(kinds, words)):
            return start, end
    # "Rob Smith", "Dawn Hill": a given name that is a word, then a surname; "Hyacinth Campbell", "Bryn
    # Morgan": a listed given name, then a listed surname, not opening a sentence nor in a place's name.
    lex = lexicon()
    if words[0] in lex.ambiguous_given and kinds[1] in ("s", "g"):
        return start, end
    # ... and "Wong Siu Ming": two or three names of the lists, the last of no place.
    if len(chain) in (2, 3) and (words[0] in lex.given or words[0] in lex.surnames) \
            and (words[-1] in lex.surnames or words[-1] in lex.given) \
            and all(k in ("s", "g") and w not in lex.everyday for k, w in zip(kinds[1:], words[1:])) \
            and (words[-1] not in lex.places or _couple_before(text, start)) and not located \
            and not starts_sentence(text, start) \
            and " ".join(words) not in lex.places:
        return start, end
    return None


COUPLE_BEFORE = re.compile(r"\b([A-Z][a-z]+) (?:and|&) $")


def _couple_before(text: str, start: int) -> bool:
    """ "Godfrey and Hyacinth Campbell": a given name and "and" before, so the surname is a family's, not a place."""
    m = COUPLE_BEFORE.search(text, max(0, start - 20), start)
    return bool(m) and fold(m.group(1)) in lexicon().given


def _surname_first(chain: list[re.Match[str]], kinds: list[str]) -> bool:
    """ "Li Xiaoming", "Wong Ka Yan": a sentence's first word in no dictionary and no place, a family
    name before given names of no list."""
    first = fold(chain[0].group())
    return (len(chain) > 1 and first not in english_words() and first not in lexicon().places
            and all(k in ("N", "n") for k in kinds[1:]))


PLACE_NEXT = re.compile(r"\s*(?:,|and|&|or|to)\s+([A-Z][\w'’-]+)")
PLACE_PREVIOUS = re.compile(r"([A-Z][\w'’-]+)\s*(?:,|and|&|or|to)\s+$")


def beside_place(text: str, start: int, end: int) -> bool:
    """ "Barry and Penarth", "from Stanley to Consett": a name in a list of places is one too."""
    near = (PLACE_NEXT.match(text, end), PLACE_PREVIOUS.search(text, max(0, start - 30), start))
    return any(m and fold(m.group(1)) in lexicon().places for m in near)


def starts_sentence(text: str, pos: int) -> bool:
    return bool(SENTENCE_START.search(text, max(0, pos - 6), pos))


CAPITALISED = re.compile(r"[A-Z][A-Za-z]{2,}")


def _ascii_punctuation(text: str) -> str:
    """Curly quotes and dashes made plain: most non-ASCII answers have no other non-ASCII
    character, and replace() is much faster than folding every character."""
    for fancy, plain in (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"'), ("–", "-"), ("—", "-"), ("…", ".")):
        if fancy in text:
            text = text.replace(fancy, plain)
    return text


_NOT_UNLISTED: set[str] = set()  # capitalised words seen that are listed, known or acronyms
TWO_CAPITALISED = re.compile(r"[A-Z][\w'’-]* [A-Z]")


def _any_unlisted_name(text: str, words: list[str]) -> bool:
    """Whether capitalised words in no list can make a name here: one that reads as a name or
    one in no dictionary (`kind_of` N or n), beside another capitalised word or before "from
    the" (`_person`). Acronyms ("CPN", "NZers") are none. Words found to be none are remembered
    in a set, so that most answers cost one set difference."""
    unknown = False
    for word in set(words).difference(_NOT_UNLISTED):
        if kind_of(word, fold(word)) not in ("N", "n"):
            _NOT_UNLISTED.add(word)
        elif word[1:].islower() or text.isupper():
            unknown = True
    return unknown and bool(TWO_CAPITALISED.search(text) or " from " in text)


def people(text: str) -> Iterator[Span]:
    """Names of people found from the word lists, whole ("Siobhán Ní Dhonnchadha")."""
    capitalised, lower = gate_words()
    folded = text if text.isascii() else _ascii_punctuation(text)
    if not folded.isascii():
        folded = fold_text(text, keep_case=True)
    # Lower-case names are found only two words or more together, so split() is enough for them.
    words = CAPITALISED.findall(folded)
    if capitalised.isdisjoint(words) and lower.isdisjoint(folded.split()) and not _any_unlisted_name(folded, words) \
            and ("-" not in folded or lower.isdisjoint(folded.replace("-", " ").split())):
        return
    caps_only = text.isupper() and sum(c.isalpha() for c in text) > 12
    found: list[tuple[int, int]] = []
    maybe: list[tuple[int, int]] = []  # capitalised chains that are no person on their own
    for chain in _chains(text, list(TOKEN.finditer(text)), caps_only):
        if span := _person(text, chain, caps_only):
            found.append(span)
        elif not caps_only and all(t.group()[0].isupper() for t in chain) and any(
                kind_of(t.group(), fold(t.group())) for t in chain):  # not "Signed, Zofia Kamińska"
            maybe.append((chain[0].start(), chain[-1].end()))
    found += listed_beside(text, found, maybe)
    yield from (Span(s, e, "NAME") for s, e in found)

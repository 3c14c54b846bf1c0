"""People's names in a text: the rules' (`redact_names`, `redact_people`, `redact_context`), grown to the whole
name, and the tagger's (`redact_tagger`) where the rules found none, less kept phrases, places and people in public
life. `analysis.redact` runs `person_names` as one of its detectors."""

from __future__ import annotations

import re
from collections.abc import Iterator

from analysis.records import Span
from analysis.redact_addresses import addresses, may_hold_address
from analysis.redact_context import (appositives, from_group, kin_of_names, kin_pairs, names_beside, pairs, possessives, roles_after,
                                     whole_words, with_nicknames)
from analysis.redact_informal import informal_names
from analysis.redact_lexicon import HEADS, english_words, fold, lexicon
from analysis.redact_names import _stop_words, names
from analysis.redact_people import beside_place, people
from analysis.redact_not_names import NATIONS, not_names
from analysis.redact_public import private_names
from analysis.redact_recurring import again
from analysis.redact_tagger import tagged, vetoed
from analysis.redact_whole import whole_names

ARTICLE_BEFORE = re.compile(r"\b(?:a|an) $")  # "a Costa, a Greggs": a shop or a brand, not a person
LOWER_WORD_AFTER = re.compile(r"(?:'s)? ([a-z]+)")
# "in rural Ceredigion", "near Treharris": a word of place before the tagger's name (rules: `redact_people.LOCATIVE_BEFORE`)
IN_PLACE_BEFORE = re.compile(r"\b(?i:in|near|around|outside|across|throughout|within|towards|opposite)\s+"
                             r"(?:(?i:rural|urban|north|south|east|west|mid|central|inner|outer|coastal|upper|lower|the)\s+)?$"
                             r"|\b(?i:isle|isles|vale|vales|city|county|borough|forest|port|bay|mouth|island|kingdom) of\s+$")


def person_names(text: str) -> list[Span]:
    """Names after cues (`redact_names`) and from the name lists (`redact_people`), each grown
    to the whole name, less those inside kept phrases (charities, idioms, office holders)."""
    found = [*names(text), *people(text)]
    low = text.lower()
    if "'s " in text or "’s " in text:
        found += [*possessives(text), *kin_of_names(text)]
    if "née " in low or "nee " in low:
        found += kin_of_names(text)
    if " and " in low and (text.isupper() or " and " in text):
        found += pairs(text)
    if ", " in text:
        found += [*roles_after(text), *appositives(text)]
    if " from the " in text:
        found += from_group(text)
    if " and his " in low or " and her " in low or " and their " in low or " & h" in low:
        found += kin_pairs(text)
    found = vetoed(text, found)
    if found:
        found = whole_names(text, whole_words(text, with_nicknames(text, found) if "'" in text or '"' in text else found))
    # The tagger's names where the rules' (grown, or dropped as an organisation's) are not. It read the
    # words after its name ("Alison Ng\nProject Manager"): grown, never dropped before an organisation word.
    found += whole_names(text, tagger_names(text, found), drop_before_heads=False)
    found += not_people(text, private_names(text, informal_names(text)))  # overlaps: the longest is kept (`find_spans`)
    if "me and " in text or "Me and " in text or "myself and " in text:
        found += [s for s in with_me(text) if all(s.end <= f.start or s.start >= f.end for f in found)]
    if not found:
        return found
    found = not_people(text, private_names(text, found))  # before the names beside them: not "Secretary of [NAME], Angela Rayner"
    for _ in range(3):  # "Gaz, Shaz and wee Mo": a list read from the name found, one name at a time
        beside = not_people(text, private_names(text, whole_words(text, names_beside(text, found))))
        beside = [b for b in beside if all(b.end <= f.start or b.start >= f.end for f in found)]
        if not beside:
            break
        found = found + beside
    found = found + list(companions(text, found))
    found = found + not_people(text, private_names(text, again(text, found)))
    return not_names(text, found)


# "me and Gwil": a person beside the writer; a given name or no English word ("me and God" is kept). Not "Dot and I"
# the other way round, which an earlier round keeps ("Dot and I will bring cake" may be a word's).
WITH_ME = re.compile(r"(?<![\w'’])(?:[Mm]e|[Mm]yself) and ([A-Z][a-z]+)\b(?! [A-Z])")


def with_me(text: str) -> Iterator[Span]:
    lex = lexicon()
    for m in WITH_ME.finditer(text):
        word = fold(m.group(1))
        if word not in _stop_words() and word not in lex.places and (word in lex.given or word not in english_words()):
            yield Span(*m.span(1), "NAME")


NAME_LIST = re.compile(r"[A-Z](?<![\w'’][A-Z])[a-z]+(?:(?:, | and | & |, and )[A-Z][a-z]+)+\b")
AND_FULL_NAME = re.compile(r"\b([A-Z][a-z]+) (?:and|&) $")


def companions(text: str, found: list[Span]) -> Iterator[Span]:
    """Names standing with names found: the short name before its full one in brackets ("Call Bill (Bill
    Atherton)"), the rest of a list of one-word names of which two are found ("Mark, Frank, Sue and Pat"), a
    listed given name before "and" and a found full name ("Shirley and Stanley Hatfield")."""
    spans = {(s.start, s.end) for s in found}
    lex = lexicon()
    for s in found:
        name = text[s.start : s.end]
        if text[s.start - 1 : s.start] == "(" and (word := re.search(r"\b(\w+) \($", text[max(0, s.start - 30) : s.start])) \
                and word.group(1).lower() == name.split()[0].lower():
            yield Span(s.start - 2 - len(word.group(1)), s.start - 2, "NAME")
        if " " in name and (pair := AND_FULL_NAME.search(text, max(0, s.start - 30), s.start)) \
                and fold(pair.group(1)) in lex.given and fold(pair.group(1)) not in _stop_words() \
                and not re.search(r"[A-Z]\w* $", text[max(0, pair.start() - 20) : pair.start()]):
            yield Span(*pair.span(1), "NAME")
    if "," in text:
        for m in NAME_LIST.finditer(text):
            words = [w for w in re.finditer(r"[A-Z][a-z]+", m.group())]
            if len(words) >= 3 and sum((m.start() + w.start(), m.start() + w.end()) in spans for w in words) >= 2:
                yield from (Span(m.start() + w.start(), m.start() + w.end(), "NAME") for w in words
                            if (m.start() + w.start(), m.start() + w.end()) not in spans and fold(w.group()) not in _stop_words()
                            and not re.match(r" [A-Z]", text[m.start() + w.end() :]))  # not "Aunty" of "Aunty Blessing"


SAINT_BEFORE = re.compile(r"\b(?:St\.?|Saint) $")
IN_BEFORE = re.compile(r"\b(?i:in|across|throughout) $")


def not_people(text: str, spans: list[Span]) -> list[Span]:
    """Less a saint's name in a church's dedication ("St Mary and St Nicholas"; "Hannah St John" starts at Hannah)
    and a nation after "in" ("In Scotland the Act ...")."""
    return [s for s in spans
            if not SAINT_BEFORE.search(text, max(0, s.start - 7), s.start)
            and not (text[s.start : s.end].lower() in NATIONS and IN_BEFORE.search(text, max(0, s.start - 12), s.start))]


def tagger_names(text: str, found: list[Span]) -> list[Span]:
    """The tagger's names that the rules did not find, less those before a lower-case organisation word
    ("a Desmond course"), after a word of place ("in rural Ceredigion"), in a list of places ("Clifton,
    Redland and Cotham") or in public life ("Even Einstein couldn't"): kept before they are grown, as
    the rules' names are."""
    added = [t for t in tagged(text) if all(t.end <= f.start or t.start >= f.end for f in found)
             and not ARTICLE_BEFORE.search(text, max(0, t.start - 4), t.start)
             and not ((m := LOWER_WORD_AFTER.match(text, t.end)) and m.group(1) in HEADS)
             and not beside_place(text, t.start, t.end) and not IN_PLACE_BEFORE.search(text, max(0, t.start - 30), t.start)]
    if added and may_hold_address(text):
        added = _not_after_address(text, added)
    return private_names(text, added) if added else added


def _not_after_address(text: str, names: list[Span]) -> list[Span]:
    """Less the words that close an address: its town or island ("Cottage 2, Home Farm, Ashby")."""
    ends = {a.end for a in addresses(text)}
    return [n for n in names if not any(e <= n.start and not text[e:n.start].strip(", \t\n") for e in ends)]

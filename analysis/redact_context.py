"""Names found by the grammar around them, for `analysis.redact`: a name in a list or pair with a
name already found ("thanks to kwabena owusu and ngozi okonkwo", "jadwiga and her husband Marek"),
a lower-case possessive that owns a person or a thing ("sue's husband", "priya's dad",
"oksana's english class"), and any found name grown to whole words ("Mrs Szymański", never
"[NAME]ński").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from analysis.records import Span
from analysis.redact_lexicon import (HEADS, NICKNAME_WORD, PLACE_WORDS, TITLES, english_words, fold, kind_of, known_words, lexicon,
                                     name_stop_words)
from analysis.redact_name_cues import GROUP_ROLES, KIN, PEOPLE, ROLES
from analysis.text import stopwords

NAME_KINDS = frozenset("GgSsNn")
WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
# "X and her husband": a name before a kinship word of its own.
KIN_AFTER = re.compile(rf"\s+(?:and|&)\s+(?:his|her|their)\s+(?:{'|'.join(KIN)})\b", re.I)
LIST_JOIN = re.compile(r"(?:[ \t]*,[ \t]*(?:and[ \t]+|&[ \t]+|or[ \t]+)?|[ \t]+(?:and|&|or|n)[ \t]+|[ \t]*\+[ \t]*)"
                       rf"(?:(?:{NICKNAME_WORD}|baby)[ \t]+)?", re.I)
# A lower-case possessive: "sue's husband", "derek's van".
POSSESSIVE = re.compile(r"(?<![\w'’-])([a-z][a-z-]{2,})['’]s ([a-z]+)")
# A possessive whose name is also a word ("sue", "mark") needs a person after it.
PERSON_AFTER = frozenset(KIN) | frozenset(PEOPLE) | frozenset("kids children family husband wife".split())
THING_AFTER = frozenset("van car house home flat class group club shop cafe stall garden dog job contract".split())


def _is_name_word(word: str, lower: bool) -> bool:
    """A word that can be part of a person's name beside another name: listed or read as a name,
    and in lower case no dictionary word unless a common UK given name ("gareth", not "hope")."""
    folded = fold(word)
    if folded in name_stop_words() or folded in TITLES or folded in HEADS or folded in PLACE_WORDS:
        return False
    kind = kind_of(word, folded)
    if kind not in NAME_KINDS or not lower and kind != "G" and folded in lexicon().places:  # "Darlington, James Cook"
        return False
    if lower:
        return folded in lexicon().first_uk or folded not in english_words() and kind in "GgSN"
    return True


def _capitalised(word: str, text: str) -> bool:
    """A capitalised word; one in capitals only in a text in capitals ("DOB", "NHS" are no names)."""
    return word[0].isupper() and (not word.isupper() or len(word) == 1 or text.isupper())


def _words_after(text: str, pos: int, lower: bool) -> tuple[int, int] | None:
    """Up to three name words right at `pos`, in the case asked for."""
    end = pos
    for m in WORD.finditer(text, pos):
        if m.start() != end and not (end > pos and text[end : m.start()] == " "):
            break
        word = m.group()
        if word.islower() != lower or not lower and not _capitalised(word, text) or not _is_name_word(word, lower):
            break
        end = m.end()
        if m.end() - pos > 60:
            break
    if (head := WORD.match(text, end + 1)) and fold(head.group()).removesuffix("s") in HEADS | {"street", "road"}:
        return None  # "Kentucky and Adams streets"
    return (pos, end) if end > pos else None


def _words_before(text: str, pos: int, lower: bool) -> tuple[int, int] | None:
    """Up to three name words ending right at `pos`."""
    words = list(WORD.finditer(text, max(0, pos - 50), pos))
    start = pos
    for m in reversed(words[-3:]):
        if m.end() != start and not (start < pos and text[m.end() : start] == " "):
            break
        word = m.group()
        if word.islower() != lower or not lower and not _capitalised(word, text) or not _is_name_word(word, lower):
            break
        start = m.start()
    return (start, pos) if start < pos else None


def names_beside(text: str, found: Iterable[Span]) -> Iterator[Span]:
    """Names joined to a found name by a list ("Tariq, lena and joyce") or "X and her husband"."""
    for span in found:
        lower = text[span.start : span.end].islower()
        if (gap := LIST_JOIN.match(text, span.end)) and (after := _words_after(text, gap.end(), lower)):
            yield Span(*after, "NAME")
        before = re.search(rf"(?:[ \t]*,[ \t]*|[ \t]+(?i:and|&|or)[ \t]+|[ \t]+n[ \t]+|[ \t]*\+[ \t]*)(?:(?i:{NICKNAME_WORD}|baby)[ \t]+)?$",
                           text[max(0, span.start - 16) : span.start])
        kin = re.search(rf"\s+(?:and|&)\s+(?:his|her|their)\s+(?:{'|'.join(KIN)})\s+$",
                        text[max(0, span.start - 30) : span.start], re.I)
        for gap_match, offset in ((before, max(0, span.start - 16)), (kin, max(0, span.start - 30))):
            if gap_match and (words := _words_before(text, offset + gap_match.start(), lower)):
                if gap_match is kin or not _sentence_word(text, words[0]):
                    yield Span(*words, "NAME")


def _sentence_word(text: str, pos: int) -> bool:
    """A single capitalised word opening a sentence is a name only if listed as a strong one."""
    word = WORD.match(text, pos)
    if word is None or word.group().islower():
        return False
    at_start = not text[:pos].strip() or text[:pos].rstrip()[-1:] in ".!?:;\n"
    return at_start and kind_of(word.group(), fold(word.group())) != "G" and fold(word.group()) in english_words()


def kin_pairs(text: str) -> Iterator[Span]:
    """ "jadwiga and her husband ...", "Fergal O'Shaughnessy and his wife ...": the name before."""
    for m in KIN_AFTER.finditer(text):
        for lower in (True, False):
            if words := _words_before(text, m.start(), lower):
                yield Span(*words, "NAME")
                break


def _possessive_matches(text: str) -> Iterator[re.Match[str]]:
    """POSSESSIVE matched at each "'s " (a scan of the whole text with it costs several times more)."""
    for quote in ("'s ", "’s "):
        pos = text.find(quote)
        while pos > 0:
            start = pos
            while start > 0 and (text[start - 1].isalpha() or text[start - 1] == "-"):
                start -= 1
            if m := POSSESSIVE.match(text, start):
                yield m
            pos = text.find(quote, pos + 3)


def possessives(text: str) -> Iterator[Span]:
    """Lower-case given names owning someone or something: "sue's husband", "priya's dad"."""
    for m in _possessive_matches(text):
        name, owned = m.group(1), m.group(2)
        folded = fold(name)
        if folded not in lexicon().given and kind_of(name, folded) != "N" or folded in name_stop_words() \
                or owned in stopwords("en"):
            continue
        word = folded in english_words() and folded not in lexicon().first_uk
        if owned in PERSON_AFTER or not word and (folded in lexicon().first_uk or owned in THING_AFTER
                                                  or kind_of(name, folded) == "G"):
            yield Span(m.start(1), m.end(1) + 2, "NAME")  # with its "'s", as `redact_people` has it


LAST_WORD = re.compile(r"(?:^|(?<=[\s,(]))([a-z][a-z'-]+)$")
GIVEN_BEFORE = re.compile(r"(?:^|(?<=[\s,(]))([a-z]+) $")


def from_group(text: str) -> Iterator[Span]:
    """ "kerry from the council", "daz from the boxing club": a lower-case given name of no dictionary
    before "from the" (capitalised ones are `redact_people`'s)."""
    pos = text.find(" from the ")
    while pos > 0:
        if m := LAST_WORD.search(text, max(0, pos - 20), pos):
            kind = kind_of(m.group(1), fold(m.group(1)))
            given = GIVEN_BEFORE.search(text, max(0, m.start() - 16), m.start())
            if given and given.group(1) in lexicon().first_uk and kind in NAME_KINDS:
                yield Span(given.start(1), m.end(1), "NAME")  # "stacey pilling from the tenants group"
            elif kind in ("G", "N") and _is_name_word(m.group(1), lower=True):
                yield Span(*m.span(1), "NAME")
        pos = text.find(" from the ", pos + 1)


def pairs(text: str) -> Iterator[Span]:
    """ "gethin and sioned", "MARGARET AND TERRY": two given names joined by "and", in lower case or
    capitals, both read as names and one of them a common UK given name (capitalised names are
    `redact_people`'s)."""
    caps = text.isupper()
    joiner = " AND " if caps else " and "
    pos = text.find(joiner)
    lex, stop, words = lexicon(), name_stop_words(), english_words()
    gate = None
    while pos > 0:
        nxt = WORD.match(text, pos + len(joiner))
        low = nxt.group().lower() if nxt else ""
        # Most words after "and" are stop words or dictionary words: no name to look at.
        if not low or low in stop or low not in lex.given and (low in words or kind_of(nxt.group(), fold(low)) != "N"):
            pos = text.find(joiner, pos + 1)
            continue
        if gate is None:  # one of the two must be a common UK given name: is one in the text at all?
            gate = not lex.first_uk.isdisjoint(text.lower().replace(",", " ").replace(".", " ").split())
        if not gate and not _strong(low):  # ... or both strong names of no dictionary ("ryszard and halina")
            pos = text.find(joiner, pos + 1)
            continue
        before = _words_before(text, pos, lower=not caps)
        after = _words_after(text, pos + len(joiner), lower=not caps)
        if before and after and before[1] - before[0] < 20 and after[1] - after[0] < 20:
            first, second = fold(text[before[0] : before[1]]), fold(text[after[0] : after[1]])
            if " " not in first + second and (first in lex.first_uk or second in lex.first_uk
                                              or _strong(first) and _strong(second)) and all(
                    w in lex.given and w not in lex.ambiguous_given or kind_of(w, w) == "N" for w in (first, second)):
                yield Span(*before, "NAME")
                yield Span(*after, "NAME")
        pos = text.find(joiner, pos + 1)


def _strong(folded: str) -> bool:
    """A name of four letters or more that is no word of any list: "ryszard", "halina"."""
    return len(folded) >= 4 and kind_of(folded, folded) in ("G", "N") and folded not in known_words()


# "The warden, Blessing, is ...", "the lady who runs it, pam, is 82": one given name between commas
# after a person in the same clause.
APPOSITIVE = re.compile(r", ([A-Za-z][a-z'’-]+)(?: ([A-Za-z][a-z'’-]+))?,\s")  # a literal first: `re` finds ", " fast
PERSON_IN_CLAUSE = re.compile(rf"\b(?i:{'|'.join(sorted({*KIN, *PEOPLE, *ROLES, *GROUP_ROLES, 'who', 'keyworker', 'driver', 'coach'}))})"
                              r"s?\b[^.!?;:]*$")


def appositives(text: str) -> Iterator[Span]:
    for m in APPOSITIVE.finditer(text):
        word = m.group(1)
        if not (text[m.start() - 1 : m.start()].isalnum() or text[m.start() - 1 : m.start()] == ")"):
            continue
        folded = fold(word)
        if folded not in lexicon().given or folded in name_stop_words() or folded in lexicon().places:
            continue
        if word.islower() and folded not in lexicon().first_uk and folded in english_words():
            continue
        if (second := m.group(2)) and not (second[0].isupper() == word[0].isupper() and fold(second) not in english_words()
                                           and kind_of(second, fold(second)) in NAME_KINDS):
            continue  # "brenda haigh": a surname too, in the same case
        if PERSON_IN_CLAUSE.search(text, max(0, m.start() - 60), m.start()):
            yield Span(m.start(1), m.end(2) if second else m.end(1), "NAME")


# "Bogdan, secretary of the allotments", "Olwen Price, our treasurer": a role after the name.
ROLE_AFTER = re.compile(rf",\s+(?:our\s+|the\s+)?(?:{'|'.join(sorted({*ROLES, *GROUP_ROLES}))})\b(?:\s+of\b|\s*[,.)]|$)")


def roles_after(text: str) -> Iterator[Span]:
    for m in ROLE_AFTER.finditer(text):
        if (words := _words_before(text, m.start(), lower=False)) and not _sentence_word(text, words[0]):
            yield Span(*words, "NAME")


CAPITALISED_NAME = r"[A-Z][^\W\d_]+(?:[-'’][A-Z]?[^\W\d_]+)*"
OWNED_KIN = re.compile(rf"['’]s (?:{'|'.join(KIN)})\b(?:,? ({CAPITALISED_NAME}))?")
OWNER = re.compile(r"(?<![\w'’])([A-Z]?[^\W\d_]+)$")
NEE = re.compile(rf"\b(?i:née|nee)\s+({CAPITALISED_NAME})")
NICKNAME = re.compile(rf" ['\"‘“][A-Z][^\W\d_]+['\"’”] ({CAPITALISED_NAME})")


def kin_of_names(text: str) -> Iterator[Span]:
    """ "Aled's wife Sue", "Sue's sister Megan": the owner of a kinship word and the name after it."""
    for m in OWNED_KIN.finditer(text):
        owner = OWNER.search(text, max(0, m.start() - 25), m.start())
        if owner and kind_of(owner.group(1), fold(owner.group(1))) in ("G", "g", "N") \
                and (owner.group(1)[0].isupper() or _is_name_word(owner.group(1), lower=True)):
            yield Span(owner.start(1), m.start() + 2, "NAME")
        if m.group(1) and kind_of(m.group(1), fold(m.group(1))) in NAME_KINDS and fold(m.group(1)) not in name_stop_words():
            yield Span(*m.span(1), "NAME")
    for m in NEE.finditer(text):  # "Jane Smith (née Evans)"
        yield Span(*m.span(1), "NAME")


def with_nicknames(text: str, spans: Iterable[Span]) -> list[Span]:
    """ "Tony 'Tiny' Pugh": a name goes on over a nickname in quotes to the surname."""
    return [Span(span.start, m.end(), span.label) if (m := NICKNAME.match(text, span.end)) else span for span in spans]


def whole_words(text: str, spans: Iterable[Span]) -> list[Span]:
    """Spans grown to the edges of the words they cut: "[NAME]ński" must not happen."""
    out = []
    for span in spans:
        start, end = span.start, span.end
        while start > 0 and text[start - 1].isalpha() and text[start].isalpha():
            start -= 1
        while end < len(text) and text[end].isalpha() and text[end - 1].isalpha():
            end += 1
        out.append(Span(start, end, span.label) if (start, end) != (span.start, span.end) else span)
    return out


LIST_GAP = re.compile(r"\s*,\s*(?:and\s+|&\s+)?|\s+(?:and|&|or)\s+")


def listed_beside(text: str, named: list[tuple[int, int]], maybe: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Capitalised chains in one list with a person ("Tariq, Lena and Joyce"), unless places or organisations."""
    if not named or not maybe:
        return []
    items = sorted([(s, e, True) for s, e in named] + [(s, e, False) for s, e in maybe])
    groups = [[items[0]]]
    for item in items[1:]:
        gap = text[groups[-1][-1][1] : item[0]]
        if LIST_GAP.fullmatch(gap):
            groups[-1].append(item)
        else:
            groups.append([item])
    lex, out = lexicon(), []
    for group in groups:
        listed = [" ".join(fold(w) for w in text[s:e].split()) for s, e, _p in group]
        places = [item in lex.places for item in listed]
        if any(place and (item not in lex.given or " " in item) for place, item in zip(places, listed)) \
                or 2 * sum(places) >= len(listed):
            continue  # "Darlington, James Cook, Sedgefield": a list of places (but "Jaden, Tyler and Zainab")
        if len(group) > 1 and any(is_person for _s, _e, is_person in group):
            for s, e, is_person in group:
                words = [fold(w).removesuffix("'s") for w in text[s:e].split()]
                joined = " ".join(words)
                if not is_person and (joined not in lex.places or joined in lex.given) and not set(words) & (HEADS | PLACE_WORDS):
                    out.append((s, e))
    return out

"""Person-name detection for `analysis.redact`: the `names` detector, which looks for names at the
cue words of `analysis.redact_name_cues` (titles, roles, kin, sign-offs...) with its name patterns,
and the lists of given names.

Cues are found in one case-sensitive pass over the lower-cased text via a prefix-tree regex;
listed given names are looked for only when some capitalised word is one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

import regex

from analysis.records import Span
from analysis.redact_lexicon import HEADS, WELSH_HEADS, english_words, fold, kind_of, known_words, lexicon
from analysis.redact_name_cues import (AFTER_LOWER_NAME, ASKED_FOR, CALLED, CALLED_ANY, CUE, CUES, DASH_SIGNED, GROUP_ROLES,
                                      INTRODUCED, INTRODUCED_LOWER, JOBS, KIN_NAMED, NICKNAMED, NOT_NAMES, NOT_PEOPLE,
                                      OFFICE_AFTER_TITLE, OUR_NAME, PEOPLE, PLAIN_ENDINGS, ROLE_NAME, SELF_NAMED, SIGN_OFF,
                                      THANKS_TO, THE_BEFORE, TITLED_CAPS, TITLED_LOWER, TITLED_NAME, TRAILING_SIGNED,
                                      WRITTEN_BY)
from analysis.text import DATA_DIR, read_word_list


@cache
def _names() -> tuple[frozenset[str], frozenset[str]]:
    ambiguous = read_word_list(DATA_DIR / "first-names-ambiguous.txt")
    common = read_word_list(DATA_DIR / "first-names-uk.txt") - ambiguous
    return common, ambiguous


def _listed(word: str) -> bool:
    """A given name of the lists (`redact_lexicon`); in lower case, one that is no dictionary word
    unless a common UK one ("jordan", not "doctor")."""
    folded = fold(word)
    if word.islower():
        return folded in _names()[0] or folded in lexicon().given and folded not in known_words()
    return folded in lexicon().given


def _surname(word: str) -> bool:
    folded = fold(word).replace("'", "")
    return folded in lexicon().surnames and folded not in lexicon().everyday and folded not in _stop_words()


@cache
def _capitalised_names() -> frozenset[str]:
    return frozenset(name.capitalize() for names in _names() for name in names)


@cache
def _stop_words() -> frozenset[str]:
    from analysis.text import stopwords

    return stopwords("en") | {"said", "told", "was", "who"}


def _plain(word: str, endings: bool = True) -> bool:
    """A word that is not a name in these contexts: stopword, describer, or with an
    everyday-word ending ("I am Writing", "my son Has")."""
    w = word.casefold().rstrip(".")
    if w in _names()[0]:
        return False
    if word.isupper() and len(word.rstrip(".")) in (2, 3):  # GP, OT, NHS
        return True
    if len(w) == 1 and word != "I":  # an initial
        return False
    if word[0].isupper() and not word.isupper() and w in lexicon().given and w not in _stop_words() and w not in NOT_NAMES:
        return False  # "Aunty Blessing", "my carer Precious": listed given names, though words too
    return w in _stop_words() or w in NOT_NAMES or (endings and len(w) > 4 and w.endswith(PLAIN_ENDINGS)
                                                    and w in english_words())


def _name_words(start: int, words: str, lower_ok: bool) -> Span | None:
    """The leading run of name-like words in `words` (which starts at `start`), or None."""
    kept = 0
    for i, word in enumerate(words.split(" ")):
        if _plain(word) or not (lower_ok or word[0].isupper()):
            break
        kept += len(word) + (i > 0)
    return Span(start, start + len(words[:kept].rstrip(".")), "NAME") if kept else None


def _cued_name(text: str, kind: str, pos: int) -> Iterator[Span | None]:
    """Names right after the cue word at `pos`, of the kind listed in CUES."""
    common, ambiguous = _names()
    if kind == "title":
        if THE_BEFORE.search(text, max(0, pos - 5), pos) and text[pos : pos + 4].lower() in ("lady", "lord", "sir ", "dame"):
            return  # "the Lady Margaret Hall", "the Sir John Moores building"
        for m in (TITLED_NAME.match(text, pos), TITLED_LOWER.match(text, pos), TITLED_CAPS.match(text, pos)):
            if not m or text[pos : m.end(1)].casefold().replace(".", "") in NOT_PEOPLE:
                continue
            first = m.group(1).split(" ")[0].casefold()
            if first in OFFICE_AFTER_TITLE:
                break
            if text[pos : pos + 3] == "dr." and not (
                    _listed(first) or _surname(first)):
                continue  # "the dr. today", "a dr. However", but "dr. o'sullivan"
            words = m.group(1)
            if m.re is TITLED_CAPS:  # "MRS JADWIGA NOWAK RUNS": no everyday word after the name
                while " " in words and fold(last := words.rsplit(" ", 1)[1]) in english_words() \
                        and kind_of(last, fold(last)) not in ("G", "S"):
                    words = words.rsplit(" ", 1)[0]
            yield _name_words(m.start(1), words, lower_ok=True)
    elif kind == "role" and (m := ROLE_NAME.match(text, pos)):
        first = m.group(2).split(" ")[0].casefold()
        # After a plural ("paramedics Were coming") or in lower case only a listed given name;
        # after a comma only a name followed by one ("The physio, Kwame, got", not "Dentist, Nurses etc.").
        listed = first in common or first in ambiguous
        comma_ok = "," not in m.group() or re.match(r"[,)]|$", text[m.end() :])
        if "." in text[pos : m.start(2)] and text[pos : m.start(2)].lower().rstrip(" ,.") not in ("cllr", "pc", "dc"):
            return  # "the doctor. Nothing else", but "Cllr. O'Donnell"
        group_role = text[pos : m.start(2)].strip(" ,").casefold().rstrip("s") in GROUP_ROLES
        if group_role and not listed and (first in known_words() or m.group(2).islower()):
            pass  # "our volunteer Drivers", "the chair said"
        elif comma_ok and first not in _stop_words() and (listed or not (m.group(1) or m.group(2).islower())):
            yield Span(*m.span(2), "NAME")
        elif not m.group(1) and m.group(2).islower() and not group_role and _surname(first):
            yield Span(*m.span(2), "NAME")  # "sister murphy"
    elif kind in ("my", "i") and (m := SELF_NAMED.match(text, pos)):
        yield _name_words(m.start(1), m.group(1), lower_ok=True)
    elif kind == "i" and (m := INTRODUCED_LOWER.match(text, pos)):
        # "hi im shauna, ...", "its kayleigh from the youth club": a common given name, or a strong one of no
        # dictionary, then a stop, "and" or "from".
        if (first := m.group(1)) in common or kind_of(first, first) == "G" and first not in known_words():
            yield Span(*m.span(1), "NAME")
    elif kind == "i" and (m := INTRODUCED.match(text, pos)):
        # "This is Leeds": after "this is" only a listed name, or one "from" somewhere.
        if fold(m.group(1).split()[0]) in JOBS:
            return  # "I'm Deputy Head at a primary"
        if text[pos] in "Ii" or m.group(1).lower() in common or re.match(r",? (?:from|of|at|here)\b", text[m.end() :]):
            yield _name_words(m.start(1), m.group(1), lower_ok=False)
    if kind == "our" and (m := OUR_NAME.match(text, pos)) and kind_of(m.group(1), fold(m.group(1))) in ("G", "N"):
        yield Span(*m.span(1), "NAME")  # "our Shaz does the books"
    elif kind in ("my", "our", "kin") and (m := KIN_NAMED.match(text, pos)):
        first = m.group(1).split(" ")[0].rstrip(".").casefold()
        if m.group(1)[0].isupper() or first in common:
            yield _name_words(m.start(1), m.group(1), lower_ok=first in common)
        elif first not in _stop_words() and (kind_of(first, fold(first)) == "N" or fold(first) in lexicon().given
                                             and AFTER_LOWER_NAME.match(text, m.start(1) + len(first))):
            yield Span(m.start(1), m.start(1) + len(first), "NAME")
    elif kind == "sign" and (m := SIGN_OFF.match(text, pos)):
        sep, words = m.group("sep"), m.group("name")
        # "thank you. Old people, ..." starts a sentence: after "." or "!" a name needs a new
        # line. With only a space ("Thank you Prompt service.") it must close the line, capitalised.
        spaced = not sep.strip(" \t")
        if ("\n" in sep or not re.search(r"[.!]", sep)) and (not m.group("for") or re.search(r"[,:\n-]", sep)):
            span = _name_words(m.start("name"), words, lower_ok=not spaced or words.lower() in common)
            whole = span and span.end - span.start == len(words.rstrip("."))
            whole = whole and not any(fold(w).strip("'’") in HEADS | JOBS for w in words.split()) \
                and words.split()[0] not in ("A", "An", "The") and fold(words.split()[0]) not in WELSH_HEADS  # "A volunteer driver"  # "Penarth Pensioners' Forum"
            if whole and not (spaced and text[m.end() :].lstrip(" \t.")[:1] not in ("", "\n")):
                yield span
    elif kind in ("ask", "person") and (m := (ASKED_FOR if kind == "ask" else CALLED).match(text, pos)):
        first = m.group(1).split(" ")[0].casefold()
        named_after = kind == "person" and text[m.start(1) - 6 : m.start(1)] == "after "
        lower = m.group(1).islower()  # "ask for tom": a common given name, or a name of no dictionary
        head = re.match(r" ([A-Za-z]+)", text[m.end(1) : m.end(1) + 20])
        if lower and first not in common or head and head.group(1).lower() in HEADS:
            pass  # "call Holly drive", "ask Leeds Council"
        elif not named_after and ((kind == "person" and not _plain(first, endings=False)) or first in common
                                  or first in ambiguous or kind_of(m.group(1), first) in ("G", "S", "N")
                                  or kind_of(m.group(1), first) == "g" and (NICKNAMED.search(text, max(0, m.start(1) - 7), m.start(1))
                                                                          or not lower and first not in english_words())):
            yield Span(*m.span(1), "NAME")
    elif kind in ("called", "by") and (m := (CALLED_ANY if kind == "called" else WRITTEN_BY).match(text, pos)):
        first = m.group(1).split(" ")[0]
        # After "someone called" any given name; after "called" alone none that is a word ("Called doctor").
        person_before = kind == "called" and re.search(rf"\b(?:{'|'.join(PEOPLE)}) $", text[max(0, pos - 12) : pos].lower())
        if (_listed(first) or person_before and fold(first) in lexicon().given) and first.casefold() not in _stop_words():
            yield _name_words(m.start(1), m.group(1), lower_ok=True)
    elif kind == "to" and (m := THANKS_TO.match(text, pos)):
        # Lower-case given names only (capitalised ones are `redact_people`'s), all of the list
        # given names and one of them no dictionary word ("thanks to dawn and kev", not "to hope and faith").
        listed = [w for w in regex.finditer(r"[\p{L}'’-]+", m.group(1)) if w.group() != "and"]
        if all(w.group().islower() and kind_of(w.group(), fold(w.group())) in ("G", "g", "N") and w.group() not in _stop_words()
               for w in listed) and any(_listed(w.group()) for w in listed):
            yield from (Span(m.start(1) + w.start(), m.start(1) + w.end(), "NAME") for w in listed)


def names(text: str) -> Iterator[Span]:
    """Personal names after a cue: a title, role, kinship or self-introduction, or in a
    sign-off. Names found from the name lists alone are `analysis.redact_people`'s."""
    low = text.lower()
    if len(low) == len(text):  # else a character changed length when lower-cased: rare
        for cue in CUE.finditer(low):
            yield from filter(None, _cued_name(text, CUES[cue.group()], cue.start()))
    # " ... - DAVE", "... ~ Bronwen": a given name after a dash closing the text.
    tail = text[-40:]
    if ("-" in tail or "–" in tail or "—" in tail or "~" in tail) and (
            dash := TRAILING_SIGNED.search(text, max(0, len(text) - 40))) \
            and (first := fold(dash.group(1).split()[0])) in lexicon().given \
            and (first in _names()[0] or kind_of(first, first) == "G") and first not in _stop_words():
        yield Span(*dash.span(1), "NAME")
    last_line = text.rstrip().rfind("\n") + 1
    if text[last_line:].lstrip()[:1] in ("-", "–", "—", "~") and (m := DASH_SIGNED.match(text, last_line)):
        if span := _name_words(m.start(1), m.group(1), lower_ok=True):
            yield span

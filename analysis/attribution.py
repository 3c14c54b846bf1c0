"""How a quoted respondent is named: exactly as they chose, and no more.

A respondent who agreed to be quoted chose one of: their name (NAME), their organisation's name and type
(ORGANISATION), or no name (ANONYMOUS). Someone who chose their organisation but gave none is described by
their type only ("A councillor"). Types are written as people write them: "An NHS body", "A charity".
"""
from __future__ import annotations

import re

NAME, ORGANISATION, ANONYMOUS = "name", "organisation", "anonymous"
CHOICES = (NAME, ORGANISATION, ANONYMOUS)
ANONYMOUS_LABEL = "Anonymous respondent"

# Letters whose names start with a vowel sound: "an NHS body", "an MP", but "a GP".
_VOWEL_LETTERS = set("AEFHILMNORSX")
_CONSONANT_SOUND = re.compile(r"^(uni|use|usu|ure|eu|one|once|ewe)", re.IGNORECASE)
_VOWEL_SOUND = re.compile(r"^(hour|honest|honour|heir)", re.IGNORECASE)


def _acronym(word: str) -> bool:
    letters = re.sub(r"[^A-Za-z]", "", re.sub(r"['’]s$", "", word))
    return len(letters) >= 2 and letters.isupper()


def with_article(label: str) -> str:
    """'Charity' -> 'a charity', 'NHS body' -> 'an NHS body', 'Local authority' -> 'a local authority'.

    The first word is lower-cased unless it is an acronym or the label is a name in title case ("Integrated
    Care Board"); a label that already starts with an article keeps it."""
    label = " ".join(label.split())
    if not label:
        return ""
    first = label.split(" ", 1)[0]
    if first.lower() in ("a", "an", "the"):
        return label[0].lower() + label[1:]
    title_case = any(w[:1].isupper() and not _acronym(w) for w in label.split()[1:])
    if not _acronym(first) and first[1:] == first[1:].lower() and not title_case:
        label = label[0].lower() + label[1:]
    if _acronym(first):
        article = "an" if first[0].upper() in _VOWEL_LETTERS else "a"
    elif _VOWEL_SOUND.match(label):
        article = "an"
    else:
        article = "an" if label[0].lower() in "aeiou" and not _CONSONANT_SOUND.match(label) else "a"
    return f"{article} {label}"


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]


def attribution(choice: str | None, *, name: str | None = None, organisation: str | None = None,
                organisation_type: str | None = None, respondent_type: str | None = None) -> str | None:
    """The words printed under a quote, or None when the respondent may not be quoted (`choice` None).

    NAME prints the name they gave (no name given: anonymous). ORGANISATION prints "Name, a type" (no
    organisation given: their type only, e.g. "A councillor"). ANONYMOUS prints "Anonymous respondent"."""
    if choice is None:
        return None
    if choice not in CHOICES:
        raise ValueError(f"unknown attribution choice {choice!r}")
    name, organisation = " ".join((name or "").split()), " ".join((organisation or "").split())
    if choice == NAME:
        return name or ANONYMOUS_LABEL
    if choice == ORGANISATION:
        kind = with_article(organisation_type) if organisation_type else ""
        if organisation:
            return f"{organisation}, {kind}" if kind else organisation
        if kind:
            return _sentence_case(kind)
        if respondent_type:
            return _sentence_case(with_article(respondent_type))
    return ANONYMOUS_LABEL

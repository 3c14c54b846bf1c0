"""Redaction of personal data in UK consultation answers, by rules (no model).

Each detector returns labelled character spans; overlapping spans are resolved longest
first and each is replaced by `[LABEL]`. Numbers with check digits (NHS numbers, cards)
are validated so that reference numbers and counts are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache

from analysis.records import Redaction, Span
from analysis.text import DATA_DIR, read_word_list

Detector = Callable[[str], Iterable[Span]]

EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
HANDLE = re.compile(r"(?<![\w@.])@[A-Za-z0-9_]{2,15}\b")
POSTCODE = re.compile(r"\b(?:[A-Z]{1,2}[0-9][A-Z0-9]?|GIR) ?[0-9][ABD-HJLNP-UW-Z]{2}\b", re.I)
NINO = re.compile(
    r"\b(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b", re.I
)
# Digit runs with single spaces/hyphens/brackets inside: candidates for phones, NHS numbers, cards.
NUMBER_RUN = re.compile(r"(?<![\w+])(?:\+|\(\+?)?\d(?:[ \-()]{0,2}\d){8,18}(?!\w)")
SORT_CODE = re.compile(r"\bsort ?code[:\s]*(?:is\s+)?(\d{2}[- ]?\d{2}[- ]?\d{2})\b", re.I)
ACCOUNT = re.compile(r"\baccount (?:number|no\.?)[:\s]*(?:is\s+)?(\d{8})\b", re.I)
DATE = r"\d{1,2}(?:st|nd|rd|th)?[ /.-](?:\d{1,2}|[A-Za-z]{3,9})[ /.-]\d{2,4}"
DATE_OF_BIRTH = re.compile(rf"\b(?:d\.?o\.?b\.?|date of birth|born on|born)[:\s]*(?:is\s+)?({DATE})", re.I)
STREET_TYPES = (
    "Road|Rd|Street|St|Avenue|Ave|Lane|Ln|Close|Drive|Way|Crescent|Court|Place|Terrace|"
    "Gardens|Grove|Hill|Row|Square|Walk|Mews|View|Park|Parade|Rise|Green|Estate"
)
ADDRESS = re.compile(
    rf"\b(?:(?:Flat|Apartment|Unit) \d+[A-Za-z]?,? )?\d{{1,4}}[A-Za-z]?,? (?:[A-Z][\w'-]+ ){{1,3}}(?:{STREET_TYPES})\b\.?"
)
TITLE = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Sir|Dame|Lady|Lord)\.?"
ROLE = r"(?i:nurse|doctor|sister|matron|midwife|consultant|surgeon|receptionist|paramedic|councillor|cllr|officer|pc|dc)"
NAME_WORD = r"(?:[A-Z]')?[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)*"  # Patel, O'Neill, Smith-Jones
TITLED_NAME = re.compile(rf"\b{TITLE} ((?:[A-Z]\.? )*{NAME_WORD}(?: {NAME_WORD})?)")
# After Mr/Mrs people often write the surname in lower case ("mr patel"); not after
# ms/miss, which are also "MS Teams" and "hit and miss".
TITLED_LOWER = re.compile(r"\b(?:mr|mrs)\.? ([a-z][a-z'-]+)\b", re.I)
ROLE_NAME = re.compile(rf"\b{ROLE}(s?) ({NAME_WORD}(?: {NAME_WORD})?)")
SELF_NAMED = re.compile(
    rf"\b(?i:my name is|my name's|i am called|i'm called|signed|regards,?|thanks,?|many thanks,?)\s+({NAME_WORD}(?: {NAME_WORD})?)"
)
CAPITAL_WORD = re.compile(rf"\b{NAME_WORD}\b")
SURNAME_AFTER = re.compile(rf" ({NAME_WORD})\b")
# "Queen Elizabeth Hospital", "St Thomas'", "Robin Hood Way": names inside place names.
PLACE_BEFORE = re.compile(r"(?:St|Saint|Queen|King|Prince|Princess|Royal|Lady|Lord)\.? $")
INSTITUTIONS = "Hospital|Infirmary|Surgery|Practice|Centre|Center|School|College|University|Academy|Library|Station"
# Green, Hill, Park, Lane... are surnames too: right after a given name they make a place
# only with a further word ("Robin Hood Way"); "Emma Green" stays a name.
PLACE_AFTER = re.compile(
    rf"(?: [A-Z][a-z]+ (?i:{STREET_TYPES}|{INSTITUTIONS}|House|Bridge|Ward|Unit|Trust|Church)"
    rf"| (?i:Road|Rd|Street|St|Avenue|Ave|Close|Drive|Crescent|Terrace|Gardens|Grove|Mews|{INSTITUTIONS}))\b"
)


@cache
def _names() -> tuple[frozenset[str], frozenset[str]]:
    ambiguous = read_word_list(DATA_DIR / "first-names-ambiguous.txt")
    common = read_word_list(DATA_DIR / "first-names-uk.txt") - ambiguous
    return common, ambiguous


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def nhs_number_ok(digits: str) -> bool:
    """NHS numbers: 10 digits, the last a modulus-11 check digit."""
    if len(digits) != 10:
        return False
    remainder = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1))) % 11
    check = 11 - remainder
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def _uk_phone_ok(raw: str, digits: str) -> bool:
    if raw.lstrip("(").startswith("+") or digits.startswith("0044"):
        national = digits[2:] if digits.startswith("44") else digits[4:]
        national = national[1:] if national.startswith("0") else national
        return 9 <= len(national) <= 10
    return digits.startswith("0") and len(digits) in (10, 11)


def numbers(text: str) -> Iterator[Span]:
    for m in NUMBER_RUN.finditer(text):
        raw = m.group()
        digits = re.sub(r"\D", "", raw)
        start, end = m.span()
        if ")" in raw and "(" not in raw:  # "(ref 0161...)": keep the bracket outside
            end -= len(raw) - len(raw.rstrip(")"))
        if _uk_phone_ok(raw, digits):
            yield Span(start, end, "PHONE")
        elif nhs_number_ok(digits):
            yield Span(start, end, "NHS_NUMBER")
        elif 13 <= len(digits) <= 19 and _luhn_ok(digits):
            yield Span(start, end, "CARD")


def _pattern(regex: re.Pattern[str], label: str, group: int = 0) -> Detector:
    return lambda text: (Span(*m.span(group), label) for m in regex.finditer(text))


def names(text: str) -> Iterator[Span]:
    """Personal names: after a title or role word, in a signature, or a listed given name."""
    stop = _stop_words()
    common, ambiguous = _names()
    for m in TITLED_NAME.finditer(text):
        yield Span(*m.span(1), "NAME")
    for m in SELF_NAMED.finditer(text):
        if m.group(1).split(" ")[0].casefold() not in stop:  # "Many thanks All ..."
            yield Span(*m.span(1), "NAME")
    for m in ROLE_NAME.finditer(text):
        first = m.group(2).split(" ")[0].casefold()
        # After a plural ("paramedics Were coming") only a known given name counts.
        if first not in stop and (not m.group(1) or first in common or first in ambiguous):
            yield Span(*m.span(2), "NAME")
    for m in TITLED_LOWER.finditer(text):
        if m.group(1).casefold() not in stop:
            yield Span(*m.span(1), "NAME")
    for m in CAPITAL_WORD.finditer(text):
        word = m.group().casefold()
        surname = SURNAME_AFTER.match(text, m.end())
        if not (word in common or (word in ambiguous and surname)):
            continue
        if PLACE_BEFORE.search(text, 0, m.start()) or PLACE_AFTER.match(text, m.end()):
            continue
        end = surname.end(1) if surname and surname.group(1).casefold() not in stop else m.end()
        yield Span(m.start(), end, "NAME")


@cache
def _stop_words() -> frozenset[str]:
    from analysis.text import stopwords

    return stopwords("en") | {"said", "told", "was", "who"}


DETECTORS: tuple[Detector, ...] = (
    _pattern(EMAIL, "EMAIL"),
    _pattern(HANDLE, "HANDLE"),
    _pattern(POSTCODE, "POSTCODE"),
    _pattern(NINO, "NI_NUMBER"),
    numbers,
    _pattern(SORT_CODE, "BANK", 1),
    _pattern(ACCOUNT, "BANK", 1),
    _pattern(DATE_OF_BIRTH, "DATE_OF_BIRTH", 1),
    _pattern(ADDRESS, "ADDRESS"),
    names,
)


def find_spans(text: str, detectors: Iterable[Detector] = DETECTORS) -> tuple[Span, ...]:
    """Non-overlapping spans, longest first where two detectors claim the same text."""
    found = sorted(
        (s for detect in detectors for s in detect(text)), key=lambda s: (-(s.end - s.start), s.start)
    )
    kept: list[Span] = []
    for span in found:
        if all(span.end <= k.start or span.start >= k.end for k in kept):
            kept.append(span)
    return tuple(sorted(kept, key=lambda s: s.start))


def redact(text: str, detectors: Iterable[Detector] = DETECTORS) -> Redaction:
    spans = find_spans(text, detectors)
    parts, last = [], 0
    for span in spans:
        parts.append(text[last : span.start])
        parts.append(f"[{span.label}]")
        last = span.end
    parts.append(text[last:])
    return Redaction("".join(parts), spans)


@dataclass(frozen=True, slots=True)
class RedactionScore:
    """Recall: share of labelled personal data fully hidden. Precision: share of
    redacted spans that touch labelled personal data (over-redaction lowers it)."""

    recall: float
    precision: float
    gold: int
    predicted: int
    missed: tuple[tuple[str, str], ...]
    spurious: tuple[str, ...]


def score_redaction(cases: Iterable[tuple[str, Iterable[tuple[str, str]]]]) -> RedactionScore:
    """Score on (text, [(label, value), ...]) cases; each value must occur in its text."""
    gold_total = hit = predicted_total = touching = 0
    missed: list[tuple[str, str]] = []
    spurious: list[str] = []
    for text, items in cases:
        gold = []
        for label, value in items:
            start = text.find(value)
            if start < 0:
                raise ValueError(f"{value!r} not found in {text!r}")
            gold.append((start, start + len(value), label, value))
        spans = find_spans(text)
        for g_start, g_end, label, value in gold:
            gold_total += 1
            if any(s.start <= g_start and s.end >= g_end for s in spans):
                hit += 1
            else:
                missed.append((label, value))
        for s in spans:
            predicted_total += 1
            if any(s.start < g_end and s.end > g_start for g_start, g_end, _, _ in gold):
                touching += 1
            else:
                spurious.append(text[s.start : s.end])
    return RedactionScore(
        recall=hit / gold_total if gold_total else 1.0,
        precision=touching / predicted_total if predicted_total else 1.0,
        gold=gold_total,
        predicted=predicted_total,
        missed=tuple(missed),
        spurious=tuple(spurious),
    )

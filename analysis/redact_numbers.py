"""Phone numbers, NHS numbers and payment cards among runs of digits.

A run is a phone when it has a UK (or an international) phone's shape. Otherwise its check digit tells an NHS
number (modulus 11) or a card (Luhn) from a reference number or a count. A mistyped number is still someone's
number, though, so a run the text itself names ("my NHS no. 650 234 9187", "my debit card, 4658 5823 1234
8765"), or a card number's own 4-4-4-4 grouping, is redacted whatever its check digit. Freephone and 03 numbers
belong to organisations (a helpline, a council's contact centre) and are kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from analysis.records import Span
from analysis.redact_lexicon import HEADS, fold

# Digit runs with single spaces/dots/hyphens/brackets inside: candidates for phones, NHS numbers, cards.
NUMBER_RUN = re.compile(r"(?<![\w+./])(?:\+|\(\+?)?\d(?:[ .\-()]{0,2}\d|/\d){8,18}(?![\w./]\d|\w)")
EXTENSION = re.compile(r"\s*(?i:ext\.?|extension|x)\s?\d{1,5}\b")
# The number's own name shortly before it, in the same line: "NHS number is on it: ", "health number (NHS) is ",
# "NHS No. ", "NHS: ". Not "NHS 111" (three digits), nor "ref NHS-CS-0012456" (seven).
NHS_CUE = re.compile(r"(?i:\bnhs\b|\bhealth (?:service )?(?:number|no\b))[^\n]{0,60}$")
CARD_CUE = re.compile(r"(?i:\b(?:card|visa|mastercard|maestro|amex|debit|credit)\b)[^\n]{0,32}$")
# "call me on 0 7 7 1 2 3 4 5 6 7 8 9": a phone's word before a run that opens with 0, a digit too many or too few.
PHONE_CUE = re.compile(r"(?i:\b(?:call|ring|phone|mobile|mob|tel|text|whatsapp|number|contact)\b[^\n\d]{0,16})$")
ORG_BEFORE = re.compile(r"(?:[A-Z][\w'’&-]* ){0,4}([A-Z][\w'’-]*)\s*:\s*$")
CARD_GROUPS = re.compile(r"\d{4}([ -])\d{4}\1\d{4}\1\d{4}")


# Non-geographic numbers that only organisations hold (Ofcom: 03 for public bodies and charities, 0800/0808/0500 freephone).
ORGANISATION_PREFIXES = ("030", "033", "034", "037", "0800", "0808", "0500")


def luhn_ok(digits: str) -> bool:
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


def uk_phone_ok(raw: str, digits: str) -> bool:
    if (raw.lstrip("(").startswith("+") or digits.startswith("00")) and not digits.startswith(("44", "0044")):
        return 8 <= len(digits.removeprefix("00")) <= 15  # abroad: "+48 601 234 567", "00353 87 123 4567"
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
        if digits.startswith(ORGANISATION_PREFIXES) and len(digits) in (10, 11):
            continue  # "0300 123 4567", "0800 ...": numbers for public bodies, charities and freephone lines, no one's own
        if uk_phone_ok(raw, digits) and (org := ORG_BEFORE.search(text, max(0, start - 40), start)) \
                and fold(org.group(1)) in HEADS:
            continue  # "Ring Adult Social Care: 01234 567890": an organisation's line
        if uk_phone_ok(raw, digits):
            ext = EXTENSION.match(text, end)
            yield Span(start, ext.end() if ext else end, "PHONE")
        elif digits.startswith("0") and 10 <= len(digits) <= 12 and not NHS_CUE.search(text, max(0, start - 40), start) \
                and PHONE_CUE.search(text, max(0, start - 24), start):
            yield Span(start, end, "PHONE")
        elif len(digits) == 10 and (nhs_number_ok(digits) or NHS_CUE.search(text, max(0, start - 72), start)):
            yield Span(start, end, "NHS_NUMBER")
        elif 13 <= len(digits) <= 19 and (luhn_ok(digits) or CARD_GROUPS.fullmatch(raw)
                                          or CARD_CUE.search(text, max(0, start - 48), start)):
            yield Span(start, end, "CARD")


# A number read out in words: "oh seven seven double oh nine hundred eight one two", "nhs number four eight five,
# seven seven seven, three four five six".
DIGIT_WORDS = {"zero": "0", "oh": "0", "nought": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5",
               "six": "6", "seven": "7", "eight": "8", "nine": "9"}
SPELLED_RUN = re.compile(r"(?i)\b(?:zero|oh|nought|one|two|three|four|five|six|seven|eight|nine|double|triple|hundred)"
                         r"(?:[\s,.-]+(?:zero|oh|nought|one|two|three|four|five|six|seven|eight|nine|double|triple|hundred)\b){7,}")


def may_spell_number(low: str) -> bool:
    return " seven" in low or " eight" in low or " nine" in low or " double" in low or " zero" in low or "six " in low


def spelled_numbers(text: str) -> Iterator[Span]:
    """Ten digits or more read out in words: a phone, or an NHS number after its name."""
    for m in SPELLED_RUN.finditer(text):
        digits, repeat = "", 1
        for word in re.findall(r"[a-z]+", m.group().lower()):
            if word in ("double", "triple"):
                repeat = 2 if word == "double" else 3
            elif word == "hundred":
                digits += "00"
            else:
                digits, repeat = digits + DIGIT_WORDS[word] * repeat, 1
        if len(digits) >= 10:
            nhs = len(digits) == 10 and NHS_CUE.search(text, max(0, m.start() - 72), m.start())
            yield Span(*m.span(), "NHS_NUMBER" if nhs else "PHONE")

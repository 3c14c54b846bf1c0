"""Redaction of personal data in UK consultation answers, by rules and, for people's names, a small
linear tagger trained on generated text (`analysis.redact_tagger`) that adds names the rules miss.

Each detector returns labelled character spans; overlapping spans are resolved longest
first and each is replaced by `[LABEL]`. Numbers with check digits (NHS numbers, cards)
are validated so that reference numbers and counts are left alone, unless the text names them
(`analysis.redact_numbers`).

Speed: a detector runs only when its trigger (a digit, '@', a cue word...) is in the text,
and name cues are found in one pass over the lower-cased text, because case-insensitive
scans are several times slower in `re` than case-sensitive ones.

Person names are put together in `analysis.redact_person_names` (from `redact_names`, `redact_people` and
`redact_tagger`); the other detectors are here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from analysis.records import Redaction, Span
from analysis.redact_accounts import org_account, role_mailbox
from analysis.redact_addresses import addresses, may_hold_address
from analysis.redact_numbers import may_spell_number, numbers, spelled_numbers
from analysis.redact_person_names import person_names
from analysis.redact_shapes import births, handles, may_name_platform, ni_numbers, postcodes, spelled_emails

Detector = Callable[[str], Iterable[Span]]

EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:(?:\.|,(?=(?:com|co|org|net)\b))[\w-]+)+")  # "gmail,com" typed for "gmail.com"
TLD = r"(?:com|org|net|uk|ly|io|co|gov|info|me|app|tv|eu|ee)"
URL_TAIL = r"(?:[^\s<>\"')\]]*[^\s<>\"')\].,;:!?])?"  # not the full stop after it
URL = re.compile(rf"(?i:\b(?:https?://|www\.)\S{URL_TAIL}|\b[a-z0-9][\w-]*(?:\.[\w-]+)*\.{TLD}\b(?:/{URL_TAIL})?)")
SORT_CODE = re.compile(r"(?:\bsort(?:[ -]?code)?|\bs/c)[:\s]*(?:is\s+)?(\d{2}[- ]?\d{2}[- ]?\d{2})\b", re.I)
# "account 12345678", "acc no 71234598", "a/c: 0012 3456": 7 or 8 digits, grouped or not.
ACCOUNT = re.compile(r"\b(?:account|acc(?:ou)?t?|a/c)\.?(?: number| no\.?| num\.?)?[:\s]*(?:is\s+)?"
                     r"(\d{7,8}|\d{4}[ -]\d{4}|\d{2}[ -]\d{2}[ -]\d{2}[ -]\d{2})\b", re.I)
# A sort code without its label, beside an account number or a bank: "(30-99-50, account 12345678)".
BARE_SORT_CODE = re.compile(r"(?<![\d/.-])\d{2}-\d{2}-\d{2}(?![\d/.-]|[ -]\d)")
BANK_CUE = re.compile(r"\b(?:account|acc|a/c|bank|banking|bacs|payee|transfer|refund|reimburse)\b", re.I)
# A sort code and an account number side by side need no word: "(77-15-42 00938261)", "20 45 77 / 63019274",
# "63019274, 20-45-77"; not after a reference's or a phone's word ("ref 12-34-56 12345678").
SORT_THEN_ACCOUNT = re.compile(r"(?<![\d/.:-])\d{2}([- ])\d{2}\1\d{2}\s*[,/;|&:]?\s*(?:\d{8}|\d{4} \d{4})(?![\d/-]|[ .-]\d)"
                               r"|(?<![\d/.:-])\d{8}\s*[,/;|&:]?\s*\d{2}([- ])\d{2}\2\d{2}(?![\d/-]|[ .-]\d)")
NOT_BANK_BEFORE = re.compile(r"(?i:\b(?:ref|reference|invoice|order|case|claim|contract|tel|phone|mob|mobile|call|fax|no|number"
                             r"|id|serial|licence|policy)\.?:?\s*(?:is\s+|was\s+)?)$")
DATE_BEFORE = re.compile(r"\b(?:on|from|since|until|till|to|dated?|by|before|after)\s*$", re.I)


# A letter typed for a digit ("07700 9OO 318", NI "WK 58 73 0I D") or a digit for a letter ("S0l4 6QW" for SO14):
# the detectors read a copy with the look-alikes put right (the same length, so the spans stand), and a span must
# hold a changed character (what they find in the text itself they find there).
MISREAD_HINT = re.compile(r"\d(?:(?<=[OoIl]\d)|(?=[OoIl]))")  # opening with the digit: twice as fast
DIGIT_TOKEN = re.compile(r"(?<![A-Za-z])[\dOoIl]*\d[\dOoIl]*(?![A-Za-z])")
LOOKALIKES = str.maketrans("OoIl", "0011")
OUTWARD_MISREAD = re.compile(r"(?<![\w£$])([A-Z])[0O]([0-9Il]{1,2})(?=[ \t]{1,3}\d[A-Z]{2}\b)")


def misread(text: str) -> Iterator[Span]:
    digits = DIGIT_TOKEN.sub(lambda m: m.group().translate(LOOKALIKES), text)
    letters = OUTWARD_MISREAD.sub(lambda m: f"{m.group(1)}O{m.group(2).translate(LOOKALIKES)}", text)
    for fixed, detectors in ((digits, (numbers, ni_numbers)), (letters, (postcodes,))):
        if fixed != text:
            changed = [i for i, (a, b) in enumerate(zip(text, fixed)) if a != b]
            yield from (s for detect in detectors for s in detect(fixed) if any(s.start <= i < s.end for i in changed))


def _pattern(regex: re.Pattern[str], label: str, group: int = 0) -> Detector:
    return lambda text: (Span(*m.span(group), label) for m in regex.finditer(text))


DIGIT, SIX_DIGITS, NINE_DIGITS = re.compile(r"\d"), re.compile(r"\d(?:[ .-]?\d){5}"), re.compile(r"\d(?:[ .\-()]{0,2}\d){8}")
INWARD_CODE = re.compile(r"\d[A-Za-z0-9]?(?:[ \t]{0,3}|-)[0-9Oo][ \t]?[A-Za-z]{2}\b")
POSTCODE_I_HINT = re.compile(r"[0-9IO][ \t]{1,3}[0-9OI][A-Z]{2}\b")  # "BD7 IDP", "SAI 4HR", "CFO 1AB" (`redact_shapes.POSTCODE_I`)
BIRTH_HINT = re.compile(r"born|birth|d\.?\s?o\.?\s?b|\(b\.|^b\.|\nb\.|[\s,]b\.\s?\d|ganwyd|geni|b['’-]?day|blwydd")
SPELLED_AT = re.compile(r"\bat\b|\bAT\b|[\[({<]\s*(?i:at)\s*[\]})>]|@")
PROVIDER_HINT = re.compile(r"(?:\bat|[\])}>@-])\s*(?:gmail|googlemail|hotmail|outlook|yahoo|btinternet|icloud|aol|protonmail|live"
                           r"|ntlworld)\b")
URL_HINT = re.compile(rf"://|www\.|\.{TLD}")
def emails(text: str) -> Iterator[Span]:
    yield from (Span(*m.span(), "EMAIL") for m in EMAIL.finditer(text) if not role_mailbox(m.group()))
# An organisation's or a public body's own site is no one's personal data ("www.locality.org.uk", "thinknpc.org",
# "gov.uk/guidance/..."); a page of a person on it is ("/staff/jo-bloggs", "/in/", "/~jo", "?id=553").
# A placeholder domain ("example.org") stands for any site, a person's too, so it is hidden.
ORG_HOST = re.compile(r"(?i:(?:^|\.)(?:(?:gov|nhs|org|ac|sch|police|mod|parliament|judiciary|ltd|plc)\.uk|gov\.(?:wales|scot)"
                      r"|llyw\.cymru|gov|org|nhs\.net))$")
PERSON_HOST = re.compile(r"(?i:(?:^|\.)orcid\.org)$")  # a researcher's own identifier
SOCIAL_HOST = re.compile(r"(?i:(?:^|\.)(?:facebook\.com|fb\.com|instagram\.com|twitter\.com|x\.com|tiktok\.com|threads\.net))$")
PERSONAL_PATH = re.compile(r"(?i:[@~]|/(?:in|u|user|users|profile|profiles|people|person|staff|team|members?|author|authors"
                           r"|about-me|me)(?:/|$)|[?&](?:id|uid|user|email|token|ref|name)=)")


def urls(text: str) -> Iterator[Span]:
    for m in URL.finditer(text):
        if text[m.start() - 1 : m.start()] == "@":
            continue  # an e-mail's domain: the e-mail detectors decide
        address = re.sub(r"(?i)^(?:https?://)?(?:www\.)?", "", m.group())
        host, _, path = address.partition("/")
        if ORG_HOST.search(host) and "example" not in host.lower() and not PERSONAL_PATH.search("/" + path) \
                and not PERSON_HOST.search(host):
            continue
        page = path.split("/")[0].split("?")[0]
        if SOCIAL_HOST.search(host) and page and (page.lower() in ("groups", "pages", "events")
                                                  or org_account(page, text[max(0, m.start() - 70) : m.start()])):
            continue  # "facebook.com/KeepItLocalCampaign", "facebook.com/groups/...": an organisation's or a group's page
        if not SOCIAL_HOST.search(host) and not path.strip("/") and org_account(host.split(".")[0]) \
                and "example" not in host.lower():
            continue  # "www.keepitlocal.network": a site named for a campaign or an organisation
        yield Span(*m.span(), "URL")
sort_codes, accounts = _pattern(SORT_CODE, "BANK", 1), _pattern(ACCOUNT, "BANK", 1)


def bare_sort_codes(text: str) -> Iterator[Span]:
    """Six digits in pairs within a few words of an account or bank word (not "paid on 12-03-21")."""
    for m in BARE_SORT_CODE.finditer(text):
        before = text[max(0, m.start() - 70) : m.start()]
        if BANK_CUE.search(before + " " + text[m.end() : m.end() + 25]) and not DATE_BEFORE.search(before) \
                and m.group() != "00-00-00":  # a blanked-out sort code
            yield Span(*m.span(), "BANK")


# "GB29 NWBK 6016 1331 9268 19", "PL61109010140000071219812874": checked by their two check digits (ISO 13616).
IBAN = re.compile(r"(?<![\w-])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?(?![\w-])")
IBAN_HINT = re.compile(r"[A-Z]{2}\d\d ?[A-Z0-9]{4}")


def _iban_ok(iban: str) -> bool:
    compact = iban.replace(" ", "")
    if not 15 <= len(compact) <= 34:
        return False
    moved = compact[4:] + compact[:4]
    return int("".join(str(int(ch, 36)) for ch in moved)) % 97 == 1


def ibans(text: str) -> Iterator[Span]:
    yield from (Span(*m.span(), "BANK") for m in IBAN.finditer(text) if _iban_ok(m.group()))


def bank_pairs(text: str) -> Iterator[Span]:
    for m in SORT_THEN_ACCOUNT.finditer(text):
        before = text[max(0, m.start() - 30) : m.start()]
        if not NOT_BANK_BEFORE.search(before):
            yield Span(*m.span(), "BANK")


DETECTORS: tuple[Detector, ...] = (
    emails, spelled_emails, handles, urls, postcodes, ni_numbers, numbers, misread, sort_codes, accounts, bare_sort_codes, bank_pairs,
    ibans, births, spelled_numbers,
    addresses,
    person_names,
)


# Plain `in` tests before a regex: most texts hold none of these words.
def _may_name_provider(low: str) -> bool:
    """A mail provider with no ending: "jo.b at gmail", "jo.b@outlook"."""
    return ("gmail" in low or "hotmail" in low or "outlook" in low or "yahoo" in low or "btinternet" in low or "icloud" in low
            or "aol" in low or "protonmail" in low or "live" in low or "ntlworld" in low) and bool(PROVIDER_HINT.search(low))


def _may_cue_bank(low: str) -> bool:  # `BANK_CUE`'s words
    return ("acc" in low or "a/c" in low or "bank" in low or "bacs" in low or "payee" in low or "transfer" in low
            or "refund" in low or "reimburse" in low)


def _detectors_for(text: str) -> Iterator[Detector]:
    """The detectors whose trigger is in `text`: the others could find nothing in it."""
    low = text.lower()
    if "@" in text:
        yield emails
    if "@" in text or may_name_platform(low):
        yield handles
    url_hint = URL_HINT.search(low)
    if url_hint:
        yield urls
    if (url_hint or " dot " in low or "(dot)" in low or "[dot]" in low or "<dot>" in low or " . " in low or "[.]" in low
            or "-dot-" in low or " @ " in text
            or (" at " in low or "at)" in low or "at]" in low or "@" in text) and _may_name_provider(low)) \
            and SPELLED_AT.search(text):
        yield spelled_emails
    if may_hold_address(text):
        yield addresses
    if DIGIT.search(text):
        for detect, trigger in (
            (postcodes, INWARD_CODE.search(text) or ("I" in text or "O" in text) and POSTCODE_I_HINT.search(text)
             or "post" in low and "code" in low),
            (ni_numbers, six_digits := SIX_DIGITS.search(text)),
            (numbers, NINE_DIGITS.search(text)),
            (misread, MISREAD_HINT.search(text)),
            (sort_codes, "sort" in low or "s/c" in low),
            (accounts, "acc" in low or "a/c" in low),
            (bare_sort_codes, _may_cue_bank(low)),
            (bank_pairs, six_digits),
            (ibans, IBAN_HINT.search(text)),
            (births, BIRTH_HINT.search(low)),
        ):
            if trigger:
                yield detect
    elif ("born" in low or "birth" in low) and BIRTH_HINT.search(low):  # "born on the first of May, nineteen forty-six"
        yield births
    if may_spell_number(low):
        yield spelled_numbers
    yield person_names


def find_spans(text: str, detectors: Iterable[Detector] | None = None) -> tuple[Span, ...]:
    """Non-overlapping spans, longest first where two detectors claim the same text."""
    chosen = _detectors_for(text) if detectors is None else detectors
    found = sorted((s for detect in chosen for s in detect(text)), key=lambda s: (-(s.end - s.start), s.start))
    kept: list[Span] = []
    for span in found:
        if all(span.end <= k.start or span.start >= k.end for k in kept):
            kept.append(span)
    return tuple(sorted(kept, key=lambda s: s.start))


def redact(text: str, detectors: Iterable[Detector] | None = None) -> Redaction:
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
        gold: list[tuple[int, int, str, str]] = []
        for label, value in items:
            # A value labelled twice ("Amir Haddad ... Amir") means two places: take the first
            # occurrence that no earlier label holds.
            starts = [m.start() for m in re.finditer(re.escape(value), text)]
            if not starts:
                raise ValueError(f"{value!r} not found in {text!r}")
            free = [s for s in starts if all(s + len(value) <= g[0] or s >= g[1] for g in gold)]
            start = (free or starts)[0]
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

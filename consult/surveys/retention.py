"""How long a survey keeps personal data, as its definition's `retention` settings say, and the check that its
privacy notice promises exactly that (the notice is what respondents agreed to; the settings are what runs).

    retention:
      drafts_days: 30                     # unfinished drafts (must equal DRAFT_TTL_DAYS)
      contact_emails: at_close            # or "kept": contact email addresses
      responses_after_close: 2 years      # submitted responses; "N days|months|years", or "kept"

Without a `retention` block contact emails still go at closing (the least kept by default), drafts follow
DRAFT_TTL_DAYS and responses are kept until erased; a notice that promises more than that cannot load.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from consult.surveys.languages import main_language

NUMBER_WORDS = {"one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fourteen": 14, "thirty": 30,
                "sixty": 60, "ninety": 90}
_NUMBER = r"(\d+|" + "|".join(NUMBER_WORDS) + r")"
_UNIT = r"(days?|weeks?|months?|years?)"
PERIOD = re.compile(rf"^\s*{_NUMBER}\s+{_UNIT}\s*$", re.IGNORECASE)
# What a notice says, sentence by sentence (English wording; a Welsh notice is a translation of it).
_DRAFTS = re.compile(rf"\bdrafts?\b[^.]*?\bafter\s+{_NUMBER}\s+{_UNIT}", re.IGNORECASE)
_RESPONSES = re.compile(rf"\bresponses\b[^.]*?\b{_NUMBER}\s+{_UNIT}\s+after\s+the\s+consultation\s+closes",
                        re.IGNORECASE)
_CONTACTS = re.compile(r"\bcontact\s+email\s+address(?:es)?\b[^.]*?\bwhen\s+the\s+consultation\s+closes"
                       r"|\bwhen\s+the\s+consultation\s+closes\b[^.]*?\bcontact\s+email", re.IGNORECASE)


@dataclass(frozen=True)
class Period:
    count: int
    unit: str  # day, week, month or year

    def after(self, moment: datetime) -> datetime:
        """The moment this long after `moment` (calendar months and years; 29 February becomes the 28th)."""
        if self.unit in ("day", "week"):
            return moment + timedelta(days=self.count * (7 if self.unit == "week" else 1))
        months = moment.month - 1 + self.count * (12 if self.unit == "year" else 1)
        year, month = moment.year + months // 12, months % 12 + 1
        for day in (moment.day, 30, 29, 28):
            try:
                return moment.replace(year=year, month=month, day=day)
            except ValueError:
                continue
        raise AssertionError("unreachable")

    def days(self) -> int:
        return self.count * {"day": 1, "week": 7, "month": 30, "year": 365}[self.unit]

    def __str__(self) -> str:
        return f"{self.count} {self.unit}{'s' if self.count != 1 else ''}"


def _period(number: str, unit: str) -> Period:
    count = int(number) if number.isdigit() else NUMBER_WORDS[number.lower()]
    return Period(count, unit.lower().rstrip("s"))


def parse_period(text: str) -> Period:
    match = PERIOD.match(text)
    if not match:
        raise ValueError(f"'{text}' is not a period like '2 years', '18 months' or '90 days'")
    return _period(*match.groups())


@dataclass(frozen=True)
class Retention:
    drafts_days: int | None  # None: DRAFT_TTL_DAYS, not promised in the notice
    contact_emails_at_close: bool
    responses_after_close: Period | None  # None: kept until erased


def retention_of(definition: dict[str, Any]) -> Retention:
    """A checked definition's retention settings, defaults filled in."""
    settings = definition.get("retention") or {}
    kept = settings.get("responses_after_close", "kept")
    return Retention(drafts_days=settings.get("drafts_days"),
                     contact_emails_at_close=settings.get("contact_emails", "at_close") == "at_close",
                     responses_after_close=None if kept == "kept" else parse_period(kept))


def _notice_text(definition: dict[str, Any]) -> str:
    notice = definition.get("introduction", {}).get("privacy_notice", "")
    if isinstance(notice, dict):
        return notice.get("en") or notice.get(main_language(definition)) or ""
    return notice


def notice_problems(definition: dict[str, Any], draft_ttl_days: int | None = None) -> list[str]:
    """Where the privacy notice and the retention settings (and DRAFT_TTL_DAYS, when given) disagree."""
    problems: list[str] = []
    settings = definition.get("retention") or {}
    kept = settings.get("responses_after_close", "kept")
    if kept != "kept":
        try:
            parse_period(kept)
        except ValueError as error:
            return [f"retention/responses_after_close: {error}"]
    retention = retention_of(definition)
    notice = _notice_text(definition)
    drafts = _DRAFTS.search(notice)
    promised_drafts = _period(*drafts.groups()[-2:]) if drafts else None
    if promised_drafts and retention.drafts_days is None:
        problems.append(f"retention/drafts_days: the privacy notice promises drafts are deleted after "
                        f"{promised_drafts}; set drafts_days: {promised_drafts.days()}")
    elif retention.drafts_days is not None and promised_drafts is None:
        problems.append(f"retention/drafts_days is {retention.drafts_days}, but the privacy notice does not tell "
                        "respondents when unfinished drafts are deleted (say 'we delete your draft answers after "
                        f"{retention.drafts_days} days')")
    elif promised_drafts and promised_drafts.days() != retention.drafts_days:
        problems.append(f"retention/drafts_days is {retention.drafts_days}, but the privacy notice promises drafts "
                        f"are deleted after {promised_drafts}")
    if retention.drafts_days is not None and draft_ttl_days is not None and retention.drafts_days != draft_ttl_days:
        problems.append(f"retention/drafts_days is {retention.drafts_days}, but this server deletes drafts after "
                        f"{draft_ttl_days} days (DRAFT_TTL_DAYS): make them the same")
    promises_contacts = bool(_CONTACTS.search(notice))
    if promises_contacts and not retention.contact_emails_at_close:
        problems.append("retention/contact_emails is 'kept', but the privacy notice promises contact email "
                        "addresses are deleted when the consultation closes")
    responses = _RESPONSES.search(notice)
    promised = _period(*responses.groups()[-2:]) if responses else None
    if promised and retention.responses_after_close is None:
        problems.append(f"retention/responses_after_close: the privacy notice promises responses are deleted "
                        f"{promised} after the consultation closes; set responses_after_close: {promised}")
    elif retention.responses_after_close and promised is None:
        problems.append(f"retention/responses_after_close is {retention.responses_after_close}, but the privacy "
                        "notice does not say so (say 'we keep submitted responses for up to "
                        f"{retention.responses_after_close} after the consultation closes')")
    elif promised and promised != retention.responses_after_close:
        problems.append(f"retention/responses_after_close is {retention.responses_after_close}, but the privacy "
                        f"notice promises {promised} after the consultation closes")
    return problems

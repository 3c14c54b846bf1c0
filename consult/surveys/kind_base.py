"""What every question kind shares: the Kind base class (the facts other parts read about a kind's answers),
the agree scale, and the helpers kinds build their form fields with.

An answer is stored as {"value": ..., "text": ...}: `value` is the structured part, `text` the free
text a researcher codes (a text answer, or what someone wrote for "Other, please specify").
"""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import Field
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, Regexp

from consult.i18n import N_
from consult.i18n import gettext as _
from consult.surveys.conditions import Answers
from consult.surveys.models import Question
from consult.surveys.textinput import TEXT_FILTERS, no_control_characters

# Labels in English, marked for the catalogues (N_) and translated where shown (`agree_scale()`).
AGREE_SCALE = (
    ("strongly_agree", N_("Strongly agree")),
    ("agree", N_("Agree")),
    ("neither", N_("Neither agree nor disagree")),
    ("disagree", N_("Disagree")),
    ("strongly_disagree", N_("Strongly disagree")),
    ("dont_know", N_("Don’t know")),
)
# Roles of answers that are a respondent's contact details: in the workspace only admins see them.
CONTACT_ROLES = ("respondent_name", "contact_email")
SHORT_TEXT_MAX = 300
LONG_TEXT_MAX = 2000
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"

Answer = dict[str, Any]


def agree_scale() -> list[tuple[str, str]]:
    """The scale's (value, label) pairs in the language of the page (English on staff pages)."""
    return [(value, _(label)) for value, label in AGREE_SCALE]


def select_choices(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


def required_or_not(question: Question, message: str) -> list:
    return [InputRequired(message)] if question.required else [Optional()]


def short_title(question: Question) -> str:
    return question.title.rstrip("?.")


def text_checks(question: Question, message: str, limit: int) -> dict[str, Any]:
    """Validators and filters of a typed answer: required or not, no control characters, at most `limit`
    characters with a line break counted as one."""
    return {"validators": required_or_not(question, message) + [
        no_control_characters, Length(max=limit, message=_("Your answer must be %(limit)s characters or fewer", limit=f"{limit:,}"))],
        "filters": TEXT_FILTERS}


def email_checks() -> list:
    """An email address as respondents type it: no control characters, at most 254 characters, one @."""
    return [no_control_characters, Length(max=254, message=_l("Email address must be 254 characters or fewer")),
            Regexp(EMAIL_PATTERN, message=_l("Enter an email address in the correct format, like name@example.com"))]


class Kind:
    """Base: one field named after the question key, holding a string.

    Besides building fields, a kind states the facts every other part reads: whether its answers are options
    chosen from a list (`closed`: stored as AnswerOption rows, counted, charted and filtered), whether they
    hold free text, and whether that text is an opinion researchers code.
    """

    name = ""
    label_is_legend = False  # True for kinds rendered as a fieldset of options
    closed = False

    def single_valued(self, q: Question) -> bool:
        """A closed answer holds exactly one option (per statement, for a grid)."""
        return False

    def holds_text(self, q: Question) -> bool:
        """An answer can carry free text: a text kind, or a choice's "Other, please specify" box."""
        return False

    def codable(self, q: Question) -> bool:
        """The free text is an opinion to code into themes; a question with a role holds a fact about the
        respondent (a name, an organisation) instead, and is never coded."""
        return self.holds_text(q) and q.role is None

    def in_results(self, q: Question) -> bool:
        """The question's counts belong in a report's results: options from a fixed list, one set of them."""
        return False

    def contact_detail(self, q: Question) -> bool:
        """The answer is how to reach or name the respondent (their email, the name they gave): in the
        workspace only admins see it; others see that it is held."""
        return q.role in CONTACT_ROLES

    def option_pairs(self, q: Question, seen: set[str] = frozenset()) -> list[tuple[str, str]]:
        """(stored option value, label) of every option, in the survey's order; values stored but no longer
        offered (`seen`) go last."""
        return []

    def option_groups(self, q: Question, seen: set[str] = frozenset()) -> list[tuple[str, list[tuple[str, str]]]]:
        """(title, option pairs) for each set of options answered together: the question, or each statement
        of a grid."""
        return [(q.title, self.option_pairs(q, seen))]

    def stored_options(self, q: Question, value: Any) -> list[str]:
        """The AnswerOption values an answer's structured value is stored as (none for open kinds)."""
        return []

    def fields(self, q: Question, answers: Answers | None = None) -> dict[str, Field]:
        """The form fields for the question; `answers` (the respondent's so far) decide which choices show."""
        raise NotImplementedError

    def withdrawn(self, q: Question, answer: Answer | None, answers: Answers) -> bool:
        """The saved answer picks a choice the respondent's other answers no longer offer."""
        return False

    def answer(self, q: Question, data: dict[str, Any]) -> Answer | None:
        value = (data.get(q.key) or "").strip()
        return {"value": None, "text": value} if value else None

    def formdata(self, q: Question, answer: Answer) -> dict[str, Any]:
        return {q.key: answer.get("text") or answer.get("value")}

    def summary(self, q: Question, answer: Answer | None) -> list[str]:
        if not answer:
            return []
        return [str(answer.get("text") or answer.get("value"))]

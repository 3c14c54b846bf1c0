"""The registry of question kinds: how each kind becomes form fields, an answer and a summary line.

A page's form is built at runtime from its question rows (`consult.responses.forms.page_form`). The kinds
themselves are in kind_base.py (the base class and the agree scale), text_kinds.py and choice_kinds.py; the
names other packages import from here (AGREE_SCALE, EMAIL_PATTERN, email_checks) are re-exported.
"""
from __future__ import annotations

from typing import Any

from flask_login import current_user
from wtforms import Field

from consult.auth.models import Role
from consult.surveys import local_authorities
from consult.surveys.choice_kinds import (
    AgreeScale,
    Consent,
    LocalAuthorityPicker,
    MultipleChoice,
    ScaleGrid,
    SingleChoice,
)
from consult.surveys.kind_base import (
    AGREE_SCALE,
    CONTACT_ROLES,
    EMAIL_PATTERN,
    LONG_TEXT_MAX,
    SHORT_TEXT_MAX,
    Answer,
    Kind,
    agree_scale,
    email_checks,
)
from consult.surveys.models import Question
from consult.surveys.text_kinds import Email, LongText, Number, ShortText

__all__ = [
    "AGREE_SCALE",
    "CONTACT_ROLES",
    "EMAIL_PATTERN",
    "KINDS",
    "LONG_TEXT_MAX",
    "SHORT_TEXT_MAX",
    "Answer",
    "Kind",
    "TemplateKinds",
    "agree_scale",
    "contact_withheld",
    "email_checks",
    "kind_of",
]


KINDS: dict[str, Kind] = {kind.name: kind for kind in (
    ShortText(), LongText(), Email(), Number(), SingleChoice(), Consent(), AgreeScale(),
    MultipleChoice(), ScaleGrid(), LocalAuthorityPicker())}


def kind_of(question: Question) -> Kind:
    return KINDS[question.kind]


def contact_withheld(q: Question, user) -> bool:
    """Whether `user` sees no more than "contact details held" for answers to `q`."""
    return kind_of(q).contact_detail(q) and not (user.is_authenticated and user.has_role(Role.ADMIN))


class TemplateKinds:
    """What the field macros need from the registry: options to list and the regions of councils."""

    @property
    def scale(self) -> list[dict[str, Any]]:
        return [{"value": value, "label": label, "hint": None} for value, label in agree_scale()]

    def of(self, q: Question) -> Kind:
        return kind_of(q)

    def withheld(self, q: Question) -> bool:
        """Show only that the answer is held: a contact detail, and the signed-in user is not an admin."""
        return contact_withheld(q, current_user)

    def choices(self, q: Question, field: Field | None = None) -> list[dict[str, Any]]:
        """The choices to show: those the page's form field offers (all, without a field)."""
        if q.kind == "agree_scale":
            return self.scale
        hints = {c["value"]: c.get("hint") for c in q.settings.get("choices", [])}
        offered = {choice.value for choice in field.choices} if field is not None else None
        return [{"value": value, "label": label, "hint": hints.get(value)}
                for value, label in kind_of(q).options(q) if offered is None or value in offered]

    @property
    def regions(self):
        return local_authorities.by_region()

"""The kinds a respondent types: short and long text, an email address and a number."""
from __future__ import annotations

import re

from wtforms import StringField, TextAreaField
from wtforms.validators import ValidationError

from consult.i18n import gettext as _
from consult.surveys.kind_base import (
    LONG_TEXT_MAX,
    SHORT_TEXT_MAX,
    Kind,
    email_checks,
    required_or_not,
    short_title,
    text_checks,
)
from consult.surveys.textinput import TEXT_FILTERS, no_control_characters


class TextKind(Kind):
    def holds_text(self, q):
        return True


class ShortText(TextKind):
    name = "short_text"

    def fields(self, q, answers=None):
        limit = q.settings.get("max_chars", SHORT_TEXT_MAX)
        return {q.key: StringField(q.title, **text_checks(q, _("Enter %(what)s", what=short_title(q).lower()), limit))}


class LongText(TextKind):
    name = "long_text"

    def fields(self, q, answers=None):
        limit = q.settings.get("max_chars", LONG_TEXT_MAX)
        return {q.key: TextAreaField(q.title, **text_checks(q, _("Enter your answer"), limit))}


class Email(Kind):
    name = "email"

    def contact_detail(self, q):
        return True

    def fields(self, q, answers=None):
        return {q.key: StringField(q.title, filters=TEXT_FILTERS, validators=required_or_not(q, _("Enter your email address")) + email_checks())}

    def answer(self, q, data):
        value = (data.get(q.key) or "").strip()
        return {"value": value, "text": None} if value else None


class Number(Kind):
    name = "number"

    def fields(self, q, answers=None):
        settings = q.settings

        def in_range(_form, field):
            raw = (field.data or "").strip().replace(",", "")
            if not raw:
                return
            pattern = r"-?\d+" if settings.get("integer") else r"-?\d+(\.\d+)?"
            if not re.fullmatch(pattern, raw):
                raise ValidationError(_("Enter a whole number") if settings.get("integer") else _("Enter a number"))
            number = float(raw)
            low, high = settings.get("min"), settings.get("max")
            if low is not None and number < low:
                raise ValidationError(_("Enter a number of at least %(low)s", low=f"{low:,g}"))
            if high is not None and number > high:
                raise ValidationError(_("Enter a number no more than %(high)s", high=f"{high:,g}"))

        return {q.key: StringField(q.title, filters=TEXT_FILTERS,
                                   validators=required_or_not(q, _("Enter a number")) + [no_control_characters, in_range])}

    def answer(self, q, data):
        raw = (data.get(q.key) or "").strip().replace(",", "")
        if not raw:
            return None
        number = float(raw)
        return {"value": int(number) if number.is_integer() else number, "text": None}

    def formdata(self, q, answer):
        return {q.key: f"{answer['value']}"}

    def summary(self, q, answer):
        if not answer:
            return []
        return [f"{answer['value']:,}" + (f" {q.settings['suffix']}" if q.settings.get("suffix") else "")]

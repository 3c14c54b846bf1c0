"""The registry of question kinds: how each kind becomes form fields, an answer and a summary line.

A page's form is built at runtime from its question rows (`consult.responses.forms.page_form`).
An answer is stored as {"value": ..., "text": ...}: `value` is the structured part, `text` the free
text a researcher codes (a text answer, or what someone wrote for "Other, please specify").
"""
from __future__ import annotations

import re
from typing import Any

from wtforms import (
    Field,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, Regexp, ValidationError

from flask_babel import lazy_gettext as _l
from flask_login import current_user

from consult.auth.models import Role
from consult.surveys import local_authorities
from consult.surveys.conditions import Answers, condition_met
from consult.surveys.models import Question
from consult.i18n import N_, current_language
from consult.i18n import gettext as _
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


def _choices(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


def _required(question: Question, message: str) -> list:
    return [InputRequired(message)] if question.required else [Optional()]


def _short(question: Question) -> str:
    return question.title.rstrip("?.")


def _text(question: Question, message: str, limit: int) -> dict[str, Any]:
    """Validators and filters of a typed answer: required or not, no control characters, at most `limit`
    characters with a line break counted as one."""
    return {"validators": _required(question, message) + [
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


class TextKind(Kind):
    def holds_text(self, q):
        return True


class ShortText(TextKind):
    name = "short_text"

    def fields(self, q, answers=None):
        limit = q.settings.get("max_chars", SHORT_TEXT_MAX)
        return {q.key: StringField(q.title, **_text(q, _("Enter %(what)s", what=_short(q).lower()), limit))}


class LongText(TextKind):
    name = "long_text"

    def fields(self, q, answers=None):
        limit = q.settings.get("max_chars", LONG_TEXT_MAX)
        return {q.key: TextAreaField(q.title, **_text(q, _("Enter your answer"), limit))}


class Email(Kind):
    name = "email"

    def contact_detail(self, q):
        return True

    def fields(self, q, answers=None):
        return {q.key: StringField(q.title, filters=TEXT_FILTERS, validators=_required(q, _("Enter your email address")) + email_checks())}

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
                                   validators=_required(q, _("Enter a number")) + [no_control_characters, in_range])}

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


class SingleChoice(Kind):
    name = "single_choice"
    label_is_legend = True
    closed = True

    def single_valued(self, q):
        return True

    def holds_text(self, q):
        return bool(q.settings.get("other"))

    def in_results(self, q):
        return True

    def option_pairs(self, q, seen=frozenset()):
        pairs = self.options(q)
        known = {value for value, _label in pairs}
        return pairs + [(v, v) for v in sorted(set(seen) - known)]

    def stored_options(self, q, value):
        values = value if isinstance(value, list) else [value]
        return list(dict.fromkeys(str(v) for v in values if v not in (None, "")))

    def options(self, q: Question, answers: Answers | None = None) -> list[tuple[str, str]]:
        """(value, label) of every choice, or with `answers`, of those the respondent's answers show."""
        options = [(c["value"], c["label"]) for c in q.settings.get("choices", [])
                   if answers is None or condition_met(c.get("show_if"), answers)]
        if q.settings.get("other"):
            options.append(("other", q.settings["other"]["label"]))
        return options

    def withdrawn(self, q, answer, answers):
        if not answer:
            return False
        values = answer.get("value") if isinstance(answer.get("value"), list) else [answer.get("value")]
        hidden = {c["value"] for c in q.settings.get("choices", []) if not condition_met(c.get("show_if"), answers)}
        return bool(hidden.intersection(values))

    def fields(self, q, answers=None):
        fields: dict[str, Field] = {q.key: RadioField(
            q.title, choices=_choices(self.options(q, answers or {})), validate_choice=True,
            validators=_required(q, _("Select an answer: %(what)s", what=_short(q).lower())))}
        if q.settings.get("other"):
            fields[f"{q.key}__other"] = self._other_field(q)
        return fields

    def _other_field(self, q: Question) -> StringField:
        other = q.settings["other"]
        message = other.get("prompt") or _("Enter what you mean by ‘%(other)s’", other=other["label"])

        def described(form, field) -> None:
            chosen = form[q.key].data
            if (chosen == "other" or (isinstance(chosen, list) and "other" in chosen)) and not (field.data or "").strip():
                raise ValidationError(message)

        return StringField(other.get("prompt") or _("Please specify"), filters=TEXT_FILTERS, validators=[
            described, no_control_characters,
            Length(max=SHORT_TEXT_MAX, message=_("Your answer must be %(limit)s characters or fewer",
                                                 limit=SHORT_TEXT_MAX))])

    def answer(self, q, data):
        value = data.get(q.key)
        if not value:
            return None
        other = (data.get(f"{q.key}__other") or "").strip() if value == "other" else ""
        return {"value": value, "text": other or None}

    def formdata(self, q, answer):
        return {q.key: answer["value"], f"{q.key}__other": answer.get("text") or ""}

    def summary(self, q, answer):
        if not answer:
            return []
        label = dict(self.options(q)).get(answer["value"], answer["value"])
        return [f"{label}: {answer['text']}" if answer.get("text") else label]


class Consent(SingleChoice):
    """What the respondent allows (publication, contact): a choice about their data, not a view."""

    name = "consent"

    def in_results(self, q):
        return False


class AgreeScale(SingleChoice):
    name = "agree_scale"

    def options(self, q, answers=None):
        return agree_scale()


class MultipleChoice(SingleChoice):
    name = "multiple_choice"

    def single_valued(self, q):
        return False

    def fields(self, q, answers=None):
        fields = super().fields(q, answers)
        fields[q.key] = SelectMultipleField(
            q.title, choices=_choices(self.options(q, answers or {})),
            validators=_required(q, _("Select at least one answer: %(what)s", what=_short(q).lower())))
        return fields

    def answer(self, q, data):
        values = list(dict.fromkeys(data.get(q.key) or []))
        if not values:
            return None
        other = (data.get(f"{q.key}__other") or "").strip() if "other" in values else ""
        return {"value": values, "text": other or None}

    def summary(self, q, answer):
        if not answer:
            return []
        labels = dict(self.options(q))
        return [f"{labels.get(v, v)}: {answer['text']}" if v == "other" and answer.get("text") else labels.get(v, v)
                for v in answer["value"]]


class ScaleGrid(Kind):
    name = "scale_grid"
    label_is_legend = True
    closed = True

    def single_valued(self, q):
        return True

    def option_groups(self, q, seen=frozenset()):
        """(statement, [(stored value, label)]) per statement: each statement is answered on the scale."""
        return [(s["text"], [(f"{s['key']}:{value}", label) for value, label in agree_scale()])
                for s in q.settings.get("statements", [])]

    def option_pairs(self, q, seen=frozenset()):
        return [pair for _statement, pairs in self.option_groups(q) for pair in pairs]

    def stored_options(self, q, value):
        return [f"{statement}:{point}" for statement, point in value.items()] if isinstance(value, dict) else []

    def fields(self, q, answers=None):
        return {f"{q.key}__{s['key']}": RadioField(
            s["text"], choices=_choices(agree_scale()), validate_choice=True,
            validators=_required(q, _("Select an answer for ‘%(statement)s’", statement=s["text"])))
            for s in q.settings["statements"]}

    def answer(self, q, data):
        value = {s["key"]: data[f"{q.key}__{s['key']}"] for s in q.settings["statements"]
                 if data.get(f"{q.key}__{s['key']}")}
        return {"value": value, "text": None} if value else None

    def formdata(self, q, answer):
        return {f"{q.key}__{k}": v for k, v in answer["value"].items()}

    def summary(self, q, answer):
        if not answer:
            return []
        labels = dict(agree_scale())
        return [f"{s['text']}: {labels[answer['value'][s['key']]]}" for s in q.settings["statements"]
                if s["key"] in answer["value"]]


class LocalAuthorityPicker(Kind):
    name = "local_authority"
    closed = True

    def single_valued(self, q):
        return not q.settings.get("multiple")

    def option_pairs(self, q, seen=frozenset()):
        """The councils chosen (`seen`), by name: a list of all 339 would say nothing."""
        names = local_authorities.by_slug()
        return sorted(((v, names[v].name_in(current_language()) if v in names else v) for v in seen),
                      key=lambda p: p[1])

    def stored_options(self, q, value):
        values = value if isinstance(value, list) else [value]
        return list(dict.fromkeys(str(v) for v in values if v not in (None, "")))

    def fields(self, q, answers=None):
        pairs = [(a.slug, a.name_in(current_language())) for a in local_authorities.all_authorities()]
        if q.settings.get("multiple"):
            return {q.key: SelectMultipleField(q.title, choices=_choices(pairs),
                                               validators=_required(q, _("Select at least one area")))}
        return {q.key: SelectField(q.title, choices=_choices([("", _("Choose an area"))] + pairs),
                                   validators=_required(q, _("Select an area")))}

    def answer(self, q, data):
        value = data.get(q.key)
        if q.settings.get("multiple"):
            value = list(dict.fromkeys(value or []))
        return {"value": value, "text": None} if value else None

    def formdata(self, q, answer):
        return {q.key: answer["value"]}

    def summary(self, q, answer):
        if not answer:
            return []
        names = local_authorities.by_slug()
        values = answer["value"] if isinstance(answer["value"], list) else [answer["value"]]
        return [names[v].name_in(current_language()) if v in names else v for v in values]


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

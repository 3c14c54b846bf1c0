"""The kinds a respondent chooses from a list: single and multiple choice (with an optional "Other" box),
consent, the agree scale, a grid of statements on that scale and the council picker."""
from __future__ import annotations

from wtforms import Field, RadioField, SelectField, SelectMultipleField, StringField
from wtforms.validators import Length, ValidationError

from consult.i18n import current_language
from consult.i18n import gettext as _
from consult.surveys import local_authorities
from consult.surveys.conditions import Answers, condition_met
from consult.surveys.kind_base import (
    SHORT_TEXT_MAX,
    Kind,
    agree_scale,
    required_or_not,
    select_choices,
    short_title,
)
from consult.surveys.models import Question
from consult.surveys.textinput import TEXT_FILTERS, no_control_characters


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
            q.title, choices=select_choices(self.options(q, answers or {})), validate_choice=True,
            validators=required_or_not(q, _("Select an answer: %(what)s", what=short_title(q).lower())))}
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
            q.title, choices=select_choices(self.options(q, answers or {})),
            validators=required_or_not(q, _("Select at least one answer: %(what)s", what=short_title(q).lower())))
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
            s["text"], choices=select_choices(agree_scale()), validate_choice=True,
            validators=required_or_not(q, _("Select an answer for ‘%(statement)s’", statement=s["text"])))
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
            return {q.key: SelectMultipleField(q.title, choices=select_choices(pairs),
                                               validators=required_or_not(q, _("Select at least one area")))}
        return {q.key: SelectField(q.title, choices=select_choices([("", _("Choose an area"))] + pairs),
                                   validators=required_or_not(q, _("Select an area")))}

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

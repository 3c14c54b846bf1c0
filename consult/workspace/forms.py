"""Forms for browsing responses: the GET filter form (its state lives in the URL) and erasure."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, IntegerField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange

from consult.coding.models import Theme
from consult.responses.models import CHANNELS
from consult.surveys import local_authorities
from consult.surveys.kinds import kind_of
from consult.surveys.models import Question
from consult.workspace.browsing import Filters, role_options

ANY = ("", "Any")
# The languages respondents answer in, named for staff (in English).
LANGUAGE_NAMES = {"en": "English", "cy": "Welsh"}


def _choices(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


class FilterForm(FlaskForm):
    """Read from request.args; no CSRF token, since it changes nothing. A field missing from the URL means
    "any", as an empty one does (links and the enhanced form leave empty fields out)."""

    class Meta:
        csrf = False

    search = StringField("Search answers or references", validators=[Length(max=200, message="Search for 200 characters or fewer")])
    respondent_type = SelectField("Respondent type", default="")
    capacity = SelectField("Organisation or individual", default="")
    area = SelectField("Local authority area", default="")
    channel = SelectField("Channel", default="", choices=_choices([ANY] + [(c, c.capitalize()) for c in CHANNELS]))
    language = SelectField("Language answered in", default="",
                           choices=_choices([ANY] + [(code, name) for code, name in LANGUAGE_NAMES.items()]))
    answer = SelectField("Answer to a question", default="")
    theme = SelectField("Theme", default="")
    coded = SelectField("Coding", default="", choices=_choices([ANY, ("coded", "Coded by a person"), ("uncoded", "Has uncoded text")]))
    flagged = BooleanField("Only flagged answers")

    def filters(self) -> Filters:
        """The valid filters; a field that failed validation counts as 'any' (its error is shown)."""
        valid = {name: field.data for name, field in self._fields.items() if not field.errors}
        theme = valid.get("theme") or ""
        return Filters(
            respondent_type=valid.get("respondent_type") or "", capacity=valid.get("capacity") or "",
            area=valid.get("area") or "", channel=valid.get("channel") or "", answer=valid.get("answer") or "",
            language=valid.get("language") or "",
            theme=int(theme) if theme.isdigit() else None, coded=valid.get("coded") or "",
            flagged=bool(valid.get("flagged")), search=(valid.get("search") or "").strip())


def _closed_answer_choices(questions: list[Question], labels: dict[str, str]) -> dict[str, list[tuple[str, str]]]:
    """Grouped by each question's label: '<key>:<value>' for every option of every closed question with a
    fixed list (areas, respondent types and capacities have their own filters)."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for q in questions:
        kind = kind_of(q)
        if not kind.closed or not kind.option_pairs(q) or q.role in ("respondent_type", "capacity"):
            continue
        titled = len(kind.option_groups(q)) > 1
        group = labels.get(q.key, q.title)
        if group in groups:  # two questions named alike (no labels): the key tells them apart
            group = f"{group} ({q.key})"
        groups[group] = [(f"{q.key}:{value}", f"{title}: {label}" if titled else label)
                         for title, pairs in kind.option_groups(q) for value, label in pairs]
    return groups


def filter_form(args, questions: list[Question], themes: dict[int, Theme], labels: dict[str, str]) -> FilterForm:
    """The filter form for a survey, bound to the URL's arguments and validated; `labels` name the questions."""
    form = FilterForm(formdata=args)
    form.respondent_type.choices = _choices([ANY] + role_options(questions, "respondent_type"))
    form.capacity.choices = _choices([ANY] + role_options(questions, "capacity"))
    form.area.choices = _choices([ANY] + [(a.slug, a.name) for a in local_authorities.all_authorities()])
    form.answer.choices = {group: _choices(pairs) for group, pairs in
                          {"": [ANY], **_closed_answer_choices(questions, labels)}.items()}
    active = [t for t in themes.values() if t.active]
    form.theme.choices = _choices([ANY] + [(str(t.id), f"{themes[t.parent_id].name} › {t.name}" if t.parent_id in themes
                                            else t.name) for t in active])
    for name, field in form._fields.items():
        if isinstance(field, SelectField):
            field.validate_choice = True
    if args:
        form.validate()
        for field in form:
            if isinstance(field, SelectField) and field.errors:
                field.errors = [f"Choose a {field.label.text.lower()} from the list"]
    return form


class EraseLookupForm(FlaskForm):
    """'Erase a response by reference' on the list page: leads to the confirmation page."""

    class Meta:
        csrf = False

    reference = StringField("Reference", validators=[
        InputRequired("Enter the response’s reference"), Length(max=32, message="A reference is 32 characters or fewer")])


class EraseForm(FlaskForm):
    """The confirmation page's POST."""

    reference = HiddenField(validators=[InputRequired(), Length(max=32)])


class DiscoverForm(FlaskForm):
    """"Find themes": the free-text questions to read (the filters come from the filter form's fields)."""

    questions = SelectMultipleField("Questions", validate_choice=False,  # start_discovery says which are not free text
                                    validators=[InputRequired("Choose one or more free-text questions")])
    max_themes = IntegerField("Themes to propose, at most", default=10, validators=[
        InputRequired("Enter how many themes to propose, between 3 and 30"),
        NumberRange(min=3, max=30, message="Enter how many themes to propose, between 3 and 30")])

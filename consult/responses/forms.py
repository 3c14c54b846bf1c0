"""Respondent forms: each question page's form is built at runtime from its question rows."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import HiddenField, StringField
from wtforms.validators import InputRequired, Length, Optional

from consult.responses.journey import Answers
from consult.i18n import current_language
from consult.surveys.conditions import condition_met
from consult.surveys.forms import HoneypotForm
from consult.surveys.frozen import FrozenVersion, remembered
from consult.surveys.kinds import email_checks, kind_of
from consult.surveys.models import Question
from consult.surveys.textinput import TEXT_FILTERS, normalise_newlines, strip_controls


NO_CSRF = {"csrf": False}


# Hidden fields are given a label (never shown): without one, WTForms translates one made from the field's name,
# and Flask-WTF reads WTForms' message catalogue from disk to do so, again on every request that builds the form.
HIDDEN = "hidden"


class SubmitForm(HoneypotForm):
    submission_token = HiddenField(HIDDEN, validators=[InputRequired()])
    # Offered only when email is configured: a copy with the reference and the receipt PDF.
    email_copy = StringField(_l("Email address (optional)"), filters=TEXT_FILTERS,
                             validators=[Optional(), *email_checks()])

    def only_email_wrong(self) -> bool:
        return set(self.errors) == {"email_copy"}


class ResumeForm(FlaskForm):
    code = StringField(_l("Your resume code"), validators=[
        InputRequired(_l("Enter the resume code you were given")),
        Length(min=12, max=20, message=_l("Enter the code in full, like 7K2M-9QXD-4TRW"))])


class EmailCodeForm(FlaskForm):
    """Send the resume code just given to an email address (kept only until it is sent)."""

    email = StringField(_l("Email address"), filters=TEXT_FILTERS,
                        validators=[InputRequired(_l("Enter your email address")), *email_checks()])


class SaveForm(FlaskForm):
    # Sent from check answers: coming back opens check answers again.
    at_check = HiddenField(HIDDEN)


def page_form(questions: list[Question], answers: Answers, formdata: Any = None,
              typed: dict[str, list[str]] | None = None) -> FlaskForm:
    """A form holding the fields of every visible question on one page, filled from saved answers, from the
    posted `formdata`, or from what was `typed` and saved unchecked (then checked again to show its errors).

    The form has no CSRF field of its own: CSRFProtect checks the token of every POST before the view runs, and
    the page writes the session's token itself (templates/responses/page.html), so a field would only sign a
    token that a page which redirects never shows."""
    data: dict[str, Any] = {}
    for question in questions:
        if answers.get(question.key):
            data.update(kind_of(question).formdata(question, answers[question.key]))
    form_class = _form_class(questions, answers)
    if typed is not None:
        form = form_class(formdata=MultiDict([(k, v) for k, values in typed.items() for v in values]),
                          meta=NO_CSRF)
        form.validate()
        return form
    return form_class(formdata=formdata, data=data, meta=NO_CSRF)


def _form_class(questions: list[Question], answers: Answers) -> type[FlaskForm]:
    """The page's form class: built once per version, page language and choices shown (which earlier answers
    decide), then shared, as a form class written in a module is."""

    def build() -> type[FlaskForm]:
        attrs: dict[str, Any] = {}
        for question in questions:
            attrs.update(kind_of(question).fields(question, answers))
        return type("PageForm", (FlaskForm,), attrs)

    version = questions[0].version if questions else None
    if not isinstance(version, FrozenVersion):
        return build()
    return remembered(version, ("form", current_language(), shown(questions, answers)), build)


def shown(questions: list[Question], answers: Answers) -> tuple:
    """The questions and, of each, the choices that earlier answers show: all a page's form depends on."""
    return tuple((q.id, tuple(c["value"] for c in q.settings.get("choices", [])
                              if condition_met(c.get("show_if"), answers))) for q in questions)


def typed_values(form: FlaskForm, formdata: MultiDict) -> dict[str, list[str]]:
    """What the respondent sent for the page's own fields, line breaks as LF and control characters removed,
    to keep when the page is saved without passing its checks."""
    return {name: [strip_controls(normalise_newlines(v)) for v in formdata.getlist(name)]
            for name in form._fields if name != "csrf_token" and name in formdata}


def page_answers(questions: list[Question], form: FlaskForm) -> Answers:
    """The answers a validated page form holds, keyed by question key (None where left blank)."""
    return {q.key: kind_of(q).answer(q, form.data) for q in questions}

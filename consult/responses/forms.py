"""Respondent forms: each question page's form is built at runtime from its question rows."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import HiddenField, StringField
from wtforms.validators import InputRequired, Length, Optional

from consult.responses.journey import Answers
from consult.surveys.forms import HoneypotForm
from consult.surveys.kinds import email_checks, kind_of
from consult.surveys.models import Question
from consult.surveys.textinput import TEXT_FILTERS, normalise_newlines, strip_controls


class SubmitForm(HoneypotForm):
    submission_token = HiddenField(validators=[InputRequired()])
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
    at_check = HiddenField()


def page_form(questions: list[Question], answers: Answers, formdata: Any = None,
              typed: dict[str, list[str]] | None = None) -> FlaskForm:
    """A form holding the fields of every visible question on one page, filled from saved answers, from the
    posted `formdata`, or from what was `typed` and saved unchecked (then checked again to show its errors)."""
    attrs: dict[str, Any] = {}
    data: dict[str, Any] = {}
    for question in questions:
        kind = kind_of(question)
        attrs.update(kind.fields(question, answers))
        if answers.get(question.key):
            data.update(kind.formdata(question, answers[question.key]))
    form_class = type("PageForm", (FlaskForm,), attrs)
    if typed is not None:
        form = form_class(formdata=MultiDict([(k, v) for k, values in typed.items() for v in values]),
                          meta={"csrf": False})
        form.validate()
        return form
    return form_class(formdata=formdata, data=data)


def typed_values(form: FlaskForm, formdata: MultiDict) -> dict[str, list[str]]:
    """What the respondent sent for the page's own fields, line breaks as LF and control characters removed,
    to keep when the page is saved without passing its checks."""
    return {name: [strip_controls(normalise_newlines(v)) for v in formdata.getlist(name)]
            for name in form._fields if name != "csrf_token" and name in formdata}


def page_answers(questions: list[Question], form: FlaskForm) -> Answers:
    """The answers a validated page form holds, keyed by question key (None where left blank)."""
    return {q.key: kind_of(q).answer(q, form.data) for q in questions}

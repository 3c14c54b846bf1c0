"""Respondent forms: each question page's form is built at runtime from its question rows."""
from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField
from wtforms.validators import InputRequired, Length

from consult.responses.journey import Answers
from consult.surveys.forms import HoneypotForm
from consult.surveys.kinds import kind_of
from consult.surveys.models import Question


class SubmitForm(HoneypotForm):
    submission_token = HiddenField(validators=[InputRequired()])


class ResumeForm(FlaskForm):
    code = StringField("Your resume code", validators=[
        InputRequired("Enter the resume code you were given"),
        Length(min=12, max=20, message="Enter the code in full, like 7K2M-9QXD-4TRW")])


class SaveForm(FlaskForm):
    pass


def page_form(questions: list[Question], answers: Answers, formdata: Any = None) -> FlaskForm:
    """A form holding the fields of every visible question on one page, filled from saved answers."""
    attrs: dict[str, Any] = {}
    data: dict[str, Any] = {}
    for question in questions:
        kind = kind_of(question)
        attrs.update(kind.fields(question))
        if answers.get(question.key):
            data.update(kind.formdata(question, answers[question.key]))
    form_class = type("PageForm", (FlaskForm,), attrs)
    return form_class(formdata=formdata, data=data)


def page_answers(questions: list[Question], form: FlaskForm) -> Answers:
    """The answers a validated page form holds, keyed by question key (None where left blank)."""
    return {q.key: kind_of(q).answer(q, form.data) for q in questions}

"""Staff forms for drafts: start a build; edit headlines and choose quotes (fields built per draft); compare two
versions; publish one; moderate the responses published beside it."""
from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, SelectMultipleField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, ValidationError


class BuildForm(FlaskForm):
    pass


def _each_once(_form: FlaskForm, field: SelectMultipleField) -> None:
    if len(set(field.data or [])) != len(field.data or []):
        raise ValidationError("Choose each quote once")


def edit_form(document: dict[str, Any], formdata: Any = None) -> FlaskForm:
    """One headline box and one quote list per principle, named after the principle's id."""
    attrs: dict[str, Any] = {}
    data: dict[str, Any] = {}
    for principle in document["principles"]:
        pid = principle["id"]
        attrs[f"headline__{pid}"] = TextAreaField(
            f"Headline for {principle.get('number') and 'principle ' + str(principle['number']) or pid}",
            validators=[InputRequired("Enter a headline"), Length(max=300, message="Headline must be 300 characters or fewer")])
        quotes = principle.get("quotes", []) + principle.get("quote_candidates", [])
        attrs[f"quotes__{pid}"] = SelectMultipleField(
            "Quotes to print", choices=[SelectChoice(q["id"], q["text"]) for q in quotes],
            validators=[Length(max=5, message="Choose at most 5 quotes"), _each_once])
        data[f"headline__{pid}"] = principle["headline"]
        data[f"quotes__{pid}"] = [q["id"] for q in principle.get("quotes", [])]
    return type("EditDraftForm", (FlaskForm,), attrs)(formdata=formdata, data=data)


class PublishForm(FlaskForm):
    """Publish one version's public edition as the survey's outcome (choices: the versions that may be)."""

    version = SelectField("Version to publish", coerce=int, validate_choice=True,
                          validators=[InputRequired("Choose the version to publish")])
    what_we_did = TextAreaField("What you did with the responses (optional)", validators=[
        Length(max=5000, message="What you did must be 5,000 characters or fewer")])


class UnpublishForm(FlaskForm):
    pass


class ModerateForm(FlaskForm):
    decision = RadioField("Publish this response?", choices=[
        SelectChoice("accepted", "Publish it"), SelectChoice("held", "Hold it back")],
        validators=[InputRequired("Choose whether to publish or hold this response")])
    reason = TextAreaField("Reason", validators=[
        Length(max=1000, message="The reason must be 1,000 characters or fewer")])

    def validate_reason(self, field) -> None:
        if self.decision.data == "held" and not (field.data or "").strip():
            raise ValidationError("Give the reason for holding this response")


class CompareForm(FlaskForm):
    """Choose two versions to compare (a GET form: no CSRF token needed, nothing changes)."""

    class Meta:
        csrf = False

    a = SelectField("Earlier version", coerce=int, validate_choice=True, validators=[InputRequired("Choose a version")])
    b = SelectField("Later version", coerce=int, validate_choice=True, validators=[InputRequired("Choose a version")])

    def validate_b(self, field) -> None:
        if field.data == self.a.data:
            raise ValidationError("Choose two different versions")

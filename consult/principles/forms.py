"""Staff forms for drafts: start a build; edit headlines and choose quotes (fields built per draft)."""
from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length


class BuildForm(FlaskForm):
    pass


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
            validators=[Length(max=5, message="Choose at most 5 quotes")])
        data[f"headline__{pid}"] = principle["headline"]
        data[f"quotes__{pid}"] = [q["id"] for q in principle.get("quotes", [])]
    return type("EditDraftForm", (FlaskForm,), attrs)(formdata=formdata, data=data)

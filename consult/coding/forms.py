"""Forms for the codebook, the coding screen, samples and adjudication."""
from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    DecimalField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from consult.coding.services import NAME_MAX


class ThemeForm(FlaskForm):
    name = StringField("Name", validators=[InputRequired("Enter a name for the theme"),
                                           Length(max=NAME_MAX, message=f"Theme name must be {NAME_MAX} characters or fewer")])
    parent_id = SelectField("Parent theme", coerce=int, validate_choice=False)
    description = TextAreaField("Description", validators=[Optional(), Length(max=5000)])
    inclusion = TextAreaField("Include when", validators=[Optional(), Length(max=5000)])
    exclusion = TextAreaField("Exclude when", validators=[Optional(), Length(max=5000)])
    example = TextAreaField("Example", validators=[Optional(), Length(max=5000)])


class MergeForm(FlaskForm):
    target_id = SelectField("Merge into", coerce=int, validate_choice=False,
                            validators=[InputRequired("Choose the theme to merge into")])


class SplitForm(FlaskForm):
    names = TextAreaField("New themes, one name a line",
                          validators=[InputRequired("Enter at least two names to split the theme into")])


class CodebookImportForm(FlaskForm):
    file = FileField("Codebook file (.csv or .qdc)")


class CodingForm(FlaskForm):
    """The coding screen: whole-answer codes, an optional span, a memo and a flag."""

    themes = SelectMultipleField("Codes for the whole answer", coerce=int, validate_choice=False)
    span_theme = SelectField("Code for a passage", coerce=int, validate_choice=False, validators=[Optional()])
    span_start = IntegerField("Passage starts at character", validators=[Optional(), NumberRange(min=0)])
    span_end = IntegerField("Passage ends before character", validators=[Optional(), NumberRange(min=1)])
    memo = TextAreaField("Memo", validators=[Optional(), Length(max=5000)])
    flag_reason = StringField("Flag reason", validators=[Optional(), Length(max=300)])
    go = StringField()  # which button: "save" or "next"


class RedactForm(FlaskForm):
    """Redact words the machine missed: typed (or copied) exactly, or selected in the answer (`start` set by
    the page's script to where the selection begins)."""

    words = StringField("Words to redact", validators=[InputRequired("Enter the words to redact, exactly as they are "
                                                                     "written in the answer"), Length(max=200)])
    kind = SelectField("What they are", validate_choice=False, validators=[InputRequired("Choose what the words are")])
    start = IntegerField(validators=[Optional(), NumberRange(min=0)])


class SampleForm(FlaskForm):
    question_key = SelectField("Question", validators=[InputRequired("Choose a question")], validate_choice=False)
    percent = DecimalField("Percentage of answers", places=None, validators=[
        InputRequired("Enter a percentage between 1 and 100"),
        NumberRange(min=1, max=100, message="Enter a percentage between 1 and 100")])
    coder_a = SelectField("First coder", coerce=int, validate_choice=False, validators=[InputRequired("Choose two coders")])
    coder_b = SelectField("Second coder", coerce=int, validate_choice=False, validators=[InputRequired("Choose two coders")])
    seed = IntegerField("Random seed", validators=[Optional(), NumberRange(min=0, max=2**31 - 1)])


class SuggestForm(FlaskForm):
    question_key = SelectField("Question", validators=[InputRequired("Choose a question")], validate_choice=False)


class AdjudicationForm(FlaskForm):
    themes = SelectMultipleField("Final codes", coerce=int, validate_choice=False)
    note = TextAreaField("Note (optional)", validators=[Optional(), Length(max=2000)])
    choice = RadioField("Decision", validate_choice=False)

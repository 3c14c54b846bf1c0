"""Forms for bringing evidence in: an import upload and its confirmation, and workshop notes."""
from __future__ import annotations

import hashlib
import json
from datetime import date

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, Regexp

from consult.timeutil import utcnow

CHANNEL_CHOICES = [SelectChoice("email", "Email"), SelectChoice("paper", "Paper"),
                   SelectChoice("workshop", "Workshop or event"), SelectChoice("web", "Web (an export from another tool)")]
NOTES_MAX = 20000
MAX_COLUMNS = 1000


def parse_mapping(text: str) -> dict[str, str]:
    """'column=question_key' lines (or --map values) as a dict; ValueError names a line without '='."""
    mapping = {}
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        column, equals, key = line.partition("=")
        if not equals or not column.strip():
            raise ValueError(f"'{line.strip()}' must look like column=question_key")
        mapping[column.strip()] = key.strip()
    return mapping


class ImportForm(FlaskForm):
    upload = FileField("Upload a file")
    channel = RadioField("How did these responses arrive?", choices=CHANNEL_CHOICES,
                         validators=[InputRequired("Select how these responses arrived")])


class ConfirmImportForm(FlaskForm):
    """The preview's form: the kept upload's name, its channel, a select per column (read by
    `column_choices`), and a digest of the matching the preview showed, so "Import" stores only what was
    checked on screen."""

    stored = HiddenField(validators=[InputRequired(), Regexp(r"^[A-Za-z0-9_-]{20,64}$")])
    filename = HiddenField(validators=[InputRequired(), Length(max=255)])
    channel = HiddenField(validators=[InputRequired()])
    previewed = HiddenField(validators=[Optional(), Length(max=64)])


def column_choices(formdata) -> dict[str, str]:
    """Column name -> what the preview's select for it says (a target of `import_plan.column_targets`, or ""
    for not imported), in the file's order: fields column-<n>-name and column-<n>."""
    choices: dict[str, str] = {}
    for number in range(MAX_COLUMNS):
        name = formdata.get(f"column-{number}-name")
        if name is None:
            break
        choices[name[:500]] = (formdata.get(f"column-{number}") or "")[:200]
    return choices


def matching_digest(choices: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(list(choices.items()), ensure_ascii=False).encode()).hexdigest()


class WorkshopForm(FlaskForm):
    name = StringField("Event name", validators=[InputRequired("Enter the event name"),
                                                 Length(max=200, message="Event name must be 200 characters or fewer")])
    place = StringField("Place", validators=[InputRequired("Enter where the event took place"),
                                             Length(max=200, message="Place must be 200 characters or fewer")])
    held_on_day = StringField("Day")
    held_on_month = StringField("Month")
    held_on_year = StringField("Year")
    attendee_types = SelectMultipleField("Who attended? (optional)")
    notes = TextAreaField("Notes", validators=[
        InputRequired("Enter the notes from the event"),
        Length(max=NOTES_MAX, message=f"Notes must be {NOTES_MAX:,} characters or fewer")])
    question = SelectField("Which question do the notes respond to?",
                           validators=[InputRequired("Select the question the notes respond to")])

    held_on: date | None = None

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        return self._check_date() and valid

    def _check_date(self) -> bool:
        """GOV.UK date input rules: one message, on the first part that needs fixing."""
        parts = {"day": self.held_on_day, "month": self.held_on_month, "year": self.held_on_year}
        raw = {name: (field.data or "").strip() for name, field in parts.items()}
        missing = [name for name, value in raw.items() if not value]
        if len(missing) == 3:
            return self._date_error(parts["day"], "Enter the date of the event")
        if missing:
            return self._date_error(parts[missing[0]], f"Date of the event must include a {' and '.join(missing)}")
        if not all(value.isdigit() for value in raw.values()):
            first = next(name for name, value in raw.items() if not value.isdigit())
            return self._date_error(parts[first], "Date of the event must be a real date")
        if len(raw["year"]) != 4:
            return self._date_error(parts["year"], "Year must include 4 numbers")
        try:
            held_on = date(int(raw["year"]), int(raw["month"]), int(raw["day"]))
        except ValueError:
            return self._date_error(parts["day"], "Date of the event must be a real date")
        if held_on > utcnow().date():
            return self._date_error(parts["day"], "Date of the event must be today or in the past")
        self.held_on = held_on
        return True

    @staticmethod
    def _date_error(field, message: str) -> bool:
        field.errors = list(field.errors) + [message]
        return False

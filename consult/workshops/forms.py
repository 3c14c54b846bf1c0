"""Staff forms for planning a workshop and acting on it, and the invitee's yes or no."""
from __future__ import annotations

import re
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL, InputRequired, Length, NumberRange, Optional, ValidationError

from consult.interchange.forms import NOTES_MAX

DATE = re.compile(r"^\s*(\d{1,2})[/ .-](\d{1,2})[/ .-](\d{4})\s*$")
TIME = re.compile(r"^\s*([01]?\d|2[0-3])[:.]([0-5]\d)\s*$")


class EventForm(FlaskForm):
    name = StringField("Event name", validators=[InputRequired("Enter the event name"),
                                                 Length(max=200, message="Event name must be 200 characters or fewer")])
    day = StringField("Date", validators=[InputRequired("Enter the date of the event, like 27/3/2027")])
    start = StringField("Start time", validators=[InputRequired("Enter the start time, like 14:30")])
    place = StringField("Place", validators=[InputRequired("Enter where the event takes place, or Online"),
                                             Length(max=200, message="Place must be 200 characters or fewer")])
    online_link = StringField("Online meeting link (optional)", validators=[
        Optional(), URL(message="Enter the meeting link in full, starting with https://"), Length(max=500)])
    capacity = IntegerField("Number of places (optional)", validators=[
        Optional(), NumberRange(min=1, max=10000, message="Enter a number of places from 1 to 10,000")])

    def validate_day(self, field) -> None:
        match = DATE.match(field.data or "")
        try:
            self.on = date(int(match[3]), int(match[2]), int(match[1])) if match else None
        except ValueError:
            self.on = None
        if self.on is None:
            raise ValidationError("Enter a real date, like 27/3/2027")

    def validate_start(self, field) -> None:
        match = TIME.match(field.data or "")
        if not match:
            raise ValidationError("Enter the start time as hours and minutes, like 14:30")
        self.at = time(int(match[1]), int(match[2]))

    def starts_at(self, zone: str) -> datetime:
        """The start as naive UTC, from the date and time given in the survey's time zone."""
        local = datetime.combine(self.on, self.at, tzinfo=ZoneInfo(zone))
        return local.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


class ActionForm(FlaskForm):
    """A button that changes something (invite, remind, cancel): a CSRF token and nothing else."""


class NotesForm(FlaskForm):
    notes = TextAreaField("Notes", validators=[
        InputRequired("Enter the notes from the event"),
        Length(max=NOTES_MAX, message=f"Notes must be {NOTES_MAX:,} characters or fewer")])
    question = SelectField("Which question do the notes respond to?",
                           validators=[InputRequired("Select the question the notes respond to")])


class ReplyForm(FlaskForm):
    coming = RadioField(_l("Can you come?"), choices=[
        SelectChoice("yes", _l("Yes, I can come")), SelectChoice("no", _l("No, I cannot come"))],
        validators=[InputRequired(_l("Select yes if you can come, or no if you cannot"))])

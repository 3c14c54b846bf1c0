"""What the respondents' forms accept as text, the same way in the browser and on the server.

A line break counts as one character: browsers send CRLF but count LF, so text is stored with LF and
measured after that (static/js/enhance.js counts code points of the same text). Invisible control
characters (NUL and the like, which PostgreSQL cannot store in text) are refused with a message and
removed from the re-shown answer, so one more press of the button sends clean text.
"""
from __future__ import annotations

import re
from typing import Any

from wtforms.validators import ValidationError

from consult.i18n import N_
from consult.i18n import gettext as _

# C0 and C1 control characters and DEL, except tab, line feed and carriage return.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
CONTROL_MESSAGE = N_("Your answer contained invisible characters that cannot be saved. We have removed them: "
                   "check your answer and continue")


def normalise_newlines(value: Any) -> Any:
    """CRLF and lone CR as LF, so a line break is one character however the browser sent it."""
    return value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else value


def strip_controls(value: str) -> str:
    return CONTROL.sub("", value)


def no_control_characters(_form, field) -> None:
    """Refuse text holding control characters, leaving it cleaned in the field for the re-shown page."""
    if isinstance(field.data, str) and CONTROL.search(field.data):
        field.data = strip_controls(field.data)
        raise ValidationError(_(CONTROL_MESSAGE))


TEXT_FILTERS = (normalise_newlines,)

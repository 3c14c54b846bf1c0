"""Forms on the public survey pages shared by every step of the journey."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField


class HoneypotForm(FlaskForm):
    """Carries a field people never see (hidden by CSS); bots that fill every input give themselves away."""

    website = StringField(_l("Leave this field empty"))

    def is_bot(self) -> bool:
        return bool(self.website.data)


class StartForm(HoneypotForm):
    """The start page's button: begins (or carries on) a response."""

"""Invitees' emails, composed when sent, in the invitee's language, to the address their response holds then
(none once it is deleted: the message is cancelled)."""
from __future__ import annotations

from typing import Any

from flask import render_template
from flask_babel import gettext as _

from consult.extensions import db
from consult.mail.services import Composed, composer
from consult.responses.consent import contact_email
from consult.surveys.models import Survey
from consult.workshops.models import Invitation

SUBJECTS = {
    "invitation": lambda event: _("Invitation: %(name)s", name=event.name),
    "reminder": lambda event: _("Reminder: %(name)s", name=event.name),
    "place_offered": lambda event: _("A place is free for you: %(name)s", name=event.name),
    "cancelled": lambda event: _("Cancelled: %(name)s", name=event.name),
}


def _compose(what: str, params: dict[str, Any]) -> Composed | None:
    invitation = db.session.get(Invitation, params["invitation_id"])
    if invitation is None:  # the response was erased
        return None
    survey = db.session.get(Survey, invitation.event.survey_id)
    address = contact_email(invitation.response_id, survey)
    if address is None:
        return None
    return Composed(subject=SUBJECTS[what](invitation.event), to=address,
                    text=render_template(f"emails/workshop_{what}.txt", survey=survey, event=invitation.event,
                                         invitation=invitation, link=params.get("link")))


@composer("workshops.invitation")
def invitation(params):
    return _compose("invitation", params)


@composer("workshops.reminder")
def reminder(params):
    return _compose("reminder", params)


@composer("workshops.place_offered")
def place_offered(params):
    return _compose("place_offered", params)


@composer("workshops.cancelled")
def cancelled(params):
    return _compose("cancelled", params)

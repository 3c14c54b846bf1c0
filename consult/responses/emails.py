"""The respondents' emails, composed when the mail job sends them (in the language they were asked in):
a confirmation with the reference and the receipt PDF, and a resume code."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import render_template
from flask_babel import gettext as _

from consult.extensions import db
from consult.mail.services import Composed, composer
from consult.responses import receipts
from consult.surveys.models import Survey


@composer("responses.confirmation")
def confirmation(params: dict[str, Any]) -> Composed | None:
    """Nothing to send when the response has gone (erased before the email left)."""
    response = receipts.find_response(params["reference"])
    if response is None:
        return None
    survey = response.survey
    context = receipts.receipt_context(survey, response)
    return Composed(
        subject=_("Your response to %(title)s: %(reference)s", title=survey.shown_title, reference=response.reference),
        text=render_template("emails/confirmation.txt", **context),
        attachments=[(f"{response.reference}.pdf", "application/pdf", receipts.receipt_pdf(survey, response))])


@composer("responses.resume_code")
def resume_code(params: dict[str, Any]) -> Composed | None:
    survey = db.session.get(Survey, params["survey_id"])
    if survey is None:
        return None
    return Composed(subject=_("Your resume code for %(title)s", title=survey.shown_title),
                    text=render_template("emails/resume_code.txt", survey=survey, code=params["code"],
                                         resume_url=params["resume_url"],
                                         expires=datetime.fromisoformat(params["expires_at"])))

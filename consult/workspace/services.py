"""Writes from the workspace: erasing a response at its respondent's request."""
from __future__ import annotations

import logging

from flask import current_app
from sqlalchemy import delete, select

from consult.auth import services as auth
from consult.coding.models import (
    Adjudication,
    AnswerNote,
    AnswerReview,
    CodeAssignment,
    SampleItem,
)
from consult.extensions import db
from consult.redaction.services import erase_answers
from consult.responses.models import Answer, AnswerOption, Response
from consult.responses.signals import response_erased

log = logging.getLogger(__name__)


def erase_response(response: Response) -> str:
    """Delete the response with its answers, chosen options, codes, reviews, notes, sample places and
    adjudications and redactions, then announce it (`response_erased`) so that the parts downstream remove what they hold.

    Logs "response.erased" with the reference only (no answer text or respondent facts) and commits.
    Returns the reference so the caller can confirm it.
    """
    reference, response_id, survey_id = response.reference, response.id, response.survey_id
    erased_answers = list(db.session.scalars(select(Answer.id).where(Answer.response_id == response.id)))
    answer_ids = select(Answer.id).where(Answer.response_id == response.id).scalar_subquery()
    for model in (CodeAssignment, AnswerReview, AnswerNote, SampleItem, Adjudication, AnswerOption):
        db.session.execute(delete(model).where(model.answer_id.in_(answer_ids)))
    erase_answers(answer_ids)
    db.session.execute(delete(Answer).where(Answer.response_id == response.id))
    auth.record("response.erased", response, {"reference": reference})
    db.session.execute(delete(Response).where(Response.id == response.id))
    db.session.commit()
    response_erased.send(current_app._get_current_object(), survey_id=survey_id, response_id=response_id,
                         reference=reference, answer_ids=erased_answers)
    return reference

"""Erasing a response at a respondent's request: everything about it goes; the audit log keeps the reference."""
from __future__ import annotations

from sqlalchemy import delete, select

from consult.auth import services as auth
from consult.coding.models import Adjudication, AnswerNote, CodeAssignment, SampleItem
from consult.extensions import db
from consult.responses.models import Answer, AnswerOption, Response


def erase_response(response: Response) -> str:
    """Delete the response with its answers, chosen options, codes, notes, sample places and adjudications.

    Logs "response.erased" with the reference only (no answer text or respondent facts) and commits.
    Returns the reference so the caller can confirm it.
    """
    reference = response.reference
    answer_ids = select(Answer.id).where(Answer.response_id == response.id).scalar_subquery()
    for model in (CodeAssignment, AnswerNote, SampleItem, Adjudication, AnswerOption):
        db.session.execute(delete(model).where(model.answer_id.in_(answer_ids)))
    db.session.execute(delete(Answer).where(Answer.response_id == response.id))
    auth.record("response.erased", response, {"reference": reference})
    db.session.execute(delete(Response).where(Response.id == response.id))
    db.session.commit()
    return reference

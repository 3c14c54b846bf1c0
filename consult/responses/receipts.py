"""The respondent's receipt: their reference and answers, as a page and as a tagged PDF."""
from __future__ import annotations

from flask import abort, render_template, session
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from consult.extensions import db
from consult.responses.models import Answer, Response
from consult.surveys.kinds import kind_of
from consult.surveys.models import Survey
from consult.weasy import render_pdf


def own_response(survey: Survey, reference: str) -> Response:
    """The response, but only for the browser that submitted it: receipts hold personal answers."""
    if reference not in session.get("receipts", []):
        abort(404)
    response = db.session.scalar(
        select(Response).where(Response.reference == reference, Response.survey_id == survey.id)
        .options(selectinload(Response.answers).selectinload(Answer.question)))
    if response is None:
        abort(404)
    return response


def receipt_context(survey: Survey, response: Response) -> dict:
    answers = sorted(response.answers, key=lambda a: a.question.position)
    rows = [{"section": a.question.page.section, "question": a.question, "page": a.question.page.position,
             "lines": kind_of(a.question).summary(a.question, {"value": a.value, "text": a.text})}
            for a in answers]
    return {"survey": survey, "response": response, "rows": rows}


def receipt_pdf(survey: Survey, response: Response) -> bytes:
    html = render_template("responses/receipt_pdf.html", **receipt_context(survey, response))
    return render_pdf(html)

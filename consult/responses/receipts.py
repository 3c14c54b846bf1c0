"""The respondent's receipt: their reference and answers, as a page and as a tagged PDF."""
from __future__ import annotations

from flask import abort, render_template, session
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from consult.extensions import db
from consult.responses.models import Answer, Response
from consult.surveys.kinds import kind_of
from consult.surveys.languages import page_in, question_in
from consult.surveys.models import Survey
from consult.weasy import render_pdf


def find_response(reference: str, survey_id: int | None = None, *, answers: bool = True) -> Response | None:
    """The response with this reference (of this survey), with `answers`: its answers and questions loaded."""
    query = select(Response).where(Response.reference == reference)
    if survey_id is not None:
        query = query.where(Response.survey_id == survey_id)
    if answers:
        query = query.options(selectinload(Response.answers).selectinload(Answer.question))
    return db.session.scalar(query)


def own_response(survey: Survey, reference: str, *, answers: bool = True) -> Response:
    """The response, but only for the browser that submitted it: receipts hold personal answers. Without
    `answers`, they are not loaded (the confirmation page shows only the reference)."""
    if reference not in session.get("receipts", []):
        abort(404)
    response = find_response(reference, survey.id, answers=answers)
    if response is None:
        abort(404)
    return response


def receipt_context(survey: Survey, response: Response) -> dict:
    """The receipt's rows, in the language of the page (or email) being made."""
    answers = sorted(response.answers, key=lambda a: a.question.position)
    rows = []
    for a in answers:
        shown = question_in(a.question)
        rows.append({"section": page_in(a.question.page).section, "question": shown,
                     "page": a.question.page.position,
                     "lines": kind_of(a.question).summary(shown, {"value": a.value, "text": a.text})})
    return {"survey": survey, "response": response, "rows": rows}


def receipt_pdf(survey: Survey, response: Response) -> bytes:
    html = render_template("responses/receipt_pdf.html", **receipt_context(survey, response))
    return render_pdf(html)

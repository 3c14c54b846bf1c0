"""Workshop and engagement-event notes typed in by staff: stored as a response, so they are coded like any answer."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from consult.extensions import db
from consult.responses.models import Response, WorkshopEvent
from consult.responses.services import build_response
from consult.surveys.models import Question, Survey


def notes_questions(survey: Survey) -> list[Question]:
    """The long-text questions notes can answer, in survey order."""
    return [q for q in survey.current_version.questions if q.kind == "long_text"]


def default_notes_question(survey: Survey) -> Question | None:
    """The last long-text question ('anything else?' in most surveys)."""
    questions = notes_questions(survey)
    return questions[-1] if questions else None


def attendee_choices(survey: Survey) -> list[tuple[str, str]]:
    """The respondent types the survey offers (its respondent_type question's choices), as (value, label)."""
    from consult.surveys.kinds import kind_of

    question = next((q for q in survey.current_version.questions if q.role == "respondent_type"), None)
    return kind_of(question).options(question) if question else []


def add_workshop(survey: Survey, *, name: str, place: str, held_on: date, attendee_types: list[str], notes: str,
                 question: Question, user=None) -> tuple[WorkshopEvent, Response]:
    """Record an event and its notes as a workshop-channel response answering `question`."""
    from consult.auth.services import record

    if question.version_id != survey.current_version.id or question.kind != "long_text":
        raise ValueError("Notes must answer a long-text question of the survey's current version")
    event = WorkshopEvent(survey_id=survey.id, name=name.strip(), place=place.strip(), held_on=held_on,
                          attendee_types=list(attendee_types), created_by=user.id if user else None)
    db.session.add(event)
    db.session.flush()
    response = build_response(survey.current_version, {question: {"value": None, "text": notes.strip()}},
                              channel="workshop")
    response.workshop_id = event.id
    db.session.add(response)
    db.session.flush()
    record("workshop.added", event, {"survey": survey.slug, "name": event.name, "held_on": held_on.isoformat(),
                                     "response": response.reference, "question": question.key}, by=user)
    db.session.commit()
    return event, response


def list_workshops(survey: Survey) -> list[tuple[WorkshopEvent, int | None, str | None]]:
    """Events newest first, each with the id and reference of the response holding its notes."""
    rows = db.session.execute(
        select(WorkshopEvent, Response.id, Response.reference)
        .outerjoin(Response, Response.workshop_id == WorkshopEvent.id)
        .where(WorkshopEvent.survey_id == survey.id).order_by(WorkshopEvent.held_on.desc(), WorkshopEvent.id.desc()))
    return [(event, response_id, reference) for event, response_id, reference in rows]

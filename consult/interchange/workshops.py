"""Workshop and engagement-event notes typed in by staff: stored as a response, so they are coded like any answer."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select

from consult.extensions import db
from consult.responses.models import ImportBatch, Response, WorkshopEvent
from consult.responses.submission import build_response
from consult.surveys.models import Question, Survey


SHOWN = 200  # responses listed on the page; the response list, filtered by channel, shows every one


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
    event = WorkshopEvent(survey_id=survey.id, name=name.strip(), place=place.strip(), held_on=held_on,
                          attendee_types=list(attendee_types), created_by=user.id if user else None)
    db.session.add(event)
    db.session.flush()
    return event, add_notes(survey, event, notes=notes, question=question, user=user)


def add_notes(survey: Survey, event: WorkshopEvent, *, notes: str, question: Question, user=None) -> Response:
    """Store notes from an event (typed in here, or planned with invitations) as a workshop-channel response
    answering `question`, linked to the event."""
    from consult.auth.services import record

    if question.version_id != survey.current_version.id or question.kind != "long_text":
        raise ValueError("Notes must answer a long-text question of the survey's current version")
    response = build_response(survey.current_version, {question: {"value": None, "text": notes.strip()}},
                              channel="workshop")
    response.workshop_id = event.id
    db.session.add(response)
    db.session.flush()
    record("workshop.added", event, {"survey": survey.slug, "name": event.name,
                                     "held_on": event.held_on.isoformat(), "response": response.reference,
                                     "question": question.key}, by=user)
    db.session.commit()
    return response


@dataclass(frozen=True)
class WorkshopResponse:
    """A workshop-channel response: notes typed in here (with their event) or imported from a file."""

    response_id: int
    reference: str
    received: datetime
    event: WorkshopEvent | None
    imported_from: str | None  # the import file's name


def workshop_responses(survey: Survey, limit: int = SHOWN) -> tuple[int, list[WorkshopResponse]]:
    """How many responses arrived by the workshop channel (the overview's count) and the newest `limit`
    of them, each with its event when staff typed the notes in, or the file it was imported from."""
    workshop = [Response.survey_id == survey.id, Response.channel == "workshop"]
    total = db.session.scalar(select(func.count()).select_from(Response).where(*workshop)) or 0
    rows = db.session.execute(
        select(Response.id, Response.reference, Response.submitted_at, WorkshopEvent, ImportBatch.filename)
        .outerjoin(WorkshopEvent, WorkshopEvent.id == Response.workshop_id)
        .outerjoin(ImportBatch, ImportBatch.id == Response.import_batch_id)
        .where(*workshop).order_by(Response.submitted_at.desc(), Response.id.desc()).limit(limit))
    return total, [WorkshopResponse(*row) for row in rows]

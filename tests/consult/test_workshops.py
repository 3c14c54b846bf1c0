"""Workshop notes typed in by staff: stored as a workshop-channel response, coded like any answer."""
from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from consult.auth.models import AuditEvent
from consult.coding.final import final_codes
from consult.coding.models import CodeAssignment, Coder, Theme
from consult.extensions import db
from consult.interchange.exporting import export
from consult.responses.models import Response, WorkshopEvent
from consult.surveys.services import load_definition
from consult.timeutil import utcnow

URL = "/workspace/keep-it-local/workshops"
NOTES = "Table 1 said contracts are too big.\n\nTable 2: pay invoices on time."


@pytest.fixture
def survey(app, kil_definition):
    return load_definition(kil_definition, open_survey=True).survey


def form(**changes):
    data = {"name": "Leeds commissioning workshop", "place": "Leeds Civic Hall", "held_on_day": "3",
            "held_on_month": "11", "held_on_year": "2026", "attendee_types": ["commissioner", "charity"],
            "notes": NOTES, "question": "anything_else"}
    data.update(changes)
    return data


def test_staff_add_notes_that_become_a_codable_answer(survey, client, login):
    user = login("staff")
    page = client.get(URL).get_data(as_text=True)
    assert '<option value="anything_else" selected>' in page and "No workshop notes yet." in page
    assert 'value="councillor"' in page  # attendee types come from the respondent_type question
    response = client.post(URL, data=form())
    assert response.status_code == 302
    event = db.session.scalar(select(WorkshopEvent))
    assert (event.name, event.place, event.held_on.isoformat()) == ("Leeds commissioning workshop", "Leeds Civic Hall", "2026-11-03")
    assert event.attendee_types == ["commissioner", "charity"] and event.created_by == user.id
    stored = db.session.scalar(select(Response).where(Response.workshop_id == event.id))
    assert stored.channel == "workshop" and stored.version_id == survey.current_version.id
    [answer] = stored.answers
    assert answer.question.key == "anything_else" and answer.text == NOTES and answer.value is None
    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "workshop.added"))
    assert audit.user_id == user.id and audit.detail["response"] == stored.reference
    listing = client.get(response.location).get_data(as_text=True)
    assert "3 November 2026" in listing and "Commissioner" in listing
    assert f'/workspace/keep-it-local/responses/{stored.id}">{stored.reference}</a>' in listing

    # Coded like any answer: a person's code is its final code, and exports carry it.
    coder_user = user
    coder = Coder(kind="person", user_id=coder_user.id, name="Staff coder")
    theme = Theme(survey_id=survey.id, name="Contract size")
    db.session.add_all([coder, theme])
    db.session.flush()
    db.session.add(CodeAssignment(answer_id=answer.id, coder_id=coder.id, theme_id=theme.id, status="applied"))
    db.session.commit()
    assert final_codes([answer.id]) == {answer.id: [theme.id]}
    out = io.BytesIO()
    export(survey, "jsonl", out)
    record = json.loads(out.getvalue())
    assert record["channel"] == "workshop" and record["workshop"]["place"] == "Leeds Civic Hall"
    assert record["answers"]["anything_else"]["final_codes"] == ["Contract size"]


ERROR_CASES = [
    ({"held_on_day": "", "held_on_month": "", "held_on_year": ""}, "Enter the date of the event"),
    ({"held_on_month": ""}, "Date of the event must include a month"),
    ({"held_on_day": "", "held_on_year": ""}, "Date of the event must include a day and year"),
    ({"held_on_day": "31", "held_on_month": "2"}, "Date of the event must be a real date"),
    ({"held_on_month": "Nov"}, "Date of the event must be a real date"),
    ({"held_on_year": "26"}, "Year must include 4 numbers"),
    ({"name": "", "notes": ""}, "Enter the event name"),
    ({"question": "respondent_type"}, "Not a valid choice"),
]


def test_form_errors_are_clear_and_nothing_is_stored(survey, client, login):
    login("staff")  # one sign-in for every case: password hashing is slow on purpose
    tomorrow = utcnow().date() + timedelta(days=1)
    future = ({"held_on_day": str(tomorrow.day), "held_on_month": str(tomorrow.month),
               "held_on_year": str(tomorrow.year)}, "Date of the event must be today or in the past")
    for changes, message in ERROR_CASES + [future]:
        page = client.post(URL, data=form(**changes))
        html = page.get_data(as_text=True)
        assert page.status_code == 400 and message in html and "There is a problem" in html, changes
    assert db.session.scalar(select(WorkshopEvent)) is None and db.session.scalar(select(Response)) is None


def test_signed_out_visitors_are_sent_to_sign_in(survey, client):
    assert client.get(URL).location.startswith("/login")

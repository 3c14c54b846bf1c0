"""Hostile and broken input on the respondents' pages (issue 14): control characters, line breaks counted as
the browser counts them, and a database that refuses writes (disk full, read-only)."""
from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy import event

from consult.extensions import db
from consult.responses.models import Answer, Draft, Response
from consult.surveys.textinput import CONTROL_MESSAGE
from tests.consult.test_question_kinds import URL, post, walk_to_check
from tests.consult.test_submit import token_from
from tests.factories import make_survey


@pytest.fixture
def started(client):
    make_survey()
    client.post(f"{URL}/start")
    post(client, 1, {"capacity": "organisation"})
    return client


@pytest.mark.parametrize("number, data, field", [
    (4, {"story": "We run\x00 a lunch club."}, "story"),
    (2, {"org_name": "Hilltop\x00\x1b Trust"}, "org_name"),
    (3, {"barriers": ["other"], "barriers__other": "No\x00 one replies"}, "barriers__other"),
    (12, {"email": "sam\x00@example.org"}, "email"),
])
def test_control_characters_are_refused_with_a_message_and_removed_from_the_answer(started, number, data, field):
    if number == 12:
        post(started, 11, {"contact": "yes"})
    response = post(started, number, data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'<a href="#{field}">{CONTROL_MESSAGE}</a>' in page
    cleaned = data[field].replace("\x00", "").replace("\x1b", "")
    assert cleaned in page and "\x00" not in page
    assert post(started, number, {**data, field: cleaned}).status_code == 302  # one more press sends it


def test_a_response_typed_with_a_nul_byte_is_stored_on_every_database(started):
    assert post(started, 4, {"story": "Lunch\x00 club"}).status_code == 400
    # Saved for later as typed: kept without the NUL, so submitting later cannot fail.
    assert post(started, 4, {"story": "Lunch\x00 club", "action": "save"}).status_code == 303
    assert db.session.scalar(db.select(Draft.unsaved)) == {"4": {"story": ["Lunch club"]}}
    check = walk_to_check(started, {4: {"story": "Lunch club"}})
    sent = started.post(f"{URL}/submit", data={"submission_token": token_from(check.get_data(as_text=True))})
    assert sent.status_code == 303
    assert "Lunch club" in {a.text for a in db.session.scalars(db.select(Answer))}


def test_a_line_break_counts_as_one_character_as_in_the_browser(started):
    # The story allows 50 characters: 40 letters and 10 line breaks, which browsers send as CRLF.
    text = "\r\n".join(["xxxx"] * 10) + "\r\n"
    assert len(text.replace("\r\n", "\n")) == 50
    assert post(started, 4, {"story": text}).status_code == 302
    assert db.session.scalar(db.select(Draft.answers))["story"]["text"] == text.replace("\r\n", "\n").strip()
    page = post(started, 4, {"story": text + "x"}).get_data(as_text=True)
    assert "Your answer must be 50 characters or fewer" in page


@contextmanager
def refusing_writes():
    """Every new connection refuses writes, as a read-only database does (or one on a full disk)."""
    engine = db.engine
    if engine.dialect.name == "sqlite":
        def read_only(dbapi_connection, _record):
            dbapi_connection.execute("PRAGMA query_only=ON")
        name = "connect"
    else:
        def read_only(_dialect, _record, _args, params):
            params["options"] = "-c default_transaction_read_only=on"
        name = "do_connect"
    db.session.rollback()  # hands its connection back to the pool, which is then emptied
    engine.dispose()
    event.listen(engine, name, read_only)
    try:
        yield
    finally:
        event.remove(engine, name, read_only)
        db.session.rollback()
        engine.dispose()


def test_when_the_database_refuses_writes_the_typed_answer_stays_and_health_says_so(app, started):
    app.config["HEALTHZ_WRITE_CHECK_SECONDS"] = 0
    assert started.get("/healthz").get_data(as_text=True) == "ok"
    typed = "Our lunch club feeds forty people every week."
    with refusing_writes():
        response = post(started, 4, {"story": typed})
        page = response.get_data(as_text=True)
        assert response.status_code == 503
        assert "Your answers have not been saved" in page and typed in page
        assert "What you entered is still on this page" in page

        response = post(started, 4, {"story": typed, "action": "save"})  # "Save and come back later"
        page = response.get_data(as_text=True)
        assert response.status_code == 503 and typed in page
        assert "could not save the answers on this page or give you a resume code" in page
        assert 'class="kil-reference"' not in started.get(f"{URL}/save").get_data(as_text=True)

        health = started.get("/healthz")
        assert health.status_code == 503 and health.get_data(as_text=True) == "database unwritable"
    assert started.get("/healthz").get_data(as_text=True) == "ok"
    assert post(started, 4, {"story": typed}).status_code == 302


def test_when_the_database_refuses_writes_sending_says_so_and_keeps_the_draft(app, started):
    token = token_from(walk_to_check(started).get_data(as_text=True))
    with refusing_writes():
        response = started.post(f"{URL}/submit", data={"submission_token": token})
        assert response.status_code == 503
        page = response.get_data(as_text=True)
        assert "could not save your response" in page and "Check your answers" in page
        assert "Accept and send" in page
    assert db.session.scalar(db.select(db.func.count()).select_from(Response)) == 0
    assert started.post(f"{URL}/submit", data={"submission_token": token}).status_code == 303

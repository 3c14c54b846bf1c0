"""Save and resume, draft expiry, and the survey's closing date."""
from __future__ import annotations

import re
from datetime import timedelta

from consult.extensions import db
from consult.responses import resume_codes, services
from consult.responses.models import Draft, Response
from consult.surveys.models import SurveyState
from consult.surveys.services import change_state
from consult.timeutil import utcnow
from tests.consult.test_question_kinds import URL, post
from tests.factories import make_survey


def resume_code(page: str) -> str:
    return re.search(r'class="kil-reference">([0-9A-Z-]+)<', page).group(1)


def test_save_and_resume_on_another_device(app, client):
    make_survey()
    client.post(f"{URL}/start")
    post(client, 1, {"capacity": "organisation"})
    saved = client.post(f"{URL}/page/2", data={"org_name": "Hilltop Trust", "action": "save"})
    assert saved.status_code == 303 and saved.location.endswith("/save")
    page = client.get(f"{URL}/save").get_data(as_text=True)
    code = resume_code(page)
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", code)
    assert resume_code(client.get(f"{URL}/save").get_data(as_text=True)) == code  # a refresh shows the same code
    assert db.session.scalar(db.select(Draft.resume_hash)) != code  # only a hash is stored

    other = app.test_client()
    assert other.get(f"{URL}/page/3").status_code == 302  # no draft in this browser
    resumed = other.post(f"{URL}/resume", data={"code": code.lower().replace("-", " ")})
    assert resumed.status_code == 302 and resumed.location.endswith("/page/3")  # the page after the one saved
    assert 'value="Hilltop Trust"' in other.get(f"{URL}/page/2").get_data(as_text=True)
    # The original browser's session token was replaced, so only the resumed browser holds the draft.
    assert client.get(f"{URL}/page/2").status_code == 302


def test_a_wrong_resume_code_is_refused_with_a_message(client):
    make_survey()
    page = client.post(f"{URL}/resume", data={"code": "AAAA-BBBB-CCCC"})
    assert page.status_code == 400
    assert "That code does not match saved answers" in page.get_data(as_text=True)
    assert "Enter the resume code you were given" in client.post(f"{URL}/resume", data={}).get_data(as_text=True)


def test_issuing_a_new_code_retires_the_old_one(app):
    survey = make_survey()
    draft = services.start_draft(survey)
    first = resume_codes.issue_resume_code(draft)
    second = resume_codes.issue_resume_code(draft)
    assert resume_codes.resume(survey, first) is None
    assert resume_codes.resume(survey, second).id == draft.id


def test_codes_forgive_case_spaces_and_lookalike_letters():
    assert resume_codes.normalise_code("ab1o cdil-efgh") == "AB10-CD11-EFGH"


def test_drafts_expire_and_are_purged(app, client):
    survey = make_survey()
    app.config["DRAFT_TTL_DAYS"] = 7
    draft = services.start_draft(survey)
    code = resume_codes.issue_resume_code(draft)
    assert draft.expires_at - draft.created_at == timedelta(days=7)
    later = utcnow() + timedelta(days=8)
    assert resume_codes.resume(survey, code, now=later) is None
    assert services.find_draft(survey, draft.token, now=later) is None
    assert services.purge_expired_drafts(now=utcnow()) == 0
    assert services.purge_expired_drafts(now=later) == 1
    assert db.session.scalar(db.select(db.func.count()).select_from(Draft)) == 0


def test_starts_purge_expired_drafts_at_most_once_a_minute_per_process(app, monkeypatch):
    survey = make_survey()

    def expired_draft() -> Draft:
        draft = services.start_draft(survey)
        draft.expires_at = utcnow() - timedelta(days=1)
        db.session.commit()
        return draft

    expired_draft()
    monkeypatch.setattr(services, "_last_purge", [float("-inf")])
    assert services.purge_expired_drafts_at_most_every(60) == 1
    second = expired_draft().id
    assert services.purge_expired_drafts_at_most_every(60) == 0  # within the minute: left for the next purge
    assert db.session.scalar(db.select(db.func.count()).select_from(Draft)) == 1
    assert services.purge_expired_drafts_at_most_every(0) == 1
    assert db.session.get(Draft, second) is None


def test_saving_a_page_extends_the_draft(app):
    survey = make_survey(opens_days=-60)
    draft = services.start_draft(survey, now=utcnow() - timedelta(days=20))
    page = survey.current_version.pages[0]
    services.save_page(draft, page, {"capacity": {"value": "individual", "text": None}})
    assert draft.expires_at > utcnow() + timedelta(days=29)


def test_purge_command(runner, app):
    survey = make_survey()
    draft = services.start_draft(survey)
    draft.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    result = runner.invoke(args=["drafts", "purge"])
    assert "Deleted 1 expired drafts." in result.output


def test_closed_survey_accepts_nothing_drafts_included(app, client):
    survey = make_survey()
    client.post(f"{URL}/start")
    post(client, 1, {"capacity": "individual"})
    code = resume_code(client.post(f"{URL}/save", follow_redirects=True).get_data(as_text=True))
    change_state(survey, SurveyState.CLOSED)
    start = client.get(f"{URL}/").get_data(as_text=True)
    assert "It is no longer accepting responses" in start and "Start now" not in start
    for response in (client.post(f"{URL}/start"), client.get(f"{URL}/page/1"), client.post(f"{URL}/page/1", data={"capacity": "individual"}),
                     client.get(f"{URL}/check"), client.post(f"{URL}/resume", data={"code": code}),
                     client.post(f"{URL}/save")):
        assert response.status_code == 403
        assert "This consultation has closed" in response.get_data(as_text=True)


def test_survey_closes_at_its_closing_date(app, client):
    survey = make_survey(closes_days=30)
    draft = services.start_draft(survey)
    survey.closes_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert survey.status() == "closed"
    client.post(f"{URL}/start")
    assert client.post(f"{URL}/submit", data={"submission_token": draft.submission_token}).status_code == 403
    assert db.session.scalar(db.select(db.func.count()).select_from(Response)) == 0


def test_survey_not_yet_open(app, client):
    make_survey(opens_days=2, closes_days=30)
    assert "This consultation opens on" in client.get(f"{URL}/").get_data(as_text=True)
    assert client.post(f"{URL}/start").status_code == 403


def test_draft_survey_is_not_public(app, client):
    make_survey(open_survey=False)
    assert client.get(f"{URL}/").status_code == 404


def test_a_page_save_changes_no_indexed_column(app, client):
    """So that PostgreSQL rewrites the draft's row in place (a HOT update), where a changed indexed column makes
    it write a new copy of the row and of every index entry, on every page of every journey."""
    from sqlalchemy import event, inspect

    make_survey()
    client.post(f"{URL}/start")
    written: set[str] = set()

    def seen(_connection, _cursor, statement, *_args) -> None:
        if statement.lstrip().upper().startswith("UPDATE RESPONSE_DRAFT SET"):
            written.update(re.findall(r"(\w+)=", statement.split(" WHERE ")[0]))

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        post(client, 1, {"capacity": "organisation"})
        client.post(f"{URL}/page/2", data={"org_name": "Hilltop Trust", "action": "continue"})
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    assert {"answers", "last_page", "updated_at", "expires_at"} <= written
    inspector = inspect(db.engine)
    indexed = {column for index in inspector.get_indexes("response_draft") for column in index["column_names"]}
    indexed |= {column for unique in inspector.get_unique_constraints("response_draft")
                for column in unique["column_names"]}
    assert indexed and not indexed & written
    if db.engine.dialect.name == "postgresql":  # room in each page for the row's next version
        assert db.session.scalar(db.text("SELECT reloptions FROM pg_class WHERE relname = 'response_draft'")) \
            == ["fillfactor=70"]

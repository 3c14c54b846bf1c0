"""Personal data kept as the privacy notice promises (issue 14): contact emails go at closing, drafts after
DRAFT_TTL_DAYS, responses the survey's set time after closing; a notice and settings that disagree cannot load."""
from __future__ import annotations

import copy
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from consult.extensions import db
from consult.jobs.models import Job
from consult.responses.consent import contactable_responses
from consult.responses.models import Answer, Draft, Response
from consult.surveys.models import SurveyState
from consult.surveys.retention import parse_period
from consult.surveys.services import DefinitionError, change_state, load_definition
from consult.timeutil import utcnow
from consult.workspace.retention import apply_periodically, apply_retention, start_if_due
from tests.factories import make_response, make_survey, survey_definition

NOTICE = ("If you start the survey but do not submit it, we delete your draft answers after 30 days. "
          "We delete contact email addresses when the consultation closes. We keep submitted responses for up "
          "to 2 years after the consultation closes. After that, we delete them.")
RETENTION = {"drafts_days": 30, "contact_emails": "at_close", "responses_after_close": "2 years"}


def promising(notice: str = NOTICE, retention: dict | None = None, **extra) -> dict:
    definition = survey_definition("kept", **extra)
    definition["introduction"]["privacy_notice"] = notice
    if retention is not None:
        definition["retention"] = retention
    return definition


def respond(survey, email: str = "someone@example.org") -> Response:
    return make_response(survey, {"capacity": {"value": "individual", "text": None},
                                  "p1": {"value": "agree", "text": None},
                                  "publish": {"value": "anonymous", "text": None},
                                  "contact": {"value": "yes", "text": None}, "email": {"value": email, "text": None}})


def emails_held(survey) -> int:
    return db.session.scalar(select(func.count()).select_from(Answer).join(Response)
                             .where(Response.survey_id == survey.id, Answer.value.is_not(None))
                             .where(Answer.question_id.in_(
                                 [q.id for q in survey.current_version.questions if q.kind == "email"])))


def test_the_shipped_survey_promises_what_its_settings_do(app, kil_definition):
    assert kil_definition["retention"] == RETENTION
    load_definition(kil_definition)


@pytest.mark.parametrize("notice, retention, message", [
    (NOTICE, None, "the privacy notice promises drafts are deleted after 30 days; set drafts_days: 30"),
    (NOTICE, RETENTION | {"drafts_days": 14}, "drafts_days is 14, but the privacy notice promises drafts are "
                                               "deleted after 30 days"),
    (NOTICE, RETENTION | {"responses_after_close": "18 months"},
     "responses_after_close is 18 months, but the privacy notice promises 2 years after the consultation closes"),
    (NOTICE, RETENTION | {"contact_emails": "kept"},
     "contact_emails is 'kept', but the privacy notice promises contact email addresses are deleted"),
    ("We keep nothing you do not give us.", RETENTION, "but the privacy notice does not tell respondents when "
                                                       "unfinished drafts are deleted"),
    (NOTICE.replace("2 years", "two years"), RETENTION | {"responses_after_close": "3 years"},
     "promises 2 years after the consultation closes"),
])
def test_a_notice_and_settings_that_disagree_cannot_load(app, notice, retention, message):
    with pytest.raises(DefinitionError) as error:
        load_definition(promising(notice, retention))
    assert message in str(error.value)


def test_the_server_must_delete_drafts_when_the_notice_says(app):
    app.config["DRAFT_TTL_DAYS"] = 7
    with pytest.raises(DefinitionError, match=r"this server deletes drafts after 7 days \(DRAFT_TTL_DAYS\)"):
        load_definition(promising(retention=RETENTION))


def test_loading_from_the_command_line_says_why(app, runner, tmp_path):
    import yaml

    path = tmp_path / "survey.yaml"
    path.write_text(yaml.safe_dump(promising(retention=RETENTION | {"drafts_days": 60})))
    result = runner.invoke(args=["surveys", "load", str(path)])
    assert result.exit_code == 1
    assert "retention/drafts_days is 60, but the privacy notice promises drafts are deleted after 30 days" in result.output


def test_periods_are_calendar_periods():
    from datetime import datetime

    assert parse_period("2 years").after(datetime(2028, 2, 29, 12)) == datetime(2030, 2, 28, 12)
    assert parse_period("18 months").after(datetime(2028, 3, 31)) == datetime(2029, 9, 30)
    assert parse_period("90 days").after(datetime(2028, 1, 1)) == datetime(2028, 3, 31)
    with pytest.raises(ValueError, match="is not a period like"):
        parse_period("forever")


def test_closing_a_survey_deletes_its_contact_emails(app):
    survey = make_survey()
    kept = make_survey("other")
    for _ in range(2):
        respond(survey)
    respond(kept)
    assert emails_held(survey) == 2 and len(db.session.scalars(contactable_responses(survey)).all()) == 2
    change_state(survey, SurveyState.CLOSED)
    assert emails_held(survey) == 0 and db.session.scalars(contactable_responses(survey)).all() == []
    assert emails_held(kept) == 1  # another survey, still open
    assert db.session.scalar(select(func.count()).select_from(Response).where(Response.survey_id == survey.id)) == 2


def test_a_survey_that_keeps_contact_emails_keeps_them(app):
    survey = make_survey(retention={"contact_emails": "kept"})
    respond(survey)
    change_state(survey, SurveyState.CLOSED)
    assert emails_held(survey) == 1


def test_applying_retention_deletes_what_is_due(app, runner):
    survey = load_definition(promising(retention=RETENTION), open_survey=True).survey
    references = [respond(survey).reference for _ in range(3)]
    stale = Draft(token="t" * 40, submission_token="s" * 40, version_id=survey.current_version.id, answers={},
                  expires_at=utcnow() - timedelta(minutes=1))
    fresh = Draft(token="u" * 40, submission_token="v" * 40, version_id=survey.current_version.id, answers={},
                  expires_at=utcnow() + timedelta(days=29))
    db.session.add_all([stale, fresh])
    db.session.commit()
    # Closing at its closing time (not by staff) deletes the emails at the next run.
    survey.closes_at = utcnow() - timedelta(days=1)
    db.session.commit()
    result = runner.invoke(args=["retention", "apply"])
    assert result.exit_code == 0, result.output
    assert "Deleted 3 contact email addresses, 0 responses past their retention period, 1 expired drafts" in result.output
    assert db.session.scalars(select(Draft.token)).all() == ["u" * 40]
    # Two years after closing, less a day: kept. The day after: every response is erased, as if asked to.
    closed = survey.closed_time
    assert apply_retention(now=closed + timedelta(days=729)).responses == 0
    report = apply_retention(now=parse_period("2 years").after(closed) + timedelta(seconds=1))
    assert report.responses == 3
    assert db.session.scalars(select(Response).where(Response.survey_id == survey.id)).all() == []
    from consult.auth.models import AuditEvent

    erased = db.session.scalars(select(AuditEvent.detail).where(AuditEvent.action == "response.erased")).all()
    assert sorted(d["reference"] for d in erased) == sorted(references)


def test_open_surveys_and_kept_responses_are_left_alone(app):
    survey = make_survey()  # no retention block: responses kept until erased
    respond(survey)
    assert apply_retention(now=utcnow() + timedelta(days=10)).emails == 0
    change_state(survey, SurveyState.CLOSED)
    assert apply_retention(now=utcnow() + timedelta(days=3650)).responses == 0
    assert db.session.scalar(select(func.count()).select_from(Response)) == 1


def test_the_job_runs_once_a_day_whichever_server_starts_it(app):
    assert start_if_due().state == "finished"  # jobs run inline in tests
    assert start_if_due() is None  # a second server process, the same day
    assert start_if_due(now=utcnow() + timedelta(hours=25)).kind == "retention"
    assert db.session.scalar(select(func.count()).select_from(Job).where(Job.kind == "retention")) == 2


def test_each_server_process_applies_retention_when_it_starts(app):
    survey = make_survey()
    respond(survey)
    survey.closes_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    survey_id = survey.id
    stop = apply_periodically(app, check=3600)
    try:
        for _ in range(200):
            db.session.remove()
            job = db.session.scalar(select(Job).where(Job.kind == "retention"))
            if job is not None and job.done:
                break
            time.sleep(0.05)
    finally:
        stop.set()
    assert job is not None and job.state == "finished", job and job.error
    assert "Deleted 1 contact email addresses" in job.result["summary"]
    assert emails_held(db.session.get(type(survey), survey_id)) == 0


def test_definitions_without_a_notice_promise_still_load(app):
    definition = copy.deepcopy(survey_definition("plain"))
    load_definition(definition)

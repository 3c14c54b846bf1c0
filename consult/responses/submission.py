"""A respondent's final submit, exactly once per submission token, and responses built from answers for any
channel (imports, workshops, the demo), announced to the parts downstream once they are stored."""
from __future__ import annotations

import logging
from datetime import datetime
from typing import Any, NamedTuple

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, InternalError, OperationalError
from sqlalchemy.orm.exc import StaleDataError

from consult.extensions import db
from consult.mail import services as mail
from consult.responses.journey import submitted_answers
from consult.responses.models import Answer, AnswerOption, Draft, Response
from consult.responses.services import SaveFailed, SurveyNotAccepting, commit_write, random_code
from consult.responses.signals import responses_stored
from consult.surveys.frozen import frozen_version
from consult.surveys.kinds import kind_of
from consult.surveys.models import Question, SurveyVersion
from consult.timeutil import utcnow

log = logging.getLogger(__name__)


def response_for_token(submission_token: str) -> Response | None:
    """The response stored with this submission token (a doubled or replayed submit), if any."""
    return db.session.scalar(select(Response).where(Response.submission_token == submission_token))


def submit(draft: Draft, submission_token: str, now: datetime | None = None, *, language: str = "en",
           copy_to: str | None = None) -> Response:
    """Turn a complete draft into a response, exactly once per submission token, recording the `language` it
    was answered in; with `copy_to`, a confirmation email (reference and receipt) is queued in the same
    transaction and sent after it.

    The response is committed before the confirmation page is shown, so an acknowledged response
    survives a crash. A doubled or replayed POST with the same token returns the first response.
    """
    now = now or utcnow()
    version = frozen_version(draft.version_id)
    if not version.survey.accepting(now):
        raise SurveyNotAccepting(version.survey.slug)
    if submission_token != draft.submission_token:
        raise ValueError("stale submission token")
    answers = _answer_rows(submitted_answers(version, draft.answers))
    for _attempt in range(5):
        response = Response(survey_id=version.survey_id, version_id=version.id, channel="web",
                            reference=f"{version.survey.reference_prefix}-{random_code(3)}", submitted_at=now,
                            submission_token=submission_token, language=language, **answers.facts)
        db.session.add(response)
        if copy_to:
            mail.queue("responses.confirmation", to=copy_to, language=language, survey_id=version.survey_id,
                       params={"reference": response.reference})
        db.session.delete(draft)
        try:
            db.session.flush()  # the response's row (and its id), the draft's deletion
            _insert_answers(response.id, answers)
            commit_write()
        except (IntegrityError, StaleDataError):  # a concurrent submit of the same draft got there first
            db.session.rollback()
            existing = response_for_token(submission_token)
            if existing is not None:
                return existing
        except (OperationalError, InternalError) as error:  # as `_commit`: the flush or the answers failed
            db.session.rollback()
            log.error("a respondent's answers could not be saved: %s", error.orig)
            raise SaveFailed() from error
        else:
            announce_stored(version.survey_id, [response.id])
            if copy_to:
                mail.dispatch()
            return response
    raise RuntimeError("could not store the response")


class _Rows(NamedTuple):
    """A response's answers as rows: (question id, value, text) per answer, the options chosen in each by
    question id, and the respondent facts copied to the response (respondent_type, capacity)."""
    answers: list[tuple[int, Any, str | None]]
    options: dict[int, list[str]]
    facts: dict[str, str]


def _answer_rows(answers: dict[Question, dict[str, Any]]) -> _Rows:
    rows = _Rows([], {}, {})
    for question, answer in answers.items():
        value = answer.get("value")
        rows.answers.append((question.id, value, answer.get("text")))
        rows.options[question.id] = list(dict.fromkeys(kind_of(question).stored_options(question, value)))
        if question.role in ("respondent_type", "capacity") and isinstance(value, str):
            rows.facts[question.role] = value
    return rows


def _insert_answers(response_id: int, rows: _Rows) -> None:
    """A response's answers in one INSERT (their ids come back with their questions, which are unique within
    a response, so the rows' order does not matter), then their chosen options in one more: where the
    session's unit of work inserted them one row at a time on SQLite (41 statements for a Keep it Local
    response). Neither table is one that figures are counted from (consult.surveys.figure_cache)."""
    if not rows.answers:
        return
    connection = db.session.connection()
    answer, option = Answer.__table__, AnswerOption.__table__
    ids = dict(connection.execute(answer.insert().returning(answer.c.question_id, answer.c.id), [
        {"response_id": response_id, "question_id": question_id, "value": value, "text": text}
        for question_id, value, text in rows.answers]).all())
    chosen = [{"answer_id": ids[question_id], "question_id": question_id, "value": value}
              for question_id, values in rows.options.items() for value in values]
    if chosen:
        connection.execute(option.insert(), chosen)


def announce_stored(survey_id: int, response_ids: list[int]) -> None:
    """Tell the parts downstream (campaign signatures, drafts) that these committed responses exist. They are
    stored whatever a listener does: a listener's failure is logged, never passed to the respondent."""
    try:
        responses_stored.send(current_app._get_current_object(), survey_id=survey_id, response_ids=response_ids)
    except Exception:
        log.exception("a listener failed on %d stored responses of survey %s", len(response_ids), survey_id)


def build_response(version: SurveyVersion, answers: dict[Question, dict[str, Any]], *, channel: str,
                   submitted_at: datetime | None = None) -> Response:
    """A new (unsaved) response with its answers, chosen options and respondent facts, for any channel."""
    rows = _answer_rows(answers)
    response = Response(survey_id=version.survey_id, version_id=version.id, channel=channel,
                        reference=f"{version.survey.reference_prefix}-{random_code(3)}",
                        submitted_at=submitted_at or utcnow(), **rows.facts)
    for question_id, value, text in rows.answers:
        response.answers.append(Answer(question_id=question_id, value=value, text=text, options=[
            AnswerOption(question_id=question_id, value=v) for v in rows.options[question_id]]))
    return response

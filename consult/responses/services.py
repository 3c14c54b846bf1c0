"""Respondents' writes: drafts, save and resume, and the one-time final submit."""
from __future__ import annotations

import logging
import secrets
import time
from datetime import datetime, timedelta
from functools import cache
from typing import Any, NamedTuple

from flask import current_app
from sqlalchemy import Select, Update, bindparam, delete, inspect, select, update
from sqlalchemy.exc import IntegrityError, InternalError, OperationalError
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError

from consult.database import relax_next_commit
from consult.extensions import db
from consult.mail import services as mail
from consult.responses.journey import (
    Answers,
    submitted_answers,
    visible_pages,
    visible_questions,
)
from consult.responses.models import Answer, AnswerOption, Draft, Response
from consult.responses.rows import DraftRow
from consult.responses.signals import responses_stored
from consult.surveys.frozen import current, frozen_version
from consult.surveys.kinds import kind_of
from consult.surveys.languages import page_in, question_in
from consult.surveys.models import Page, Question, Survey, SurveyVersion
from consult.timeutil import utcnow

log = logging.getLogger(__name__)
# Crockford's base 32 without I, L, O, U: easy to read aloud and to type.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


class SurveyNotAccepting(Exception):
    """The survey is closed, not yet open, or still a draft."""


class SaveFailed(Exception):
    """The database refused the write (disk full, read-only, gone): nothing was saved."""


def commit_write(durable: bool = True) -> None:
    """Commit, or roll back and raise SaveFailed when the database cannot store it. Not `durable`: the commit
    survives the app's process dying but may be lost if the machine fails in the moment after it (see
    `consult.database.relax_next_commit`); only for writes nobody was told are kept for good.

    What the session holds is not expired by the commit: it is what this request read and wrote (a respondent's
    draft, their response, the survey), so the rest of the request reads none of it again."""
    session = db.session()
    expiring = session.expire_on_commit
    try:
        if not durable:
            relax_next_commit()
        session.expire_on_commit = False
        session.commit()
    except (OperationalError, InternalError) as error:  # read-only transactions are InternalError on PostgreSQL
        db.session.rollback()
        log.error("a respondent's answers could not be saved: %s", error.orig)
        raise SaveFailed() from error
    finally:
        session.expire_on_commit = expiring


def random_code(groups: int, size: int = 4) -> str:
    return "-".join("".join(secrets.choice(CODE_ALPHABET) for _ in range(size)) for _ in range(groups))


def _expiry(now: datetime) -> datetime:
    return now + timedelta(days=current_app.config["DRAFT_TTL_DAYS"])


def start_draft(survey: Survey, now: datetime | None = None) -> Draft:
    """Begin a response against the survey's current version."""
    now = now or utcnow()
    if not survey.accepting(now):
        raise SurveyNotAccepting(survey.slug)
    draft = Draft(token=secrets.token_urlsafe(32), submission_token=secrets.token_urlsafe(32),
                  version_id=current(survey).id, answers={}, created_at=now, updated_at=now,
                  expires_at=_expiry(now))
    db.session.add(draft)
    commit_write(durable=False)  # holds no answers yet
    return draft


def find_draft(survey: Survey, token: str | None, now: datetime | None = None) -> Draft | None:
    """The unexpired draft behind a session token, if it belongs to this survey."""
    if not token:
        return None
    draft = db.session.scalar(_statements().draft, {"token": token})
    if draft is None or frozen_version(draft.version_id).survey_id != survey.id or draft.expires_at <= (now or utcnow()):
        return None
    return draft


def find_survey_and_draft(slug: str, token: str | None, now: datetime | None = None) -> tuple[Survey, Draft] | None:
    """The survey with this slug and the unexpired draft of it behind a session token, read in one query;
    None when there is no such draft."""
    if not token:
        return None
    row = db.session.execute(_statements().survey_and_draft, {"slug": slug, "token": token}).first()
    if row is None or row.Draft.expires_at <= (now or utcnow()):
        return None
    return row.Survey, row.Draft


_COLUMNS = frozenset(column.key for column in Draft.__table__.columns)


class _Statements(NamedTuple):
    draft: Select
    survey_and_draft: Select
    save: Update


@cache
def _statements() -> _Statements:
    """The statements every page of the journey runs, built once per process with their values as parameters
    (building a statement costs more than running it through SQLAlchemy's compiled cache)."""
    table = Draft.__table__
    return _Statements(
        draft=select(Draft).where(Draft.token == bindparam("token")),
        survey_and_draft=select(Survey, Draft).join(SurveyVersion, SurveyVersion.survey_id == Survey.id)
        .join(Draft, Draft.version_id == SurveyVersion.id)
        .where(Survey.slug == bindparam("slug"), Draft.token == bindparam("token")),
        # Core, not the ORM's unit of work: a page save is one known UPDATE of one row.
        save=update(table).where(table.c.id == bindparam("draft_id")))


@cache
def _save_statement(columns: frozenset[str]) -> Update:
    """The UPDATE of these columns of one draft, their values as parameters (`new_<column>`): built once per
    set of columns, where `.values(...)` with the values themselves made a new statement, and its cache key, on
    every page save."""
    return _statements().save.values({name: bindparam(f"new_{name}") for name in sorted(columns)})


def save_page(draft: Draft | DraftRow, page: Page, page_answers: Answers, now: datetime | None = None) -> Answers:
    """Store one page's checked answers (replacing that page's earlier ones, and anything saved unchecked
    there), note it as the page last saved, and extend the draft's life; returns all the draft's answers as
    stored (without reading the row again). Raises SaveFailed."""
    answers = {k: v for k, v in draft.answers.items() if k not in {q.key for q in page.questions}}
    answers.update({k: v for k, v in page_answers.items() if v})
    unsaved = {k: v for k, v in (draft.unsaved or {}).items() if k != str(page.position)} or None
    # "Continue": what the respondent typed is in the database when the next page shows, and stays there
    # whatever happens to the app's processes; a power cut in the moment after could lose this page's answers
    # (they are asked again). Saving for later (a resume code) and submitting commit durably, which also
    # makes every page saved before them durable.
    _touch(draft, page.position, now, durable=False, answers=answers, unsaved=unsaved)
    return answers


def save_unchecked(draft: Draft | DraftRow, page: Page, typed: dict[str, list[str]],
                   now: datetime | None = None) -> None:
    """Keep what was typed on a page that did not pass its checks ("Save and come back later"), as the form
    sent it, to show again with its errors; its earlier checked answers stay as they were. Raises SaveFailed."""
    _touch(draft, page.position, now, unsaved={**(draft.unsaved or {}), str(page.position): typed})


def save_position(draft: Draft | DraftRow, position: int, now: datetime | None = None) -> None:
    """Note where the respondent left off without a page of answers (say, on check answers)."""
    _touch(draft, position, now)


def _touch(draft: Draft | DraftRow, position: int, now: datetime | None, durable: bool = True,
           **changed: Any) -> None:
    """Write `changed` columns, the page last saved and the new expiry to the draft's row in one UPDATE (not
    durable: see `_commit`), and to `draft` as its stored state, so that nothing reads the row again after the
    commit. Raises SaveFailed."""
    now = now or utcnow()
    values = {**changed, "last_page": position, "updated_at": now, "expires_at": _expiry(now)}
    orm = isinstance(draft, Draft)
    if orm and draft in db.session.dirty:  # changed elsewhere in this transaction: those changes go first
        db.session.flush()
    stored = {**{name: value for name, value in inspect(draft).dict.items() if name in _COLUMNS}, **values} \
        if orm else values
    try:
        if not durable:
            relax_next_commit()  # before the UPDATE: the transaction's first write
        # Through the session's connection: the session's own execute adds ORM steps a Core UPDATE of a table
        # no listener watches (consult/surveys/figure_cache.py) does not need.
        db.session.connection().execute(_save_statement(frozenset(values)), {
            "draft_id": draft.id, **{f"new_{name}": value for name, value in values.items()}})
    except (OperationalError, InternalError) as error:
        db.session.rollback()
        log.error("a respondent's answers could not be saved: %s", error.orig)
        raise SaveFailed() from error
    commit_write()  # as relaxed (or not) above
    for name, value in stored.items():
        if orm:
            set_committed_value(draft, name, value)
        else:
            setattr(draft, name, value)


def response_for_token(submission_token: str) -> Response | None:
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


def purge_expired_drafts(now: datetime | None = None) -> int:
    """Delete drafts nobody finished before they expired; returns how many went."""
    try:
        relax_next_commit()  # expired drafts that come back after a power cut are purged next time
        result = db.session.execute(delete(Draft).where(Draft.expires_at <= (now or utcnow())))
    except (OperationalError, InternalError) as error:
        db.session.rollback()
        raise SaveFailed() from error
    commit_write()  # as relaxed above
    return result.rowcount or 0


_last_purge = [float("-inf")]  # this process's last purge, by time.monotonic()
PURGE_EVERY_SECONDS = 60.0


def purge_expired_drafts_at_most_every(seconds: float = PURGE_EVERY_SECONDS) -> int:
    """Purge expired drafts unless this process did so in the last `seconds`: a new respondent's start does it,
    and a surge of starts needs one DELETE a minute, not one each. Returns how many went (0 when skipped)."""
    now = time.monotonic()
    if now - _last_purge[0] < seconds:
        return 0
    _last_purge[0] = now
    return purge_expired_drafts()


def answer_lines(version: SurveyVersion, answers: Answers) -> list[dict[str, Any]]:
    """Rows for 'check your answers': every question the respondent can see, in the page's language."""
    rows = []
    for page in visible_pages(version, answers):
        for q in visible_questions(page, answers):
            shown = question_in(q)
            rows.append({"section": page_in(page).section, "question": shown, "page": page.position,
                         "lines": kind_of(q).summary(shown, answers.get(q.key))})
    return rows

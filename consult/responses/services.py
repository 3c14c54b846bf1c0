"""Respondents' drafts: starting one, finding it again, saving each page (committed relaxed), noting where they
left off, and purging the expired; the commit every respondent's write goes through (durable unless relaxed)
and its failure. The one-time final submit is in `consult.responses.submission`, resume codes in
`consult.responses.resume_codes`."""
from __future__ import annotations

import logging
import secrets
import time
from datetime import datetime, timedelta
from functools import cache
from typing import Any, NamedTuple

from flask import current_app
from sqlalchemy import Select, Update, bindparam, delete, inspect, select, update
from sqlalchemy.exc import InternalError, OperationalError
from sqlalchemy.orm.attributes import set_committed_value

from consult.database import execute_alone, relax_next_commit
from consult.extensions import db
from consult.responses.journey import (
    Answers,
    visible_pages,
    visible_questions,
)
from consult.responses.models import Draft
from consult.responses.rows import DraftRow
from consult.surveys.frozen import current, frozen_version
from consult.surveys.kinds import kind_of
from consult.surveys.languages import page_in, question_in
from consult.surveys.models import Page, Survey, SurveyVersion
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
    """`groups` groups of `size` random characters from CODE_ALPHABET, joined by hyphens (references, resume
    codes)."""
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
        # Not through the session's own execute: it adds ORM steps a Core UPDATE of a table no listener watches
        # (consult/surveys/figure_cache.py) does not need.
        pending = execute_alone(_save_statement(frozenset(values)), {
            "draft_id": draft.id, **{f"new_{name}": value for name, value in values.items()}}, durable=durable)
    except (OperationalError, InternalError) as error:
        db.session.rollback()
        log.error("a respondent's answers could not be saved: %s", error.orig)
        raise SaveFailed() from error
    if pending is not None:  # else committed on its own
        commit_write()  # as relaxed (or not) above
    for name, value in stored.items():
        if orm:
            set_committed_value(draft, name, value)
        else:
            setattr(draft, name, value)


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

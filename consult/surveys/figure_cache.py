"""Figures that are slow to count on a large survey, kept and reused until what they are counted from changes.

The one rule: a kept figure is reused only while its stamp is unchanged. The stamp is the survey's
`figures_revision` plus whatever the caller adds (say, the newest response id, so new responses are
counted). `figures_revision` goes up in the same transaction as any change to the coding that figures are
counted from (codes, "no code applies" reviews, adjudications, the codebook, double-coding samples) and
any erasure of a response: watched here, at the session, for the unit of work and for bulk statements
alike, so no write path has to remember to do it. Figures are still counted by the functions that own them
(consult.coding.figures, analysis.draft_figures ...): this module only keeps what they returned.

Reading the revision before counting makes a race harmless: a change committed while a figure is counted
bumps the revision past the stamp the figure is kept under, so it is counted again on the next request.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import event, func, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from consult.database import replace_rows
from consult.extensions import db
from consult.surveys.models import FigureCache, Survey
from consult.timeutil import utcnow

# Tables whose rows figures are counted from, by how a changed row leads to its survey.
BY_ANSWER = {"code_assignment", "answer_review", "adjudication", "coding_sample_item"}
BY_SURVEY = {"theme", "coding_sample"}
ERASED = {"response", "answer"}  # only deletions: new responses are stamped by the caller's newest id
SETTLE_SECONDS = 120  # a submission commits within this long of taking its id (see `topped_up`)
# Deleting these takes answers away from counts over responses (`topped_up`): responses_revision moves on too.
ERASED_ANSWERS = ERASED | {"answer_option"}


def cached(survey_id: int, name: str, compute: Callable[[], Any], *, depends: str = "") -> Any:
    """`compute()`'s value (JSON) as kept for this survey under `name`, or counted now and kept, when the
    survey's revision or `depends` has moved on since."""
    revision = db.session.scalar(select(Survey.figures_revision).where(Survey.id == survey_id)) or 0
    stamp = f"{revision}|{depends}"
    kept = db.session.execute(select(FigureCache.stamp, FigureCache.value).where(
        FigureCache.survey_id == survey_id, FigureCache.name == name)).first()
    if kept is not None and kept.stamp == stamp:
        return kept.value
    value = compute()
    _keep(survey_id, name, stamp, value)
    return value


def kept(survey_id: int, name: str, *, depends: str = "") -> tuple[Any, bool, datetime | None]:
    """(the value kept under `name` or None, whether it is current as `cached` would judge it, when it was
    counted): for pages that show kept figures while a job counts them again (consult.surveys.recount)."""
    revision = db.session.scalar(select(Survey.figures_revision).where(Survey.id == survey_id)) or 0
    row = db.session.execute(select(FigureCache.stamp, FigureCache.value, FigureCache.computed_at).where(
        FigureCache.survey_id == survey_id, FigureCache.name == name)).first()
    if row is None:
        return None, False, None
    return row.value, row.stamp == f"{revision}|{depends}", row.computed_at


def topped_up(survey_id: int, name: str, count: Callable[[int, int], dict[str, int]], *,
              depends: str = "") -> dict[str, int]:
    """Counts over a survey's responses (say, people choosing each option), kept with the newest response id
    they cover and topped up by counting only the responses stored since: `count(after, upto)` counts those
    with after < id <= upto. A response's answers never change once stored; erasing responses, or storing
    several in one transaction (an import: its ids may commit long after newer ones), moves
    `responses_revision` on, and then everything is counted again. The newest SETTLE_SECONDS of responses
    are counted afresh on every call rather than kept: a submission whose id was given out just before a
    newer one's may commit just after it."""
    revision = db.session.scalar(select(Survey.responses_revision).where(Survey.id == survey_id)) or 0
    response = db.metadata.tables["response"]  # by name: responses come after surveys
    of_survey = response.c.survey_id == survey_id
    newest = db.session.scalar(select(func.max(response.c.id)).where(of_survey)) or 0
    settled = db.session.scalar(select(response.c.id).where(
        of_survey, response.c.submitted_at < utcnow() - timedelta(seconds=SETTLE_SECONDS))
        .order_by(response.c.submitted_at.desc(), response.c.id.desc()).limit(1)) or 0
    kept = db.session.execute(select(FigureCache.stamp, FigureCache.value).where(
        FigureCache.survey_id == survey_id, FigureCache.name == name)).first()
    head, _sep, upto = (kept.stamp if kept else "").rpartition("|")
    if kept is not None and head == f"{revision}|{depends}" and upto.isdigit() and int(upto) <= settled:
        value, upto_id = dict(kept.value), int(upto)
    else:
        value, upto_id = {}, 0
    if upto_id < settled:
        _add(value, count(upto_id, settled))
        _keep(survey_id, name, f"{revision}|{depends}|{settled}", value)
    if settled < newest:
        value = dict(value)
        _add(value, count(settled, newest))
    return value


def _add(value: dict[str, int], more: dict[str, int]) -> None:
    for key, n in more.items():
        value[key] = value.get(key, 0) + n


def _keep(survey_id: int, name: str, stamp: str, value: Any) -> None:
    try:  # replaces what another request kept meanwhile: counted from the same, as good
        replace_rows(FigureCache.__table__, [{"survey_id": survey_id, "name": name, "stamp": stamp, "value": value,
                                              "computed_at": utcnow()}])
        db.session.commit()
    except OperationalError as error:
        # SQLite: a page that read before another connection wrote (a job recounting, a coder saving) cannot
        # write in the same transaction ("database is locked" at once, whatever the timeout). Keeping the
        # figure can wait for the next request; the page still shows the figure it counted.
        if "locked" not in str(error.orig):
            raise
        db.session.rollback()


def _bump(session: Session, survey_ids: set[int] | None, erased: bool = False) -> None:
    """Move the revision on for these surveys (None: every survey, when a statement's rows are not known), and
    with `erased` their responses_revision too."""
    table = Survey.__table__
    statement = update(table).values(figures_revision=table.c.figures_revision + 1)
    if erased:
        statement = statement.values(responses_revision=table.c.responses_revision + 1)
    if survey_ids is not None:
        if not survey_ids:
            return
        statement = statement.where(table.c.id.in_(sorted(survey_ids)))
    session.connection().execute(statement)


def _changed(session: Session) -> tuple[set[int], set[int]]:
    """(survey ids, answer ids) of the watched rows this flush writes."""
    surveys: set[int] = set()
    answers: set[int] = set()
    for instances, deleting in ((session.new, False), (session.dirty, False), (session.deleted, True)):
        for instance in instances:
            name = getattr(getattr(instance, "__table__", None), "name", None)
            if name not in BY_ANSWER and name not in BY_SURVEY and not (name == "response" and deleting):
                continue
            if instances is session.dirty and not session.is_modified(instance, include_collections=False):
                continue
            if name in BY_ANSWER:
                answers.add(instance.answer_id)
            else:
                surveys.add(instance.survey_id)
    return surveys, answers


def _stored_together(session: Session) -> set[int]:
    """Surveys of which this transaction has now stored a second response (an import, a workshop's papers):
    their ids may commit long after newer ones, so counts kept over responses (`topped_up`) start again."""
    stored = session.info.setdefault("responses_stored", {})
    moved = set()
    for instance in session.new:
        if getattr(getattr(instance, "__table__", None), "name", None) == "response":
            stored[instance.survey_id] = stored.get(instance.survey_id, 0) + 1
            if stored[instance.survey_id] == 2:
                moved.add(instance.survey_id)
    return moved


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _transaction_over(session: Session) -> None:
    session.info.pop("responses_stored", None)


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context) -> None:
    together = _stored_together(session)
    if together:
        table = Survey.__table__
        session.connection().execute(update(table).where(table.c.id.in_(sorted(together)))
                                     .values(responses_revision=table.c.responses_revision + 1))
    surveys, answers = _changed(session)
    erased = any(getattr(getattr(instance, "__table__", None), "name", None) in ERASED_ANSWERS
                 for instance in session.deleted)
    if erased and not surveys and not answers:  # an answer or option deleted on its own
        _bump(session, None, erased=True)
        return
    if answers:  # the tables by name: surveys comes before the packages that define them
        answer, response = db.metadata.tables["answer"], db.metadata.tables["response"]
        found = set(session.connection().execute(
            select(answer.c.id, response.c.survey_id).join(response, response.c.id == answer.c.response_id)
            .where(answer.c.id.in_(sorted(answers)))).all())
        surveys |= {survey_id for _answer, survey_id in found}
        if len(found) < len(answers):  # an answer deleted in this flush: its survey can no longer be looked up
            _bump(session, None, erased)
            return
    _bump(session, surveys, erased)


@event.listens_for(Session, "do_orm_execute")
def _bulk_statement(state) -> None:
    """INSERT, UPDATE or DELETE statements run through the session on a watched table: every survey moves on
    (the rows they touch are not known here; such statements are rare: erasure, merges, imports, jobs)."""
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    name = getattr(getattr(state.statement, "table", None), "name", None)
    if name == "response" and state.is_insert:  # responses stored in bulk: as `_stored_together`
        table = Survey.__table__
        state.session.connection().execute(update(table).values(responses_revision=table.c.responses_revision + 1))
    if name in BY_ANSWER or name in BY_SURVEY or (name in ERASED_ANSWERS and state.is_delete):
        _bump(state.session, None, erased=name in ERASED_ANSWERS and state.is_delete)

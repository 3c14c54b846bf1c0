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
from datetime import datetime
from typing import Any

from sqlalchemy import event, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from consult.extensions import db
from consult.surveys.models import FigureCache, Survey
from consult.timeutil import utcnow

# Tables whose rows figures are counted from, by how a changed row leads to its survey.
BY_ANSWER = {"code_assignment", "answer_review", "adjudication", "coding_sample_item"}
BY_SURVEY = {"theme", "coding_sample"}
ERASED = {"response", "answer"}  # only deletions: new responses are stamped by the caller's newest id
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
    with after < id <= upto. A response's answers never change once stored, only erasures take them away, and
    an erasure moves `responses_revision` on: then everything is counted again. So does a response with an
    id below the kept one committed late (a long import): the kept figures also hold how many responses they
    cover, and that number is checked against the table."""
    revision = db.session.scalar(select(Survey.responses_revision).where(Survey.id == survey_id)) or 0
    response = db.metadata.tables["response"]  # by name: responses come after surveys
    newest = db.session.scalar(select(func.max(response.c.id)).where(response.c.survey_id == survey_id)) or 0
    kept = db.session.execute(select(FigureCache.stamp, FigureCache.value).where(
        FigureCache.survey_id == survey_id, FigureCache.name == name)).first()
    head, _sep, tail = (kept.stamp if kept else "").rpartition("|")
    kept_revision, _sep, kept_depends = head.partition("|")
    upto, _sep, covered = tail.partition(":")
    if (kept is not None and kept_revision == str(revision) and kept_depends == depends and upto.isdigit()
            and int(upto) <= newest and _responses_upto(survey_id, int(upto)) == int(covered or -1)):
        if int(upto) == newest:
            return kept.value
        value = dict(kept.value)
        for key, n in count(int(upto), newest).items():
            value[key] = value.get(key, 0) + n
    else:
        value = count(0, newest)
    _keep(survey_id, name, f"{revision}|{depends}|{newest}:{_responses_upto(survey_id, newest)}", value)
    return value


def _responses_upto(survey_id: int, upto: int) -> int:
    response = db.metadata.tables["response"]
    return db.session.scalar(select(func.count()).select_from(response).where(
        response.c.survey_id == survey_id, response.c.id <= upto)) or 0


def _keep(survey_id: int, name: str, stamp: str, value: Any) -> None:
    try:
        with db.session.begin_nested():
            row = db.session.get(FigureCache, (survey_id, name))
            if row is None:
                db.session.add(FigureCache(survey_id=survey_id, name=name, stamp=stamp, value=value))
            else:
                row.stamp, row.value, row.computed_at = stamp, value, utcnow()
        db.session.commit()
    except IntegrityError:  # another request kept the same figure first: theirs is as good
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


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context) -> None:
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
    if name in BY_ANSWER or name in BY_SURVEY or (name in ERASED_ANSWERS and state.is_delete):
        _bump(state.session, None, erased=name in ERASED_ANSWERS and state.is_delete)

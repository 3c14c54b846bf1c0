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
from typing import Any

from sqlalchemy import event, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from consult.extensions import db
from consult.surveys.models import FigureCache, Survey

# Tables whose rows figures are counted from, by how a changed row leads to its survey.
BY_ANSWER = {"code_assignment", "answer_review", "adjudication", "coding_sample_item"}
BY_SURVEY = {"theme", "coding_sample"}
ERASED = {"response", "answer"}  # only deletions: new responses are stamped by the caller's newest id


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
    try:
        with db.session.begin_nested():
            row = db.session.get(FigureCache, (survey_id, name))
            if row is None:
                db.session.add(FigureCache(survey_id=survey_id, name=name, stamp=stamp, value=value))
            else:
                row.stamp, row.value = stamp, value
        db.session.commit()
    except IntegrityError:  # another request kept the same figure first: theirs is as good
        db.session.rollback()
    return value


def _bump(session: Session, survey_ids: set[int] | None) -> None:
    """Move the revision on for these surveys (None: every survey, when a statement's rows are not known)."""
    table = Survey.__table__
    statement = update(table).values(figures_revision=table.c.figures_revision + 1)
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
    if answers:  # the tables by name: surveys comes before the packages that define them
        answer, response = db.metadata.tables["answer"], db.metadata.tables["response"]
        found = set(session.connection().execute(
            select(answer.c.id, response.c.survey_id).join(response, response.c.id == answer.c.response_id)
            .where(answer.c.id.in_(sorted(answers)))).all())
        surveys |= {survey_id for _answer, survey_id in found}
        if len(found) < len(answers):  # an answer deleted in this flush: its survey can no longer be looked up
            _bump(session, None)
            return
    _bump(session, surveys)


@event.listens_for(Session, "do_orm_execute")
def _bulk_statement(state) -> None:
    """INSERT, UPDATE or DELETE statements run through the session on a watched table: every survey moves on
    (the rows they touch are not known here; such statements are rare: erasure, merges, imports, jobs)."""
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    name = getattr(getattr(state.statement, "table", None), "name", None)
    if name in BY_ANSWER or name in BY_SURVEY or (name in ERASED and state.is_delete):
        _bump(state.session, None)

"""Disagreements between person coders (answers whose code sets differ) and their adjudication: the list, as
kept with the agreement figures (consult.coding.agreement), and the final code set a person decides for an
answer (the rule that makes it the final coding lives in consult.coding.final).
"""
from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import select

from consult.auth import services as audit
from consult.auth.models import User
from consult.coding.agreement import adjudicated_among, kept_name, pending_and_adjudicated
from consult.coding.coder_sets import load_codings
from consult.coding.models import Adjudication, CodeAssignment, Coder, Theme
from consult.extensions import db
from consult.responses.models import Answer, Response
from consult.surveys.models import Survey
from consult.surveys.recount import kept_or_recounting


def _settled(answer_ids: list[int]) -> dict[int, Adjudication]:
    """The adjudications of these answers by answer id, read a thousand ids at a time."""
    settled: dict[int, Adjudication] = {}
    for start in range(0, len(answer_ids), 1000):
        settled.update((a.answer_id, a) for a in db.session.scalars(
            select(Adjudication).where(Adjudication.answer_id.in_(answer_ids[start:start + 1000]))))
    return settled


def disagreements(survey: Survey, question_key: str | None = None, include_settled: bool = False) -> list[dict]:
    """Answers whose person coders disagree: [{answer, sets: {coder: theme ids}, adjudication}], pending first."""
    from analysis.reliability import disagreements as differing

    return _rows(list(differing(load_codings(survey, question_key)[0]).items()), include_settled)


@dataclass(frozen=True)
class ListedAnswer:
    """What the disagreements list shows of an answer: read as plain columns, where answers and responses
    loaded whole cost most of the page (500 of each)."""

    id: int
    response_id: int
    text: str | None
    reference: str  # its response's


def _rows(found: list, include_settled: bool) -> list[dict]:
    """The rows of the disagreements list, pending first, with their answers."""
    settled_ids = adjudicated_among(answer_id for answer_id, _sets in found)
    if not include_settled:
        found = [(answer_id, sets) for answer_id, sets in found if answer_id not in settled_ids]
    return _with_answers(sorted(found, key=lambda row: (row[0] in settled_ids, row[0])), settled_ids)


def _with_answers(shown: list, settled_ids: set[int]) -> list[dict]:
    """[(answer id, code sets)] as the list's rows: each with its answer and adjudication, if any."""
    ids = [answer_id for answer_id, _sets in shown]
    settled = _settled([answer_id for answer_id in ids if answer_id in settled_ids])
    answers = {row.id: ListedAnswer(*row) for row in db.session.execute(
        select(Answer.id, Answer.response_id, Answer.text, Response.reference)
        .join(Response, Response.id == Answer.response_id).where(Answer.id.in_(ids)))} if ids else {}
    return [{"answer": answers[answer_id], "sets": sets, "adjudication": settled.get(answer_id)}
            for answer_id, sets in shown]


def disagreements_page(survey: Survey, question_key: str | None, include_settled: bool, limit: int = 500):
    """(the first `limit` of `disagreements` as last kept with the agreement figures, or None when never counted;
    how many there are; the recount). Adjudications are read as they stand now."""
    recount = kept_or_recounting(survey.id, "agreement", [(kept_name(question_key), "")], {"question": question_key})
    kept = recount.values[0]
    if kept is None:
        return None, 0, recount
    pending, adjudicated = pending_and_adjudicated(kept)
    listed = pending + adjudicated if include_settled else pending
    position = {answer_id: i for i, answer_id in enumerate(kept["disagreement_ids"])}
    shown = [(a, json.loads(kept["disagreement_sets"][position[a]])) for a in listed[:limit]]
    return _with_answers(shown, set(adjudicated)), len(listed), recount


def person_sets(answer: Answer) -> dict[str, frozenset]:
    """Each person's code set on one answer (for the adjudication page)."""
    sets: dict[str, set] = {}
    for name, theme_id in db.session.execute(
            select(Coder.name, CodeAssignment.theme_id).join(Coder, Coder.id == CodeAssignment.coder_id)
            .where(CodeAssignment.answer_id == answer.id, Coder.kind == "person", CodeAssignment.status == "applied")):
        sets.setdefault(name, set()).add(theme_id)
    return {name: frozenset(ids) for name, ids in sorted(sets.items())}


def adjudication_of(answer: Answer) -> Adjudication | None:
    return db.session.scalar(select(Adjudication).where(Adjudication.answer_id == answer.id))


def adjudicate(answer: Answer, theme_ids: list[int], user: User, note: str = "") -> Adjudication:
    """Record the final code set for an answer (replacing an earlier decision); it becomes the final coding."""
    current = set(db.session.scalars(select(Theme.id).where(Theme.survey_id == answer.response.survey_id,
                                                            Theme.merged_into_id.is_(None))))
    if set(theme_ids) - current:
        raise ValueError("Choose codes from this survey's current codebook")
    decision = db.session.scalar(select(Adjudication).where(Adjudication.answer_id == answer.id))
    if decision is None:
        decision = Adjudication(answer_id=answer.id)
        db.session.add(decision)
    decision.theme_ids = sorted(set(theme_ids))
    decision.decided_by = user.id
    decision.note = (note or "").strip()
    audit.record("codes.adjudicated", answer, {"answer_id": answer.id, "theme_ids": decision.theme_ids}, by=user)
    db.session.commit()
    return decision

"""An answer's final coding: the one rule every page, export, agreement figure and draft uses.

The adjudicated set if there is one; else the codes of the only person who decided the answer; else the set
all its person coders agree on; else nothing ("disagreement"). A person who decided the answer with no code
("no code applies") holds an empty set, which can agree or disagree like any other. Machine suggestions never
count on their own (a person's applied codes do, including those accepted from a suggestion). A merged theme
counts as the theme it was merged into.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from consult.coding.models import (
    Adjudication,
    AnswerReview,
    CodeAssignment,
    Coder,
    Theme,
)
from consult.extensions import db
from consult.responses.models import Answer, Response

CHUNK = 500
ByCoder = dict[int, dict[int, set[int]]]  # answer id -> coder id -> theme ids


@dataclass(frozen=True)
class FinalCoding:
    theme_ids: list[int]
    basis: str  # adjudicated | single coder | agreed | disagreement | uncoded


def theme_successors() -> dict[int, int]:
    """Each merged theme's id -> the id of the theme it now lives in (following merges of merges)."""
    merged = dict(db.session.execute(select(Theme.id, Theme.merged_into_id).where(Theme.merged_into_id.is_not(None))).all())

    def current(theme_id: int) -> int:
        seen = {theme_id}
        while theme_id in merged and merged[theme_id] not in seen:
            theme_id = merged[theme_id]
            seen.add(theme_id)
        return theme_id

    return {theme_id: current(theme_id) for theme_id in merged}


def settle(answer_ids: Iterable[int], by_coder: ByCoder, adjudicated: dict[int, list[int]],
           successors: dict[int, int] | None = None) -> dict[int, FinalCoding]:
    """The rule (see the module's docstring), on what people decided: `by_coder`, and `adjudicated` sets."""
    moved = theme_successors() if successors is None else successors

    def current(themes: Iterable[int]) -> list[int]:
        return sorted({moved.get(t, t) for t in themes}) if moved else sorted(set(themes))

    result = {}
    for answer_id in answer_ids:
        coders = by_coder.get(answer_id) or {}
        if answer_id in adjudicated:
            final = FinalCoding(current(adjudicated[answer_id] or []), "adjudicated")
        elif not coders:
            final = FinalCoding([], "uncoded")
        elif len(coders) == 1:  # most answers of a large survey: one set, nothing to compare
            final = FinalCoding(current(next(iter(coders.values()))), "single coder")
        else:
            sets = [frozenset(current(s)) for s in coders.values()]
            final = (FinalCoding(sorted(sets[0]), "agreed") if all(s == sets[0] for s in sets)
                     else FinalCoding([], "disagreement"))
        result[answer_id] = final
    return result


def _decisions(by_coder: ByCoder, adjudicated: dict[int, list[int]], narrow) -> None:
    """Add what people decided on the answers `narrow(query)` keeps: applied codes, "no code applies"
    reviews and adjudications."""
    codes = (select(CodeAssignment.answer_id, CodeAssignment.coder_id, CodeAssignment.theme_id)
             .join(Coder, Coder.id == CodeAssignment.coder_id)
             .where(Coder.kind == "person", CodeAssignment.status == "applied"))
    # Read through the connection: the rows are plain tuples (the ORM's handling of a million rows costs more
    # than the query).
    for answer_id, coder_id, theme_id in db.session.connection().execute(narrow(codes, CodeAssignment.answer_id)):
        coders = by_coder.get(answer_id)
        if coders is None:
            by_coder[answer_id] = {coder_id: {theme_id}}
        elif coder_id in coders:
            coders[coder_id].add(theme_id)
        else:
            coders[coder_id] = {theme_id}
    reviews = (select(AnswerReview.answer_id, AnswerReview.coder_id).join(Coder, Coder.id == AnswerReview.coder_id)
               .where(Coder.kind == "person"))
    for answer_id, coder_id in db.session.execute(narrow(reviews, AnswerReview.answer_id)):
        by_coder.setdefault(answer_id, {}).setdefault(coder_id, set())
    adjudications = select(Adjudication.answer_id, Adjudication.theme_ids)
    adjudicated.update(db.session.execute(narrow(adjudications, Adjudication.answer_id)).all())


def final_coding(answer_ids: Iterable[int]) -> dict[int, FinalCoding]:
    """The final coding of each of these answers, and why."""
    ids = list(dict.fromkeys(answer_ids))
    by_coder: ByCoder = {}
    adjudicated: dict[int, list[int]] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        _decisions(by_coder, adjudicated, lambda query, column: query.where(column.in_(chunk)))
    return settle(ids, by_coder, adjudicated)


def decided_final_coding(survey_id: int) -> dict[int, FinalCoding]:
    """The final coding of every answer of the survey that a person or an adjudication decided (the rest are
    uncoded), read in three queries whatever the survey's size."""
    def in_survey(query, column):
        if column is CodeAssignment.answer_id:
            # A code's theme is one of its answer's survey: found by it, the codes need no join with the answers.
            return query.join(Theme, Theme.id == CodeAssignment.theme_id).where(Theme.survey_id == survey_id)
        return (query.join(Answer, Answer.id == column).join(Response, Response.id == Answer.response_id)
                .where(Response.survey_id == survey_id))

    by_coder: ByCoder = {}
    adjudicated: dict[int, list[int]] = {}
    _decisions(by_coder, adjudicated, in_survey)
    return settle(sorted(by_coder.keys() | adjudicated.keys()), by_coder, adjudicated)


def final_codes(answer_ids: Iterable[int]) -> dict[int, list[int]]:
    """answer id -> final theme ids (empty when uncoded or disputed)."""
    return {answer_id: coding.theme_ids for answer_id, coding in final_coding(answer_ids).items()}

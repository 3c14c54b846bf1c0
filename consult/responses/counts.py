"""How many people chose each option of a closed question: the one count behind the workspace's question
pages and the draft's figures (each then suppressed and turned into shares by analysis.suppression and
analysis.shares)."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, literal, select

from consult.extensions import db
from consult.responses.models import Answer, AnswerOption, Response

ALL = "__all__"  # the single column when counts are not split by respondent type


@dataclass(frozen=True)
class OptionCounts:
    """`chosen[(respondent type, option value)]`: people who chose the option; `answering[respondent type]`:
    people who answered (each chose one option or more). The type is ALL unless counted by type (then None
    stands for "not given")."""

    chosen: dict[tuple[str | None, str], int]
    answering: dict[str | None, int]

    def types(self) -> set[str | None]:
        return {t for t, _value in self.chosen} | set(self.answering)

    def values(self) -> set[str]:
        return {value for _t, value in self.chosen}


def option_counts(question_ids: Sequence[int], *, by_type: bool = False, where: Sequence = ()) -> OptionCounts:
    """Counts over the answers to these question rows (a key's rows in every version), optionally split by
    respondent type, among responses meeting the `where` conditions on Response."""
    type_column = [Response.respondent_type] if by_type else []
    joined = by_type or bool(where)

    def run(query, through_answer: bool = False):
        if joined:  # without conditions or a split, the (question_id, value) index answers alone
            if through_answer:
                query = query.join(Answer, Answer.id == AnswerOption.answer_id)
            query = query.join(Response, Response.id == Answer.response_id).where(*where)
        return [(row[0] if by_type else ALL, *row[-2:]) for row in db.session.execute(query)]

    chosen = run(select(*type_column, AnswerOption.value, func.count()).select_from(AnswerOption)
                 .where(AnswerOption.question_id.in_(question_ids)).group_by(*type_column, AnswerOption.value),
                 through_answer=True)
    answering = run(select(*type_column, literal(ALL), func.count()).select_from(Answer)
                    .where(Answer.question_id.in_(question_ids)).group_by(*type_column))
    return OptionCounts(chosen={(t, v): n for t, v, n in chosen}, answering={t: n for t, _all, n in answering})


def chosen_option(question_ids: Sequence[int], response_ids: Sequence[int]) -> dict[int, str]:
    """response id -> the (first) option it chose among these question rows, for the responses that answered."""
    found: dict[int, str] = {}
    for start in range(0, len(response_ids), 500):
        for response_id, value in db.session.execute(
                select(Answer.response_id, AnswerOption.value).join(AnswerOption, AnswerOption.answer_id == Answer.id)
                .where(Answer.question_id.in_(question_ids), Answer.response_id.in_(response_ids[start:start + 500]))
                .order_by(AnswerOption.id)):
            found.setdefault(response_id, value)
    return found

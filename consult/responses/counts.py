"""How many people chose each option of a closed question: the one count behind the workspace's question
pages and the draft's figures (each then suppressed and turned into shares by analysis.suppression and
analysis.shares)."""
from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import and_, func, literal, select

from consult.extensions import db
from consult.responses.models import Answer, AnswerOption, Response
from consult.surveys.figure_cache import topped_up

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


def kept_option_counts(survey_id: int, question_ids: Sequence[int], *, by_type: bool = False,
                       where: Sequence = ()) -> OptionCounts:
    """`option_counts`, kept and topped up with the responses stored since (consult.surveys.figure_cache):
    over a million responses counting them all takes seconds, counting the newest few takes milliseconds."""
    conditions = and_(Answer.question_id.in_(question_ids), *where)
    compiled = str(conditions.compile(compile_kwargs={"literal_binds": True}))
    name = f"options:{int(by_type)}:" + hashlib.sha256(compiled.encode()).hexdigest()[:32]

    def count(after: int, upto: int) -> dict[str, int]:
        counted = option_counts(question_ids, by_type=by_type,
                                where=[*where, Response.id > after, Response.id <= upto])
        return {**{json.dumps(["chosen", t, v]): n for (t, v), n in counted.chosen.items()},
                **{json.dumps(["answering", t]): n for t, n in counted.answering.items()}}

    chosen: dict[tuple[str | None, str], int] = {}
    answering: dict[str | None, int] = {}
    for key, n in topped_up(survey_id, name, count).items():
        what, *rest = json.loads(key)
        if what == "chosen":
            chosen[(rest[0], rest[1])] = n
        else:
            answering[rest[0]] = n
    return OptionCounts(chosen=chosen, answering=answering)


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

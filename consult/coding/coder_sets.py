"""Each coder's code sets, as agreement between coders reads them.

A coder's code set on an answer is every theme they applied to it, whole-answer or on a passage.
Only answers a coder has coded count for that coder; a figure between two coders rests on the answers
both coded. The machine's set is every code it suggested (whatever the person then decided).
"""
from __future__ import annotations

from sqlalchemy import func, select, union_all

from consult.coding.models import AnswerReview, CodeAssignment, Coder, Theme
from consult.extensions import db
from consult.responses.models import Answer, Response
from consult.surveys.models import Question, Survey

Codings = dict[str, dict[int, frozenset]]

SHARED_CHUNK = 5000


def _decided_by_two(survey_id: int) -> list[int]:
    """The ids of the survey's answers that two or more person coders decided (with codes, or "no code
    applies"). Codes are found by their themes (each one of its answer's survey): no join with the answers."""
    decisions = union_all(
        select(CodeAssignment.answer_id, CodeAssignment.coder_id).join(Coder, Coder.id == CodeAssignment.coder_id)
        .join(Theme, Theme.id == CodeAssignment.theme_id)
        .where(Coder.kind == "person", CodeAssignment.status == "applied", Theme.survey_id == survey_id),
        select(AnswerReview.answer_id, AnswerReview.coder_id).join(Coder, Coder.id == AnswerReview.coder_id)
        .join(Answer, Answer.id == AnswerReview.answer_id).join(Response, Response.id == Answer.response_id)
        .where(Coder.kind == "person", Response.survey_id == survey_id)).subquery()
    return list(db.session.scalars(
        select(decisions.c.answer_id).group_by(decisions.c.answer_id)
        .having(func.min(decisions.c.coder_id) != func.max(decisions.c.coder_id))  # hashed, where DISTINCT sorts
        .order_by(decisions.c.answer_id)))


def load_codings(survey: Survey, question_key: str | None = None, *,
                 shared_only: bool = False) -> tuple[Codings, Codings]:
    """({person coder name: {answer id: theme ids}}, {machine name: ...}) for the survey's answers; with
    `shared_only`, the people's codings of the answers two or more of them decided (all that agreement among
    people rests on: a survey may have a million answers coded once) and no machine's."""
    codes = (select(Coder.name, Coder.kind, CodeAssignment.answer_id, CodeAssignment.theme_id, CodeAssignment.status)
             .join(Coder, Coder.id == CodeAssignment.coder_id))
    reviews = (select(Coder.name, AnswerReview.answer_id).join(Coder, Coder.id == AnswerReview.coder_id)
               .where(Coder.kind == "person"))
    if question_key:
        codes = (codes.join(Answer, Answer.id == CodeAssignment.answer_id)
                 .join(Question, Question.id == Answer.question_id).where(Question.key == question_key))
        reviews = (reviews.join(Answer, Answer.id == AnswerReview.answer_id)
                   .join(Question, Question.id == Answer.question_id).where(Question.key == question_key))
    if shared_only:
        shared = _decided_by_two(survey.id)
        chunks = [shared[start:start + SHARED_CHUNK] for start in range(0, len(shared), SHARED_CHUNK)]
        parts = [(codes.where(Coder.kind == "person", CodeAssignment.answer_id.in_(chunk)),
                  reviews.where(AnswerReview.answer_id.in_(chunk))) for chunk in chunks]
    else:
        def in_survey(query, column):
            if question_key is None:
                query = query.join(Answer, Answer.id == column)
            return query.join(Response, Response.id == Answer.response_id).where(Response.survey_id == survey.id)

        parts = [(in_survey(codes, CodeAssignment.answer_id), in_survey(reviews, AnswerReview.answer_id))]
    people: dict[str, dict[int, set]] = {}
    machines: dict[str, dict[int, set]] = {}
    for code_query, review_query in parts:
        for name, kind, answer_id, theme_id, status in db.session.execute(code_query):
            if kind == "person" and status == "applied":
                people.setdefault(name, {}).setdefault(answer_id, set()).add(theme_id)
            elif kind == "machine":
                machines.setdefault(name, {}).setdefault(answer_id, set()).add(theme_id)
        # An answer a person decided with no code counts as their empty set, not as uncoded.
        for name, answer_id in db.session.execute(review_query):
            people.setdefault(name, {}).setdefault(answer_id, set())

    def frozen(codings: dict[str, dict[int, set]]) -> Codings:
        return {name: {a: frozenset(t) for a, t in items.items()} for name, items in sorted(codings.items())}

    return frozen(people), frozen(machines)

"""The machine's open suggestions on a question, in order of confidence or usefulness, and "accept all above
the auto cut" with its undo.

Accepting in bulk does for each confident answer what a researcher does by hand: the machine's open rows
become 'accepted', the researcher gets the same codes as their own and has decided the answer (with no code
when the machine suggested none). Answers someone has decided since the suggestions were made, answers in a
double-coding sample (coded blind, by two people) and answers where someone rejected one of the codes are
left alone. Undo puts back exactly what was there, on every answer the researcher has not changed since.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select

from consult.auth import services as audit
from consult.auth.models import User
from consult.coding.assignments import person_coder
from consult.coding.models import (
    AnswerReview,
    AnswerSuggestion,
    BulkAcceptance,
    CodeAssignment,
    Coder,
    SampleItem,
    SuggestionRun,
)
from consult.coding.suggestions import SuggestionError, decided, in_survey_question
from consult.extensions import db
from consult.responses.models import Answer
from consult.surveys.models import Survey
from consult.timeutil import utcnow

PER_PAGE = 50


@dataclass(frozen=True)
class OpenSuggestion:
    answer_id: int
    text: str
    codes: list[tuple[str, float | None]]  # (theme name, probability) of the open suggested codes
    confidence: float
    auto: bool
    review_rank: int
    no_code: bool


def order_by(order: str | None):
    """ORDER BY for a query joined with AnswerSuggestion: most confident first, or rank 1 (most useful) first."""
    if order == "usefulness":
        return (AnswerSuggestion.review_rank, Answer.id)
    return (AnswerSuggestion.confidence.desc(), Answer.id)


def _open(survey: Survey, question_key: str):
    return (select(AnswerSuggestion, Answer.text).join(Answer, Answer.id == AnswerSuggestion.answer_id)
            .where(Answer.id.in_(in_survey_question(survey, question_key)), ~decided(Answer.id)))


def open_suggestions(survey: Survey, question_key: str, order: str | None, page: int = 1
                     ) -> tuple[list[OpenSuggestion], int]:
    """One page of the question's undecided answers with a suggestion, in `order`; and how many there are."""
    from consult.coding.models import Theme

    total = db.session.scalar(select(func.count()).select_from(_open(survey, question_key).subquery()))
    rows = db.session.execute(_open(survey, question_key).order_by(*order_by(order))
                              .offset((page - 1) * PER_PAGE).limit(PER_PAGE)).all()
    codes: dict[int, list[tuple[str, float | None]]] = {}
    if rows:
        for answer_id, name, score in db.session.execute(
                select(CodeAssignment.answer_id, Theme.name, CodeAssignment.score)
                .join(Theme, Theme.id == CodeAssignment.theme_id).join(Coder, Coder.id == CodeAssignment.coder_id)
                .where(Coder.kind == "machine", CodeAssignment.status == "suggested",
                       CodeAssignment.answer_id.in_([s.answer_id for s, _ in rows]))
                .order_by(CodeAssignment.score.desc())):
            codes.setdefault(answer_id, []).append((name, score))
    return [OpenSuggestion(s.answer_id, text or "", codes.get(s.answer_id, []), s.confidence, s.auto, s.review_rank,
                           s.no_code) for s, text in rows], total


def latest_run(survey: Survey, question_key: str) -> SuggestionRun | None:
    return db.session.scalar(select(SuggestionRun).where(SuggestionRun.survey_id == survey.id,
                                                         SuggestionRun.question_key == question_key)
                             .order_by(SuggestionRun.id.desc()).limit(1))


def confident(survey: Survey, question_key: str) -> list[AnswerSuggestion]:
    """The open suggestions above the auto cut that bulk acceptance may take (see the module's docstring)."""
    sampled = select(SampleItem.answer_id)
    rejected = (select(CodeAssignment.answer_id).join(Coder, Coder.id == CodeAssignment.coder_id)
                .where(Coder.kind == "machine", CodeAssignment.status == "rejected"))
    return list(db.session.scalars(
        select(AnswerSuggestion).where(AnswerSuggestion.auto.is_(True),
                                       AnswerSuggestion.answer_id.in_(in_survey_question(survey, question_key)),
                                       ~decided(AnswerSuggestion.answer_id),
                                       AnswerSuggestion.answer_id.not_in(sampled),
                                       AnswerSuggestion.answer_id.not_in(rejected))
        .order_by(AnswerSuggestion.answer_id)))


def accept_confident(survey: Survey, question_key: str, user: User) -> BulkAcceptance:
    """Accept every open suggestion above the auto cut as the user's own coding, recording what changed."""
    chosen = confident(survey, question_key)
    if not chosen:
        raise SuggestionError("No open suggestion on this question is above the auto cut.")
    coder = person_coder(user)
    answer_ids = [s.answer_id for s in chosen]
    machine_rows = list(db.session.scalars(
        select(CodeAssignment).join(Coder, Coder.id == CodeAssignment.coder_id)
        .where(Coder.kind == "machine", CodeAssignment.status == "suggested", CodeAssignment.answer_id.in_(answer_ids))
        .order_by(CodeAssignment.id)))
    mine: dict[int, list[CodeAssignment]] = {answer_id: [] for answer_id in answer_ids}
    accepted: dict[int, list[int]] = {answer_id: [] for answer_id in answer_ids}
    for row in machine_rows:
        row.status = "accepted"
        accepted[row.answer_id].append(row.id)
        mine[row.answer_id].append(CodeAssignment(answer_id=row.answer_id, theme_id=row.theme_id, coder_id=coder.id,
                                                  status="applied"))
    reviews = {answer_id: AnswerReview(answer_id=answer_id, coder_id=coder.id) for answer_id in answer_ids}
    db.session.add_all([row for rows in mine.values() for row in rows] + list(reviews.values()))
    db.session.flush()
    changes = {str(a): {"accepted": accepted[a], "applied": [r.id for r in mine[a]], "review": reviews[a].id}
               for a in answer_ids}
    bulk = BulkAcceptance(survey_id=survey.id, question_key=question_key, user_id=user.id, answers=len(answer_ids),
                          changes=changes)
    db.session.add(bulk)
    db.session.flush()
    audit.record("codes.bulk_accepted", survey, {"question": question_key, "bulk": bulk.id, "answers": len(answer_ids),
                                                 "codes": len(machine_rows),
                                                 "no_code": sum(1 for s in chosen if s.no_code)}, by=user)
    db.session.commit()
    return bulk


def undo(bulk: BulkAcceptance, user: User) -> tuple[int, int]:
    """Put back what `bulk` changed on each answer its researcher has not changed since: their codes and
    decision it added go, the machine's rows it accepted are open again. (restored, left as they are)"""
    if bulk.undone_at is not None:
        raise SuggestionError("That acceptance was already undone.")
    coder_id = db.session.scalar(select(Coder.id).where(Coder.user_id == bulk.user_id)) if bulk.user_id else None
    changes = {int(a): change for a, change in bulk.changes.items()}
    mine: dict[int, set[int]] = {a: set() for a in changes}
    for row_id, answer_id in db.session.execute(select(CodeAssignment.id, CodeAssignment.answer_id).where(
            CodeAssignment.coder_id == coder_id, CodeAssignment.answer_id.in_(list(changes)))):
        mine[answer_id].add(row_id)
    reviews = set(db.session.scalars(select(AnswerReview.id).where(
        AnswerReview.id.in_([c["review"] for c in changes.values()]))))
    machine = {r.id: r for r in db.session.scalars(select(CodeAssignment).where(
        CodeAssignment.id.in_([i for c in changes.values() for i in c["accepted"]])))}
    unchanged = [a for a, c in changes.items()
                 if mine[a] == set(c["applied"]) and c["review"] in reviews
                 and all(i in machine and machine[i].status == "accepted" for i in c["accepted"])]
    db.session.execute(delete(CodeAssignment).where(
        CodeAssignment.id.in_([i for a in unchanged for i in changes[a]["applied"]])))
    db.session.execute(delete(AnswerReview).where(AnswerReview.id.in_([changes[a]["review"] for a in unchanged])))
    for a in unchanged:
        for i in changes[a]["accepted"]:
            machine[i].status = "suggested"
    bulk.undone_at, bulk.undone_by = utcnow(), user.id
    audit.record("codes.bulk_accept_undone", db.session.get(Survey, bulk.survey_id),
                 {"question": bulk.question_key, "bulk": bulk.id, "restored": len(unchanged),
                  "left": len(changes) - len(unchanged)}, by=user)
    db.session.commit()
    return len(unchanged), len(changes) - len(unchanged)


def acceptances(survey: Survey, question_key: str) -> list[BulkAcceptance]:
    return list(db.session.scalars(select(BulkAcceptance).where(
        BulkAcceptance.survey_id == survey.id, BulkAcceptance.question_key == question_key)
        .order_by(BulkAcceptance.at.desc(), BulkAcceptance.id.desc()).limit(10)))

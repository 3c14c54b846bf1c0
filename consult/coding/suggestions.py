"""Machine suggestions: learn from answers people coded, suggest codes for a question's uncoded answers.

The machine is its own Coder (kind 'machine'); its rows start 'suggested' with the probability as score.
Accepting one marks the machine's row 'accepted' and adds the same code as the person's own 'applied'
row; rejecting marks it 'rejected'. Both identities' rows are kept, so machine-vs-person agreement can
be measured. Runs in the request for now; a background job can call `run_suggestions` unchanged.
"""
from __future__ import annotations

from sqlalchemy import exists, select

from consult.auth import services as audit
from consult.auth.models import User
from consult.coding.assignments import (
    clear_machine_suggestions,
    free_text_answers,
    machine_coder,
    person_coder,
)
from consult.coding.final import final_coding
from consult.coding.models import CodeAssignment, Coder, Theme
from consult.extensions import db
from consult.responses.models import Answer, Response
from consult.surveys.models import Question, Survey

MIN_TRAINING = 20


class SuggestionError(ValueError):
    pass


def training_answers(survey: Survey) -> list:
    """analysis.records.Answer for every answer with a settled final coding (adjudicated, single or agreed),
    with its question's key as context (the same words can mean different things under different questions)."""
    from analysis.records import Answer as Record

    coded_ids = list(db.session.scalars(
        select(CodeAssignment.answer_id).distinct().join(Coder, Coder.id == CodeAssignment.coder_id)
        .join(Answer, Answer.id == CodeAssignment.answer_id).join(Response, Response.id == Answer.response_id)
        .where(Response.survey_id == survey.id, Coder.kind == "person", CodeAssignment.status == "applied")))
    finals = final_coding(coded_ids)
    rows = {answer_id: (text, key) for answer_id, text, key in db.session.execute(
        select(Answer.id, Answer.text, Question.key).join(Question, Question.id == Answer.question_id)
        .where(Answer.id.in_(coded_ids)))} if coded_ids else {}
    return [Record(id=str(answer_id), text=rows[answer_id][0] or "", codes=tuple(str(t) for t in final.theme_ids),
                   context=rows[answer_id][1])
            for answer_id, final in sorted(finals.items()) if final.theme_ids]


def run_suggestions(survey: Survey, question_key: str, by: User | None = None, seed: int = 0) -> tuple[int, int, int]:
    """Train and store suggestions for the question's answers no person has coded. (suggestions, answers, trained on)"""
    training = training_answers(survey)
    if len(training) < MIN_TRAINING:
        raise SuggestionError(f"Code at least {MIN_TRAINING} answers first: the machine learns from people's codes, "
                              f"and there are {len(training)} coded answers with a settled coding.")
    # NOT EXISTS (an anti-join): NOT IN over hundreds of thousands of coded answers outgrows PostgreSQL's
    # work_mem and turns into a scan per answer.
    people_coded = exists().where(CodeAssignment.answer_id == Answer.id, CodeAssignment.status == "applied",
                                  CodeAssignment.coder_id.in_(select(Coder.id).where(Coder.kind == "person")))
    targets = list(db.session.execute(free_text_answers(survey, question_key).where(~people_coded)
                                      .with_only_columns(Answer.id, Answer.text).order_by(Answer.id)).all())
    if not targets:
        raise SuggestionError("Every answer to this question has been coded by a person: there is nothing to suggest.")
    from analysis.suggest import predict, train
    from analysis.text import analyzer_for

    model = train(training, analyzer_for("en", drop_stopwords=False), seed=seed)
    # The same code choice the batch command makes (expected-F1 best set, or no code when likelier).
    probabilities, chosen, _sure = predict(model, [text for _id, text in targets], [question_key] * len(targets))
    current = set(db.session.scalars(select(Theme.id).where(Theme.survey_id == survey.id, Theme.merged_into_id.is_(None))))
    machine = machine_coder()
    target_ids = [answer_id for answer_id, _text in targets]
    clear_machine_suggestions(target_ids, machine)
    decided = {(a, t) for a, t in db.session.execute(select(CodeAssignment.answer_id, CodeAssignment.theme_id).where(
        CodeAssignment.coder_id == machine.id, CodeAssignment.answer_id.in_(target_ids)))}
    made, answers = 0, 0
    for row, (answer_id, _text) in enumerate(targets):
        any_made = False
        for j, code in enumerate(model.codes):
            theme_id = int(code)
            if chosen[row, j] and theme_id in current and (answer_id, theme_id) not in decided:
                db.session.add(CodeAssignment(answer_id=answer_id, theme_id=theme_id, coder_id=machine.id,
                                              status="suggested", score=round(float(probabilities[row, j]), 4)))
                made, any_made = made + 1, True
        answers += any_made
    audit.record("codes.suggested", survey, {"question": question_key, "suggestions": made, "answers": answers,
                                             "trained_on": len(training)}, by=by)
    db.session.commit()
    return made, answers, len(training)


def machine_rows(answer: Answer) -> list[CodeAssignment]:
    """The machine's suggestions on an answer (any status), most likely first."""
    return list(db.session.scalars(select(CodeAssignment).join(Coder, Coder.id == CodeAssignment.coder_id).where(
        CodeAssignment.answer_id == answer.id, Coder.kind == "machine").order_by(CodeAssignment.score.desc())))


def _suggestion(answer: Answer, assignment_id: int) -> CodeAssignment:
    row = db.session.get(CodeAssignment, assignment_id)
    if row is None or row.answer_id != answer.id or row.coder.kind != "machine":
        raise SuggestionError("That suggestion is not on this answer")
    if row.status != "suggested":
        raise SuggestionError(f"That suggestion was already {row.status}")
    return row


def accept(answer: Answer, assignment_id: int, user: User) -> CodeAssignment:
    """The machine's row becomes 'accepted' and the person gets the same code as their own."""
    row = _suggestion(answer, assignment_id)
    coder = person_coder(user)
    row.status = "accepted"
    already = db.session.scalar(select(CodeAssignment).where(
        CodeAssignment.answer_id == answer.id, CodeAssignment.coder_id == coder.id, CodeAssignment.theme_id == row.theme_id,
        CodeAssignment.status == "applied", CodeAssignment.span_start.is_(None)))
    mine = already or CodeAssignment(answer_id=answer.id, theme_id=row.theme_id, coder_id=coder.id, status="applied")
    db.session.add(mine)
    audit.record("codes.applied", answer, {"answer_id": answer.id, "theme_ids": [row.theme_id],
                                           "accepted_suggestion": row.id}, by=user)
    db.session.commit()
    return mine


def reject(answer: Answer, assignment_id: int, user: User) -> None:
    row = _suggestion(answer, assignment_id)
    row.status = "rejected"
    audit.record("codes.suggestion_rejected", answer, {"answer_id": answer.id, "theme_id": row.theme_id,
                                                       "suggestion": row.id}, by=user)
    db.session.commit()

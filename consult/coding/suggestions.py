"""Machine suggestions: "Suggest codes" for a question's undecided answers, run as a background job.

Which model suggests, how it learns and how sure it is are the analysis package's rule, called unchanged
(analysis.few_shot.suggest_with_handover, the rule `python -m analysis few-shot` follows; from 400 coded
answers on it is `python -m analysis suggest`): before people have coded enough, the codebook's themes
(names, descriptions, inclusion and exclusion notes, examples) suggest few-shot, blended with the supervised
model as people code; then the supervised model alone, with its learnt confidence and auto routing.

It learns from every answer with a settled final coding (consult/coding/final.py), including those people
decided with "no code applies", which teach the model its "no code"; it suggests only on answers no person
has decided. The machine is its own Coder (kind 'machine'): each suggested code is a CodeAssignment row
('suggested', the code's probability as score); the suggestion as a whole (confidence, auto, review rank,
"no code") is an AnswerSuggestion of the run. Accepting a code marks the machine's row 'accepted' and adds
the same code as the person's own 'applied' row; rejecting marks it 'rejected'. Both coders' rows are kept,
so machine-vs-person agreement can be measured.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app
from sqlalchemy import ColumnElement, delete, exists, insert, or_, select

from consult.auth import services as audit
from consult.auth.models import User
from consult.coding.assignments import (
    clear_machine_suggestions,
    free_text_answers,
    machine_coder,
    person_coder,
)
from consult.coding.final import decided_final_coding
from consult.coding.models import (
    Adjudication,
    AnswerReview,
    AnswerSuggestion,
    CodeAssignment,
    Coder,
    SuggestionRun,
    Theme,
)
from consult.extensions import db
from consult.jobs.models import Job
from consult.jobs.services import JobError, submit, task
from consult.responses.models import Answer, Response
from consult.surveys.models import Question, Survey
from consult.surveys.services import job_survey

Progress = Callable[[float, str], None]
SETTLED = ("adjudicated", "single coder", "agreed")  # final codings a model may learn from


class SuggestionError(JobError, ValueError):
    pass


def decided(answer_id) -> ColumnElement[bool]:
    """Whether some person has decided the answer `answer_id` (codes, "no code applies") or it was adjudicated.

    Correlated EXISTS tests, to be negated for "undecided": NOT IN over hundreds of thousands of decided answers
    outgrows PostgreSQL's work_mem and turns into a scan per answer (it never finished at a million)."""
    people = select(Coder.id).where(Coder.kind == "person")
    return or_(exists().where(CodeAssignment.answer_id == answer_id, CodeAssignment.status == "applied",
                              CodeAssignment.coder_id.in_(people)),
               exists().where(AnswerReview.answer_id == answer_id, AnswerReview.coder_id.in_(people)),
               exists().where(Adjudication.answer_id == answer_id))


def current_themes(survey: Survey) -> list[Theme]:
    return list(db.session.scalars(select(Theme).where(Theme.survey_id == survey.id, Theme.merged_into_id.is_(None))
                                   .order_by(Theme.position, Theme.id)))


def codebook(themes: list[Theme]) -> list:
    """analysis.records.CodebookTheme for each current theme (an example a line)."""
    from analysis.records import CodebookTheme

    return [CodebookTheme(t.name, t.description or "", t.inclusion or "", t.exclusion or "",
                          tuple(line.strip() for line in (t.example or "").splitlines() if line.strip()))
            for t in themes]


def training_answers(survey: Survey, themes: list[Theme] | None = None) -> list:
    """analysis.records.Answer for every free-text answer with a settled final coding (adjudicated, one
    person's, or agreed), "no code applies" included (codes empty); codes are current theme names, and the
    context is the question's key (the same words can mean different things under different questions)."""
    from analysis.records import Answer as Record

    names = {t.id: t.name for t in (current_themes(survey) if themes is None else themes)}
    settled = {answer_id: final for answer_id, final in decided_final_coding(survey.id).items()
               if final.basis in SETTLED and all(t in names for t in final.theme_ids)}
    if not settled:
        return []
    rows = db.session.execute(free_text_answers(survey).where(Answer.id.in_(list(settled)))
                              .join(Question, Question.id == Answer.question_id)
                              .with_only_columns(Answer.id, Answer.text, Question.key).order_by(Answer.id)).all()
    return [Record(id=str(answer_id), text=text, codes=tuple(sorted(names[t] for t in settled[answer_id].theme_ids)),
                   context=key) for answer_id, text, key in rows]


def undecided_answers(survey: Survey, question_key: str) -> list:
    """analysis.records.Answer for the question's answers nobody has decided, in id order."""
    from analysis.records import Answer as Record

    rows = db.session.execute(free_text_answers(survey, question_key).where(~decided(Answer.id))
                              .with_only_columns(Answer.id, Answer.text).order_by(Answer.id)).all()
    return [Record(id=str(answer_id), text=text, context=question_key) for answer_id, text in rows]


def start(survey: Survey, question_key: str, user: User | None) -> Job:
    """Queue "Suggest codes" for the question's undecided answers."""
    return submit("coding_suggest", survey_id=survey.id, user_id=user.id if user else None,
                  params={"survey_id": survey.id, "question_key": question_key,
                          "title": f"Suggesting codes for ‘{question_key}’"},
                  timeout=current_app.config.get("SUGGEST_TIMEOUT_SECONDS", 1800))


@task("coding_suggest")
def run_job(job: Job, progress: Progress) -> dict[str, Any]:
    survey = job_survey(job)
    by = db.session.get(User, job.created_by) if job.created_by else None
    run = run_suggestions(survey, job.params["question_key"], by=by, progress=progress, job_id=job.id)
    suggested = db.session.scalar(select(db.func.count()).select_from(AnswerSuggestion)
                                  .where(AnswerSuggestion.run_id == run.id, AnswerSuggestion.no_code.is_(False)))
    auto = db.session.scalar(select(db.func.count()).select_from(AnswerSuggestion)
                             .where(AnswerSuggestion.run_id == run.id, AnswerSuggestion.auto.is_(True)))
    how = (f"learning from {run.trained_on:,} coded answers" if run.method == "supervised" else
           f"from the codebook's themes{f' and {run.trained_on:,} coded answers' if run.trained_on else ''}")
    return {"summary": f"The machine suggested codes for {suggested:,} of {run.answers:,} undecided answers "
                       f"({run.answers - suggested:,} with no code), {how}; {auto:,} are above the auto cut.",
            "run": run.id, "next_label": "Review the suggestions",
            "next": {"endpoint": "coding.suggestion_list",
                     "values": {"slug": survey.slug, "question": run.question_key, "order": "confidence"}}}


def run_suggestions(survey: Survey, question_key: str, by: User | None = None, seed: int = 0,
                    progress: Progress | None = None, job_id: int | None = None) -> SuggestionRun:
    """Suggest codes for the question's undecided answers and store them with their confidence, route and
    review rank (replacing the machine's open suggestions on them)."""
    from analysis.few_shot import suggest_with_handover
    from consult.coding.vectors import embedder

    progress = progress or (lambda fraction, message: None)
    progress(0.02, "Reading the codebook and the coded answers")
    themes = current_themes(survey)
    if not themes:
        raise SuggestionError("The codebook is empty: add themes (with descriptions and examples) first, "
                              "so the machine has codes to suggest.")
    training = training_answers(survey, themes)
    targets = undecided_answers(survey, question_key)
    if not targets:
        raise SuggestionError("Every answer to this question has been decided by a person: there is nothing to suggest.")
    coded_vectors, vectors = answer_vectors(survey, training, targets)
    progress(0.1, f"Learning from {len(training):,} coded answers and the codebook; suggesting for "
                  f"{len(targets):,} answers")
    try:
        made = suggest_with_handover(codebook(themes), targets, coded=training, seed=seed, vectors=vectors,
                                     coded_vectors=coded_vectors,
                                     embed=embedder() if vectors is not None else None)  # the codebook's texts, alike
    except ValueError as error:  # e.g. the coded answers carry no codes at all
        raise SuggestionError(f"The machine cannot learn from the coded answers yet: {error}.") from None
    progress(0.8, f"Storing {len(made.suggestions):,} suggestions")
    run = store(survey, question_key, made, len(training), by=by, job_id=job_id)
    progress(1.0, "Stored")
    return run


def answer_vectors(survey: Survey, training: list, targets: list) -> tuple[Any, Any]:
    """The stored sentence vectors of the coded answers and of the answers to suggest for, or (None, None): the
    words alone (consult.coding.vectors.vectors_or_queue)."""
    from consult.coding.vectors import vectors_or_queue

    return vectors_or_queue(survey.id, training, targets) or (None, None)


def store(survey: Survey, question_key: str, made: Any, trained_on: int, by: User | None = None,
          job_id: int | None = None) -> SuggestionRun:
    """Save an analysis.few_shot.Handover's suggestions as the run's rows (in bulk: 100,000 answers)."""
    ids = {t.name: t.id for t in current_themes(survey)}
    cut = made.model.auto_cut if made.model is not None else None
    run = SuggestionRun(survey_id=survey.id, question_key=question_key, method=made.method, trained_on=trained_on,
                        auto_cut=cut if cut is not None and cut != float("inf") else None,
                        answers=len(made.suggestions), job_id=job_id, made_by=by.id if by else None)
    db.session.add(run)
    machine = machine_coder()
    target_ids = [int(s.answer_id) for s in made.suggestions]
    kept = set()
    for start in range(0, len(target_ids), 5000):
        chunk = target_ids[start:start + 5000]
        clear_machine_suggestions(chunk, machine)
        db.session.execute(delete(AnswerSuggestion).where(AnswerSuggestion.answer_id.in_(chunk)))
        kept |= set(db.session.execute(select(CodeAssignment.answer_id, CodeAssignment.theme_id).where(
            CodeAssignment.coder_id == machine.id, CodeAssignment.answer_id.in_(chunk))).all())
    db.session.flush()
    wholes, codes = [], []
    for s in made.suggestions:
        answer_id, scores = int(s.answer_id), {c.code: c.probability for c in s.scores}
        wholes.append({"answer_id": answer_id, "run_id": run.id, "confidence": min(max(s.confidence, 0.0), 1.0),
                       "auto": s.route == "auto", "review_rank": s.review_rank, "no_code": not s.codes})
        codes += [{"answer_id": answer_id, "theme_id": ids[code], "coder_id": machine.id, "status": "suggested",
                   "score": scores.get(code)} for code in s.codes if code in ids and (answer_id, ids[code]) not in kept]
    for rows, model in ((wholes, AnswerSuggestion), (codes, CodeAssignment)):
        for start in range(0, len(rows), 5000):
            db.session.execute(insert(model), rows[start:start + 5000])
    audit.record("codes.suggested", survey, {"question": question_key, "method": made.method, "run": run.id,
                                             "answers": len(wholes), "suggestions": len(codes),
                                             "auto": sum(w["auto"] for w in wholes), "trained_on": trained_on}, by=by)
    db.session.commit()
    return run


def answer_suggestion(answer: Answer) -> AnswerSuggestion | None:
    return db.session.scalar(select(AnswerSuggestion).where(AnswerSuggestion.answer_id == answer.id))


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


def in_survey_question(survey: Survey, question_key: str):
    """A select() of the ids of the survey's answers to questions with this key (any version)."""
    return (select(Answer.id).join(Question, Question.id == Answer.question_id)
            .join(Response, Response.id == Answer.response_id)
            .where(Response.survey_id == survey.id, Question.key == question_key))

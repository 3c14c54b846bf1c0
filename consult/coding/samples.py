"""Double-coding samples: a seeded random share of a question's answers given to two coders, blind.

Blind means: on a sample answer, each of its coders sees only their own codes and memo, never the
other coder's, and no machine suggestions either (they are trained on other people's codes, so they
would pass on the other coder's judgement and anchor the coder, inflating the agreement measured).
"""
from __future__ import annotations

import random
from dataclasses import dataclass

from sqlalchemy import func, select

from consult.auth import services as audit
from consult.auth.models import User
from consult.coding.assignments import free_text_answers, person_coder, undecided_in
from consult.coding.models import Coder, CodingSample, SampleItem
from consult.extensions import db
from consult.responses.models import Answer
from consult.surveys.figure_cache import cached
from consult.surveys.kinds import kind_of
from consult.surveys.models import Question, Survey
from consult.surveys.services import question_labels


class SampleError(ValueError):
    pass


@dataclass(frozen=True)
class SampleProgress:
    sample: CodingSample
    question_key: str
    size: int
    coded_a: int
    coded_b: int


def question_keys(survey: Survey) -> list[tuple[str, str]]:
    """(key, label) of the current version's codable questions: what the question pickers offer."""
    labels = question_labels(survey)
    return [(q.key, labels[q.key]) for q in survey.current_version.questions if kind_of(q).codable(q)]


def sample_items(sample: CodingSample) -> list[int]:
    """The answer ids a sample gave its two coders."""
    return list(db.session.scalars(select(SampleItem.answer_id).where(SampleItem.sample_id == sample.id)))


def create_sample(survey: Survey, question_key: str, fraction: float, user_a: User, user_b: User,
                  seed: int | None = None, by: User | None = None) -> CodingSample:
    """Pick round(fraction × answers) of the question's free-text answers (at least one) with a seeded shuffle."""
    if user_a.id == user_b.id:
        raise SampleError("Choose two different coders")
    if not 0 < fraction <= 1:
        raise SampleError("Enter a percentage between 1 and 100")
    question = next((q for q in survey.current_version.questions if q.key == question_key), None)
    if question is None:
        raise SampleError("Choose a question from this survey")
    ids = sorted(db.session.scalars(free_text_answers(survey, question_key).with_only_columns(Answer.id)))
    if not ids:
        raise SampleError("This question has no free-text answers to sample yet")
    seed = seed if seed is not None else random.SystemRandom().randrange(2**31)
    chosen = sorted(random.Random(seed).sample(ids, max(1, round(fraction * len(ids)))))
    sample = CodingSample(survey_id=survey.id, question_id=question.id, coder_a_id=person_coder(user_a).id,
                          coder_b_id=person_coder(user_b).id, fraction=fraction, seed=seed,
                          created_by=by.id if by else None)
    db.session.add(sample)
    db.session.flush()
    db.session.add_all(SampleItem(sample_id=sample.id, answer_id=answer_id) for answer_id in chosen)
    audit.record("coding.sample_created", sample, {"question": question_key, "answers": len(chosen), "seed": seed,
                                                   "coders": [user_a.email, user_b.email]}, by=by)
    db.session.commit()
    return sample


def is_blind(answer_id: int, coder_id: int) -> bool:
    """Is this answer in a double-coding sample given to this coder (so others' codes stay hidden)?"""
    return db.session.scalar(
        select(func.count()).select_from(SampleItem).join(CodingSample, CodingSample.id == SampleItem.sample_id)
        .where(SampleItem.answer_id == answer_id,
               (CodingSample.coder_a_id == coder_id) | (CodingSample.coder_b_id == coder_id))) > 0


def in_any_sample(answer_id: int) -> bool:
    return db.session.scalar(select(func.count()).select_from(SampleItem).where(SampleItem.answer_id == answer_id)) > 0


def survey_samples(survey: Survey) -> list[SampleProgress]:
    """Each sample with how many of its answers each coder has coded: kept until the coding or the samples
    change (consult.surveys.figure_cache), since each count looks up every item of the sample."""
    samples = list(db.session.scalars(select(CodingSample).where(CodingSample.survey_id == survey.id)
                                      .order_by(CodingSample.created_at.desc())))

    def count() -> dict[str, list[int]]:
        return {str(sample.id): [_size(sample), _decided(sample, sample.coder_a), _decided(sample, sample.coder_b)]
                for sample in samples}

    kept = cached(survey.id, "sample_progress", count)
    if any(str(sample.id) not in kept for sample in samples):  # a sample made since, under the same revision
        kept = count()
    out = []
    for sample in samples:
        key = db.session.scalar(select(Question.key).where(Question.id == sample.question_id)) or "all questions"
        out.append(SampleProgress(sample, key, *kept[str(sample.id)]))
    return out


def _size(sample: CodingSample) -> int:
    return db.session.scalar(select(func.count()).select_from(SampleItem).where(SampleItem.sample_id == sample.id))


def _decided(sample: CodingSample, coder: Coder) -> int:
    """The sample's answers this coder has decided, by the coding queue's rule (`undecided_in`): a code applied,
    or "no code applies", which the agreement figures count as an empty code set. Each of the sample's items is
    looked up on the coder's own index entries, not all of a coder's codes (600,000 at a million responses)."""
    undecided = undecided_in([sample.id], coder).subquery()
    return _size(sample) - (db.session.scalar(select(func.count()).select_from(undecided)) or 0)

"""The codebook (themes and their history), coders (people and the machine), and what they applied."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    event,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.auth.models import User
from consult.extensions import db
from consult.responses.models import Answer
from consult.timeutil import utcnow


class Theme(db.Model):
    """A code in a survey's codebook; `parent_id` nests it one level under a parent theme."""

    __tablename__ = "theme"
    __table_args__ = (UniqueConstraint("survey_id", "name"),
                      CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"))

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("theme.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    inclusion: Mapped[str] = mapped_column(Text, default="")
    exclusion: Mapped[str] = mapped_column(Text, default="")
    example: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    # A merged theme stays (for history and agreement figures) but is retired into its successor.
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("theme.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    parent: Mapped[Theme | None] = relationship(remote_side=[id], foreign_keys=[parent_id])
    merged_into: Mapped[Theme | None] = relationship(remote_side=[id], foreign_keys=[merged_into_id])

    @property
    def active(self) -> bool:
        return self.merged_into_id is None


class ThemeChange(db.Model):
    """History of the codebook: created, edited, renamed, merged, split, imported."""

    __tablename__ = "theme_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("theme.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(20))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User | None] = relationship()


class Coder(db.Model):
    """Whoever applies codes: a person (one per user) or a machine model, never confused."""

    __tablename__ = "coder"
    __table_args__ = (CheckConstraint("kind IN ('person', 'machine')", name="kind_known"),
                      CheckConstraint("(kind = 'person') = (user_id IS NOT NULL)", name="person_has_user"))

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), unique=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)

    user: Mapped[User | None] = relationship()


class CodeAssignment(db.Model):
    """One coder's code on an answer (whole answer when span is empty). Machine codes start 'suggested'."""

    __tablename__ = "code_assignment"
    __table_args__ = (
        CheckConstraint("status IN ('applied', 'suggested', 'accepted', 'rejected')", name="status_known"),
        CheckConstraint("(span_start IS NULL) = (span_end IS NULL)", name="span_both_or_neither"),
        CheckConstraint("span_start IS NULL OR (span_start >= 0 AND span_end > span_start)", name="span_ordered"),
        Index("ix_code_assignment_answer_coder", "answer_id", "coder_id"),
        # A coder's codes, say their last; with the status, whether they coded an answer reads this index alone.
        Index("ix_code_assignment_coder_answer", "coder_id", "answer_id", postgresql_include=["status"]),
        Index("ix_code_assignment_theme", "theme_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("answer.id", ondelete="CASCADE"))
    theme_id: Mapped[int] = mapped_column(ForeignKey("theme.id", ondelete="CASCADE"))
    coder_id: Mapped[int] = mapped_column(ForeignKey("coder.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(10), default="applied")
    span_start: Mapped[int | None]
    span_end: Mapped[int | None]
    score: Mapped[float | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    answer: Mapped[Answer] = relationship()
    theme: Mapped[Theme] = relationship()
    coder: Mapped[Coder] = relationship()


class AnswerNote(db.Model):
    """A coder's memo on an answer, or a flag (say, possible personal data) for others to see.

    `response_id` is the answer's response, kept on the note (filled in when it is stored, see
    `_note_response`) so that "responses with an open flag" reads the notes alone: the list's flag filter
    tests one small index per response instead of finding each response's answers first."""

    __tablename__ = "answer_note"
    __table_args__ = (CheckConstraint("kind IN ('memo', 'flag')", name="kind_known"),
                      Index("ix_answer_note_answer", "answer_id"),
                      Index("ix_answer_note_response", "response_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("answer.id", ondelete="CASCADE"))
    response_id: Mapped[int] = mapped_column(ForeignKey("response.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(5))
    text: Mapped[str] = mapped_column(Text, default="")
    resolved: Mapped[bool] = mapped_column(default=False)
    at: Mapped[datetime] = mapped_column(default=utcnow)


@event.listens_for(AnswerNote, "before_insert")
def _note_response(_mapper, connection, note: AnswerNote) -> None:
    """A note stored without its response id takes its answer's (an answer never moves to another response)."""
    if note.response_id is None:
        note.response_id = connection.scalar(select(Answer.response_id).where(Answer.id == note.answer_id))


class CodingSample(db.Model):
    """A double-coding sample: the same answers given to two coders, blind to each other."""

    __tablename__ = "coding_sample"
    __table_args__ = (CheckConstraint("coder_a_id <> coder_b_id", name="two_coders"),
                      CheckConstraint("fraction > 0 AND fraction <= 1", name="fraction_range"))

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"))
    question_id: Mapped[int | None] = mapped_column(ForeignKey("survey_question.id", ondelete="CASCADE"))
    coder_a_id: Mapped[int] = mapped_column(ForeignKey("coder.id", ondelete="CASCADE"))
    coder_b_id: Mapped[int] = mapped_column(ForeignKey("coder.id", ondelete="CASCADE"))
    fraction: Mapped[float]
    seed: Mapped[int]
    created_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    coder_a: Mapped[Coder] = relationship(foreign_keys=[coder_a_id])
    coder_b: Mapped[Coder] = relationship(foreign_keys=[coder_b_id])


class SampleItem(db.Model):
    __tablename__ = "coding_sample_item"
    __table_args__ = (UniqueConstraint("sample_id", "answer_id"), Index("ix_coding_sample_item_answer", "answer_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    sample_id: Mapped[int] = mapped_column(ForeignKey("coding_sample.id", ondelete="CASCADE"))
    answer_id: Mapped[int] = mapped_column(ForeignKey("answer.id", ondelete="CASCADE"))


class Adjudication(db.Model):
    """The settled code set for an answer whose coders disagreed: it becomes the final coding."""

    __tablename__ = "adjudication"

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("answer.id", ondelete="CASCADE"), unique=True)
    theme_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(default=utcnow)


class AnswerReview(db.Model):
    """A coder has decided this answer's code set, which may be empty ("no code applies").

    Without it an answer a coder deliberately left without codes would look uncoded: it would come
    back in their queue and drop out of agreement figures, where an empty set is a real judgement.
    """

    __tablename__ = "answer_review"
    __table_args__ = (UniqueConstraint("answer_id", "coder_id"), Index("ix_answer_review_coder", "coder_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("answer.id", ondelete="CASCADE"))
    coder_id: Mapped[int] = mapped_column(ForeignKey("coder.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class SuggestionRun(db.Model):
    """One run of "Suggest codes" on a question: how it suggested (few-shot from the codebook's texts, or
    the supervised model), what it learnt from, and the confidence from which it routes answers to auto."""

    __tablename__ = "suggestion_run"
    __table_args__ = (CheckConstraint("method IN ('few-shot', 'supervised')", name="method_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    question_key: Mapped[str] = mapped_column(String(60))
    method: Mapped[str] = mapped_column(String(12))
    trained_on: Mapped[int] = mapped_column(default=0)
    auto_cut: Mapped[float | None]  # None: no confidence reached the agreement asked of auto
    answers: Mapped[int] = mapped_column(default=0)
    job_id: Mapped[int | None] = mapped_column(ForeignKey("job.id", ondelete="SET NULL"))
    made_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    made_at: Mapped[datetime] = mapped_column(default=utcnow)


class AnswerSuggestion(db.Model):
    """The machine's suggestion on an answer as a whole (its codes are the machine's CodeAssignment rows):
    its confidence (expected sample-F1 with a person's codes), whether it routes to auto, its review rank
    (1 = the answer whose coding would teach the model most), and whether it says no code applies."""

    __tablename__ = "answer_suggestion"
    __table_args__ = (CheckConstraint("confidence >= 0 AND confidence <= 1", name="confidence_range"),
                      CheckConstraint("review_rank >= 1", name="rank_positive"))

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("answer.id", ondelete="CASCADE"), unique=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("suggestion_run.id", ondelete="CASCADE"), index=True)
    confidence: Mapped[float]
    auto: Mapped[bool] = mapped_column(default=False)
    review_rank: Mapped[int]
    no_code: Mapped[bool] = mapped_column(default=False)

    run: Mapped[SuggestionRun] = relationship()


class BulkAcceptance(db.Model):
    """"Accept all above the auto cut": what it changed, so that undo puts back exactly what was there.
    `changes` holds the machine rows it marked accepted, and the person's code rows and decisions it added."""

    __tablename__ = "bulk_acceptance"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    question_key: Mapped[str] = mapped_column(String(60))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    answers: Mapped[int] = mapped_column(default=0)
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    undone_at: Mapped[datetime | None]
    undone_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    user: Mapped[User | None] = relationship(foreign_keys=[user_id])


class AnswerVector(db.Model):
    """An answer's sentence vector (analysis.embeddings), worked out once in the background job that follows
    `responses_stored` when the optional model is installed, and read by "Suggest codes" beside the words.
    `scheme` names the model; `vector` holds its float32 numbers, little-endian."""

    __tablename__ = "answer_vector"
    __table_args__ = (Index("ix_answer_vector_survey", "survey_id", "answer_id"),)

    answer_id: Mapped[int] = mapped_column(ForeignKey("answer.id", ondelete="CASCADE"), primary_key=True,
                                           autoincrement=False)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"))
    scheme: Mapped[str] = mapped_column(String(60))
    vector: Mapped[bytes] = mapped_column(LargeBinary)

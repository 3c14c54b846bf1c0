"""What redaction keeps: a mark for each answer the machine has read, and each span of personal data found in
an answer, by the machine or by a person, with who changed it and when."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, validates

from consult.extensions import db
from consult.timeutil import utcnow

SOURCES = ("machine", "person")
STATES = ("active", "undone")


class RedactionCheck(db.Model):
    """An answer the machine redactor has read under `scheme` (its spans, if any, are Redaction rows). Answers
    never change, so each is read once, in the background job that follows `responses_stored`."""

    __tablename__ = "redaction_check"
    __table_args__ = (Index("ix_redaction_check_survey", "survey_id", "answer_id"),)

    answer_id: Mapped[int] = mapped_column(ForeignKey("answer.id", ondelete="CASCADE"), primary_key=True,
                                           autoincrement=False)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"))
    scheme: Mapped[str] = mapped_column(String(40))
    checked_at: Mapped[datetime] = mapped_column(default=utcnow)


class Redaction(db.Model):
    """One span of an answer's text (`span_start`, `span_end`: character offsets) hidden as `[KIND]` wherever the answer is
    published. `source` says who found it; a person may undo a span (`state` "undone": the words are printed
    again) and redact it again. `created_by`/`created_at` and `changed_by`/`changed_at` audit the span."""

    __tablename__ = "redaction"
    __table_args__ = (
        CheckConstraint("source IN ('machine', 'person')", name="source_known"),
        CheckConstraint("state IN ('active', 'undone')", name="state_known"),
        CheckConstraint("span_start >= 0 AND span_end > span_start", name="span_ordered"),
        Index("ix_redaction_answer", "answer_id", "span_start"),
        Index("ix_redaction_survey", "survey_id", "state", "answer_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("answer.id", ondelete="CASCADE"))
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"))
    span_start: Mapped[int] = mapped_column(Integer)
    span_end: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(String(10), default="machine")
    state: Mapped[str] = mapped_column(String(10), default="active")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    changed_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    changed_at: Mapped[datetime | None] = mapped_column()

    @validates("source")
    def _source(self, _key: str, value: str) -> str:
        if value not in SOURCES:
            raise ValueError(f"unknown redaction source {value!r}")
        return value

    @validates("state")
    def _state(self, _key: str, value: str) -> str:
        if value not in STATES:
            raise ValueError(f"unknown redaction state {value!r}")
        return value

    @property
    def active(self) -> bool:
        return self.state == "active"

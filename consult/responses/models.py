"""Respondents' work: unfinished drafts (save and resume) and submitted responses with their answers."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.extensions import db
from consult.surveys.models import Question, Survey, SurveyVersion
from consult.timeutil import utcnow

CHANNELS = ("web", "email", "paper", "workshop")


class Draft(db.Model):
    """Answers saved page by page. Answered against one survey version until submitted or expired."""

    __tablename__ = "response_draft"
    # No index on expires_at: every page save moves it, and an indexed column that changes makes PostgreSQL write
    # a new copy of the row and of every index entry (no HOT update). The purge of expired drafts reads them all
    # once a minute instead. Room is left in each page for a row's next version (fillfactor).
    __table_args__ = (Index("ix_response_draft_version", "version_id"), {"postgresql_with": {"fillfactor": 70}})

    id: Mapped[int] = mapped_column(primary_key=True)
    # Secret held in the respondent's session cookie; never shown.
    token: Mapped[str] = mapped_column(String(64), unique=True)
    # SHA-256 of the resume code the respondent was given, if they asked to save and come back.
    resume_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    # One-time token for the final submit: a replayed or doubled POST creates one response.
    submission_token: Mapped[str] = mapped_column(String(64), unique=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("survey_version.id", ondelete="CASCADE"))
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # The position of the page last saved (by "Continue" or "Save and come back later"): resuming opens the
    # page after it, or that page again while it holds answers saved without passing its checks.
    last_page: Mapped[int | None]
    # What was typed on pages saved for later without passing their checks, as the form sent it, by page
    # position: {"9": {"barriers_detail": ["3,100 characters..."]}}. Shown again, with the errors, on return.
    unsaved: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]

    version: Mapped[SurveyVersion] = relationship()

    def unsaved_pages(self) -> set[int]:
        return {int(position) for position in (self.unsaved or {})}


class ImportBatch(db.Model):
    """One imported file of responses (email, paper, workshop or web exports): all rows or none."""

    __tablename__ = "import_batch"
    __table_args__ = (CheckConstraint("channel IN ('web', 'email', 'paper', 'workshop')", name="channel_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(10))
    filename: Mapped[str] = mapped_column(String(255))
    checksum: Mapped[str] = mapped_column(String(64))
    created_rows: Mapped[int] = mapped_column(default=0)
    skipped_rows: Mapped[int] = mapped_column(default=0)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class WorkshopEvent(db.Model):
    """A workshop or engagement event: planned by staff who invite respondents to it (consult.workshops), and
    whose notes staff type in as evidence afterwards."""

    __tablename__ = "workshop_event"
    __table_args__ = (CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    place: Mapped[str] = mapped_column(String(200))
    held_on: Mapped[date]
    # A planned event: when it starts (UTC), its link when online, and how many places it has.
    starts_at: Mapped[datetime | None]
    online_link: Mapped[str | None] = mapped_column(String(500))
    capacity: Mapped[int | None]
    cancelled_at: Mapped[datetime | None]
    attendee_types: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Response(db.Model):
    __tablename__ = "response"
    __table_args__ = (
        CheckConstraint("channel IN ('web', 'email', 'paper', 'workshop')", name="channel_known"),
        Index("ix_response_survey_submitted", "survey_id", "submitted_at"),
        Index("ix_response_survey_type", "survey_id", "respondent_type"),
        Index("ix_response_survey_id", "survey_id", "id"),  # a survey's newest response (figures' stamps)
        # Search by the start of a reference (LIKE 'KIL-AB12%'), whatever the database's collation.
        Index("ix_response_reference_prefix", "reference", postgresql_ops={"reference": "varchar_pattern_ops"}),
        # Re-running an import never duplicates a row: each imported row has a stable key.
        UniqueConstraint("survey_id", "import_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="RESTRICT"))
    version_id: Mapped[int] = mapped_column(ForeignKey("survey_version.id", ondelete="RESTRICT"))
    reference: Mapped[str] = mapped_column(String(32), unique=True)
    submission_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    channel: Mapped[str] = mapped_column(String(10), default="web")
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Copied from role-tagged answers when the response is stored, so lists filter without JSON queries.
    respondent_type: Mapped[str | None] = mapped_column(String(60))
    capacity: Mapped[str | None] = mapped_column(String(20))
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id", ondelete="SET NULL"))
    import_key: Mapped[str | None] = mapped_column(String(64))
    workshop_id: Mapped[int | None] = mapped_column(ForeignKey("workshop_event.id", ondelete="SET NULL"))
    # The language the respondent answered in (web responses); None when not known (imports).
    language: Mapped[str | None] = mapped_column(String(2))

    survey: Mapped[Survey] = relationship()
    version: Mapped[SurveyVersion] = relationship()
    answers: Mapped[list[Answer]] = relationship(
        back_populates="response", cascade="all, delete-orphan", order_by="Answer.id")


class Answer(db.Model):
    """One question's answer: `value` is the structured part, `text` the free text (what gets coded)."""

    __tablename__ = "answer"
    __table_args__ = (UniqueConstraint("response_id", "question_id"),
                      # A question's answers newest first (question pages walk them), and its counts.
                      Index("ix_answer_question_id", "question_id", "id"),
                      # Search within answers (LIKE '%term%' on lower(text)) reads trigrams, not every answer.
                      Index("ix_answer_text_trigram", func.lower(text("text")), postgresql_using="gin",
                            postgresql_ops={"lower_1": "gin_trgm_ops"}).ddl_if(dialect="postgresql"))

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("response.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(ForeignKey("survey_question.id", ondelete="RESTRICT"))
    value: Mapped[Any] = mapped_column(JSON, nullable=True)
    text: Mapped[str | None] = mapped_column(Text)

    response: Mapped[Response] = relationship(back_populates="answers")
    question: Mapped[Question] = relationship()
    options: Mapped[list[AnswerOption]] = relationship(cascade="all, delete-orphan")


class AnswerOption(db.Model):
    """Each option chosen in a closed answer (choices, scale points, councils), for filters and counts."""

    __tablename__ = "answer_option"
    __table_args__ = (UniqueConstraint("answer_id", "value"), Index("ix_answer_option_question_value", "question_id", "value"))

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("answer.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(ForeignKey("survey_question.id", ondelete="CASCADE"))
    value: Mapped[str] = mapped_column(String(120))

"""Respondents' work: unfinished drafts (save and resume) and submitted responses with their answers."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.extensions import db
from consult.surveys.models import Question, Survey, SurveyVersion
from consult.timeutil import utcnow

CHANNELS = ("web", "email", "paper", "workshop")


class Draft(db.Model):
    """Answers saved page by page. Answered against one survey version until submitted or expired."""

    __tablename__ = "response_draft"
    __table_args__ = (Index("ix_response_draft_expires_at", "expires_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Secret held in the respondent's session cookie; never shown.
    token: Mapped[str] = mapped_column(String(64), unique=True)
    # SHA-256 of the resume code the respondent was given, if they asked to save and come back.
    resume_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    # One-time token for the final submit: a replayed or doubled POST creates one response.
    submission_token: Mapped[str] = mapped_column(String(64), unique=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("survey_version.id", ondelete="CASCADE"))
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]

    version: Mapped[SurveyVersion] = relationship()


class Response(db.Model):
    __tablename__ = "response"
    __table_args__ = (
        CheckConstraint("channel IN ('web', 'email', 'paper', 'workshop')", name="channel_known"),
        Index("ix_response_survey_submitted", "survey_id", "submitted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="RESTRICT"))
    version_id: Mapped[int] = mapped_column(ForeignKey("survey_version.id", ondelete="RESTRICT"))
    reference: Mapped[str] = mapped_column(String(32), unique=True)
    submission_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    channel: Mapped[str] = mapped_column(String(10), default="web")
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)

    survey: Mapped[Survey] = relationship()
    version: Mapped[SurveyVersion] = relationship()
    answers: Mapped[list[Answer]] = relationship(
        back_populates="response", cascade="all, delete-orphan", order_by="Answer.id")


class Answer(db.Model):
    """One question's answer: `value` is the structured part, `text` the free text (what gets coded)."""

    __tablename__ = "answer"
    __table_args__ = (UniqueConstraint("response_id", "question_id"),
                      Index("ix_answer_question", "question_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("response.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(ForeignKey("survey_question.id", ondelete="RESTRICT"))
    value: Mapped[Any] = mapped_column(JSON, nullable=True)
    text: Mapped[str | None] = mapped_column(Text)

    response: Mapped[Response] = relationship(back_populates="answers")
    question: Mapped[Question] = relationship()

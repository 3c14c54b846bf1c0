"""Numbered drafts of a survey's principles, each frozen with the evidence it was built from, and the facts
about each response that let a draft be built quickly at 100,000 responses."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, CheckConstraint, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from consult.extensions import db
from consult.timeutil import utcnow


class PrincipleDraft(db.Model):
    """Version N of a survey's draft principles: the document (counts and coding as of that moment),
    the staff edits applied to it, and the PDF and HTML rendered from it, kept byte for byte."""

    __tablename__ = "principle_draft"
    __table_args__ = (UniqueConstraint("survey_id", "number"),
                      CheckConstraint("number >= 1", name="number_positive"))

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"))
    number: Mapped[int]
    based_on_id: Mapped[int | None] = mapped_column(ForeignKey("principle_draft.id", ondelete="SET NULL"))
    document: Mapped[dict[str, Any]] = mapped_column(JSON, deferred=True)
    edits: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    note: Mapped[str] = mapped_column(Text, default="")
    pdf: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    html: Mapped[str] = mapped_column(Text, deferred=True)
    respondents: Mapped[int] = mapped_column(default=0)
    demo: Mapped[bool] = mapped_column(default=False)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ResponseSignature(db.Model):
    """What campaign detection compares, worked out once when a response is stored (its answers never
    change): the key of its free text's words (equal words, equal key), the MinHash signature and the
    number of shingles it was made from, all NULL when the text is too short to compare. `scheme` names
    the signature parameters."""

    __tablename__ = "response_signature"
    # Counting, fingerprinting and listing a survey's signatures reads this index alone.
    __table_args__ = (Index("ix_response_signature_survey", "survey_id", "scheme", "response_id", "text_key"),)

    response_id: Mapped[int] = mapped_column(ForeignKey("response.id", ondelete="CASCADE"), primary_key=True,
                                             autoincrement=False)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"))
    scheme: Mapped[str] = mapped_column(String(40))
    text_key: Mapped[int | None] = mapped_column(BigInteger)
    signature: Mapped[bytes | None] = mapped_column(LargeBinary)
    shingles: Mapped[int | None] = mapped_column(Integer)


class AgreementVote(db.Model):
    """A response's answer to a consulted principle's agreement question, beside the respondent's type,
    so that drafts count votes by group from one index instead of joining every answer."""

    __tablename__ = "agreement_vote"
    __table_args__ = (Index("ix_agreement_vote_count", "question_id", "respondent_type", "value"),)

    response_id: Mapped[int] = mapped_column(ForeignKey("response.id", ondelete="CASCADE"), primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("survey_question.id", ondelete="CASCADE"), primary_key=True)
    respondent_type: Mapped[str | None] = mapped_column(String(60))
    value: Mapped[str] = mapped_column(String(120))


class CampaignCache(db.Model):
    """The campaigns last found in a survey, with a fingerprint of the signatures they were found from:
    a draft reuses them while the fingerprint still matches (no response added or erased since)."""

    __tablename__ = "campaign_cache"

    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), primary_key=True,
                                           autoincrement=False)
    scheme: Mapped[str] = mapped_column(String(40))
    fingerprint: Mapped[str] = mapped_column(String(200))
    # [[member response ids in order], representative response id, lowest similarity to it] per campaign
    campaigns: Mapped[list[Any]] = mapped_column(JSON, default=list)
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)

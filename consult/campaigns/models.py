"""What campaign detection keeps: a signature per response, and the campaigns last found per survey."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from consult.extensions import db
from consult.timeutil import utcnow


class ResponseSignature(db.Model):
    """What campaign detection compares, worked out once per response in a background job (its answers never
    change): the key of its free text's words (equal words, equal key), the MinHash signature and the number
    of shingles it was made from, all NULL when the text is too short to compare. `scheme` names the
    signature parameters."""

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


class CampaignCache(db.Model):
    """The campaigns last found in a survey, with a fingerprint of the signatures they were found from:
    reused while the fingerprint still matches (no response added or erased since)."""

    __tablename__ = "campaign_cache"

    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), primary_key=True,
                                           autoincrement=False)
    scheme: Mapped[str] = mapped_column(String(40))
    fingerprint: Mapped[str] = mapped_column(String(200))
    # [[member response ids in order], representative response id, lowest similarity to it] per campaign
    campaigns: Mapped[list[Any]] = mapped_column(JSON, default=list)
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)

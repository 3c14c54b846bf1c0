"""Numbered drafts of a survey's principles, each frozen with the evidence it was built from."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    LargeBinary,
    Text,
    UniqueConstraint,
)
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

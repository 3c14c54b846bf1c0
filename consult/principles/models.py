"""Numbered drafts of a survey's principles, each frozen with the evidence it was built from; the version
published as the consultation's outcome; and the moderation of responses published beside it."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from consult.extensions import db
from consult.timeutil import utcnow


PUBLIC_EDITION = 2  # `edition` of a version whose stored HTML and PDF are the public edition


class PrincipleDraft(db.Model):
    """Version N of a survey's draft principles: the document (counts and coding as of that moment),
    the staff edits applied to it, and the public edition's PDF and HTML rendered from it, kept byte for
    byte. When a respondent's words are withdrawn the document loses them and the files are emptied
    (`rerendering`) until a background job renders them again. Versions made before editions existed
    (`edition` 1) hold files that cite answers, and are never published."""

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
    edition: Mapped[int] = mapped_column(default=PUBLIC_EDITION, server_default="1")
    rerendering: Mapped[bool] = mapped_column(default=False, server_default=false())


class OutcomePublication(db.Model):
    """The version a survey's public outcome page shows ("We asked, you said, we did"): one per survey."""

    __tablename__ = "outcome_publication"

    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), primary_key=True,
                                           autoincrement=False)
    draft_id: Mapped[int] = mapped_column(ForeignKey("principle_draft.id", ondelete="CASCADE"))
    what_we_did: Mapped[str] = mapped_column(Text, default="")
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))


class ResponseModeration(db.Model):
    """A moderator's decision on publishing one response whose author agreed: accepted (published, redacted)
    or held, with the reason. Erasing the response deletes it (ON DELETE CASCADE)."""

    __tablename__ = "response_moderation"
    __table_args__ = (CheckConstraint("decision IN ('accepted', 'held')", name="decision_known"),)

    response_id: Mapped[int] = mapped_column(ForeignKey("response.id", ondelete="CASCADE"), primary_key=True,
                                             autoincrement=False)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    decision: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(Text, default="")
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)

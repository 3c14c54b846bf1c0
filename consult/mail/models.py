"""The outbox: one row per email to send, written with what caused it, sent (and retried) by a job."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from consult.extensions import db
from consult.timeutil import utcnow


class MailState(str, enum.Enum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"  # gave up after the last retry
    CANCELLED = "cancelled"  # what it was about has gone (a response erased, an invitation withdrawn)


class OutboxMessage(db.Model):
    """An email to send. Its address and what it carries (a resume code, say) are wiped once it is sent or
    given up: only the fact that it was sent, and when, stays."""

    __tablename__ = "mail_outbox"
    __table_args__ = (
        CheckConstraint("state IN ('pending', 'sent', 'failed', 'cancelled')", name="state_known"),
        Index("ix_mail_outbox_due", "state", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # What composes it: a composer registered under this name (see consult.mail.services.composer).
    kind: Mapped[str] = mapped_column(String(40))
    survey_id: Mapped[int | None] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"))
    # Given by the respondent for this message only; None once sent, or when the composer finds the address.
    to_address: Mapped[str | None] = mapped_column(String(254))
    language: Mapped[str] = mapped_column(String(2), default="en")
    params: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(10), default=MailState.PENDING.value)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]

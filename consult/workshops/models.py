"""Invitations to a workshop event (the event itself is consult.responses.models.WorkshopEvent)."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.extensions import db
from consult.responses.models import Response, WorkshopEvent
from consult.timeutil import utcnow


class Reply(str, enum.Enum):
    INVITED = "invited"  # no answer yet
    ACCEPTED = "accepted"  # has a place
    WAITING = "waiting"  # said yes when the places were taken
    DECLINED = "declined"
    CANCELLED = "cancelled"  # the event was cancelled


class Invitation(db.Model):
    """One respondent invited to one event. The respondent's address is never copied here: each email looks
    it up in their response's contact answer, so it goes when that does (at closing, or on erasure)."""

    __tablename__ = "workshop_invitation"
    __table_args__ = (
        UniqueConstraint("event_id", "response_id"),
        CheckConstraint("reply IN ('invited', 'accepted', 'waiting', 'declined', 'cancelled')", name="reply_known"),
        Index("ix_workshop_invitation_event_reply", "event_id", "reply"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("workshop_event.id", ondelete="CASCADE"))
    response_id: Mapped[int] = mapped_column(ForeignKey("response.id", ondelete="CASCADE"))
    # SHA-256 of the secret in the invitee's personal link.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    reply: Mapped[str] = mapped_column(String(10), default=Reply.INVITED.value)
    language: Mapped[str] = mapped_column(String(2), default="en")
    invited_at: Mapped[datetime] = mapped_column(default=utcnow)
    replied_at: Mapped[datetime | None]
    # When they joined the waiting list: the first to join gets the next place.
    waiting_since: Mapped[datetime | None]
    reminded_at: Mapped[datetime | None]

    event: Mapped[WorkshopEvent] = relationship()
    response: Mapped[Response] = relationship()

"""Themes found by the machine ("Find themes"): each run, and the themes it proposed for people to review.

A proposal holds answer ids only (never copies of the answers' text), so erasing a response removes it
from every proposal (consult/workspace/listeners.py). The one copy kept is `examples_copied`: the typical
answers a researcher took into the codebook theme's example text, kept so erasure can take them out again.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.coding.models import Theme
from consult.extensions import db
from consult.timeutil import utcnow

STATUSES = ("proposed", "accepted", "dropped", "merged", "split")


class ThemeDiscovery(db.Model):
    """One "Find themes" run: which questions' answers it read, under which filters, and when it finished."""

    __tablename__ = "theme_discovery"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    job_id: Mapped[int | None] = mapped_column(ForeignKey("job.id", ondelete="SET NULL"))
    question_keys: Mapped[list[str]] = mapped_column(JSON, default=list)
    filters: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    max_themes: Mapped[int] = mapped_column(default=10)
    answers: Mapped[int] = mapped_column(default=0)  # answers read
    created_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]

    proposals: Mapped[list[ThemeProposal]] = relationship(
        back_populates="discovery", order_by="ThemeProposal.position", cascade="all, delete-orphan")


class ThemeProposal(db.Model):
    """A theme the machine proposed. Members are soft, as people code: an answer can be in several proposals.
    `member_ids` are answer ids, strongest first, with their `weights` (0-1); `example_ids` its typical
    answers; `overlaps` [{"theme_id", "name", "shared", "share"}] with the codebook's themes at the run.
    Once decided it is accepted into (or merged into) a codebook theme (`theme_id`), merged into another
    proposal (`merged_into_id`), split into new proposals (their `split_from_id`), or dropped."""

    __tablename__ = "theme_proposal"
    __table_args__ = (CheckConstraint("status IN ('proposed', 'accepted', 'dropped', 'merged', 'split')",
                                      name="status_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    discovery_id: Mapped[int] = mapped_column(ForeignKey("theme_discovery.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    label: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    terms: Mapped[list[str]] = mapped_column(JSON, default=list)
    member_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    weights: Mapped[list[float]] = mapped_column(JSON, default=list)
    example_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    overlaps: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(10), default="proposed")
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("theme.id", ondelete="SET NULL"))
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("theme_proposal.id", ondelete="SET NULL"))
    split_from_id: Mapped[int | None] = mapped_column(ForeignKey("theme_proposal.id", ondelete="SET NULL"))
    # {answer id: text} of the typical answers copied into the codebook theme's example, for erasure
    examples_copied: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]

    discovery: Mapped[ThemeDiscovery] = relationship(back_populates="proposals")
    theme: Mapped[Theme | None] = relationship()

    @property
    def size(self) -> int:
        return len(self.member_ids)

    @property
    def pending(self) -> bool:
        return self.status == "proposed"

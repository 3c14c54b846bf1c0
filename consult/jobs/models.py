"""Background jobs: long work (suggestions, drafts) with a status people can watch."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from consult.extensions import db
from consult.timeutil import utcnow


class JobState(str, enum.Enum):
    QUEUED = "queued"
    RUNNING = "running"
    FINISHED = "finished"
    FAILED = "failed"


class Job(db.Model):
    __tablename__ = "job"
    __table_args__ = (
        CheckConstraint("state IN ('queued', 'running', 'finished', 'failed')", name="state_known"),
        CheckConstraint("progress >= 0 AND progress <= 1", name="progress_range"),
        Index("ix_job_survey_kind", "survey_id", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    survey_id: Mapped[int | None] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"))
    state: Mapped[str] = mapped_column(String(10), default=JobState.QUEUED.value)
    progress: Mapped[float] = mapped_column(default=0.0)
    message: Mapped[str] = mapped_column(Text, default="Waiting to start")
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    timeout_seconds: Mapped[int] = mapped_column(default=600)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    @property
    def done(self) -> bool:
        return self.state in (JobState.FINISHED.value, JobState.FAILED.value)


class StoredFile(db.Model):
    """A file that any server process may need: an upload waiting between its preview and the confirming click
    (or its import job), or a background export waiting to be downloaded. Kept in the database, not on a
    server's disk, so several app servers behind one address share it; each expires (`expires_at`)."""

    __tablename__ = "stored_file"
    __table_args__ = (
        CheckConstraint("purpose IN ('upload', 'export')", name="purpose_known"),
        Index("ix_stored_file_expires_at", "expires_at"),
        Index("ix_stored_file_survey_purpose", "survey_id", "purpose"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The unguessable name a form or a job's result carries (never a path).
    token: Mapped[str] = mapped_column(String(64), unique=True)
    purpose: Mapped[str] = mapped_column(String(10))
    survey_id: Mapped[int | None] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"))
    filename: Mapped[str] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(default=0)
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]

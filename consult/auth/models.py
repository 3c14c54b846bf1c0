"""Staff accounts, their roles, and the audit log of who changed what."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from flask_login import UserMixin
from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.extensions import db
from consult.timeutil import utcnow


class Role(str, enum.Enum):
    ADMIN = "admin"            # manages users and surveys, and everything below
    RESEARCHER = "researcher"  # codes answers, imports evidence, exports
    STAFF = "staff"            # reads results, drafts and downloads principles


# What each role may do, from most to least: an admin can do what a researcher can, and so on.
RANK = {Role.STAFF: 1, Role.RESEARCHER: 2, Role.ADMIN: 3}


class User(UserMixin, db.Model):
    __tablename__ = "user_account"
    __table_args__ = (CheckConstraint("role IN ('admin', 'researcher', 'staff')", name="role_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(12))
    active: Mapped[bool] = mapped_column(default=True)
    # Raised to end every session of the account at once (sign-out, password or role change): a session
    # carries the number it was started with, and one that no longer matches is signed out on any app server.
    session_generation: Mapped[int] = mapped_column(default=0, server_default="0")
    last_login_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    def get_id(self) -> str:  # what Flask-Login keeps in the session cookie
        return f"{self.id}.{self.session_generation}"

    def has_role(self, minimum: Role) -> bool:
        return RANK[Role(self.role)] >= RANK[minimum]


class LoginThrottle(db.Model):
    """Failed sign-ins for one email address, whether or not it has an account (so a lockout says nothing about
    which addresses do). The address is kept only as a keyed hash; a row is forgotten a day after its last
    failure, and deleted by a successful sign-in or a password reset."""

    __tablename__ = "login_throttle"
    __table_args__ = (Index("ix_login_throttle_last_failed_at", "last_failed_at"),)

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    last_failed_at: Mapped[datetime] = mapped_column(default=utcnow)


class AuditEvent(db.Model):
    """One change: who (or which command), what action, on what, with details. Never updated."""

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_at", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(60))
    target_type: Mapped[str | None] = mapped_column(String(40))
    target_id: Mapped[int | None]
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    user: Mapped[User | None] = relationship()

"""Staff accounts: creation, sign-in with throttling, roles, and the audit log."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask_login import current_user
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from consult.auth.models import AuditEvent, Role, User
from consult.extensions import db
from consult.timeutil import utcnow

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 12
# A real hash to compare against when the email is unknown, so timing does not reveal which emails exist.
_DUMMY_HASH = generate_password_hash("not-a-real-password", method="scrypt")


class AccountError(ValueError):
    pass


def hash_password(password: str) -> str:
    """scrypt, memory-hard (werkzeug's default), with a random salt."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"Password must be {MIN_PASSWORD_LENGTH} characters or more")
    return generate_password_hash(password, method="scrypt")


def create_user(email: str, name: str, password: str, role: Role, *, by: User | None = None) -> User:
    """Add a staff account; emails are unique, compared without case."""
    email = email.strip().lower()
    if db.session.scalar(select(User).where(func.lower(User.email) == email)):
        raise AccountError(f"There is already an account for {email}")
    user = User(email=email, name=name.strip() or email, password_hash=hash_password(password), role=role.value)
    db.session.add(user)
    db.session.flush()
    record("user.created", user, {"email": email, "role": role.value}, by=by)
    db.session.commit()
    return user


def authenticate(email: str, password: str, now: datetime | None = None) -> tuple[User | None, str | None]:
    """The user for these credentials, or an error message. Five failures lock the account for 15 minutes."""
    now = now or utcnow()
    user = db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None or not user.active:
        check_password_hash(_DUMMY_HASH, password)
        return None, "Enter a correct email address and password"
    if user.locked_until and user.locked_until > now:
        return None, "Too many failed attempts. Try again in 15 minutes, or ask an admin to reset your password"
    if not check_password_hash(user.password_hash, password):
        user.failed_logins += 1
        if user.failed_logins >= MAX_FAILED_LOGINS:
            user.locked_until = now + LOCKOUT
            user.failed_logins = 0
            record("user.locked", user, {}, by=None)
        db.session.commit()
        return None, "Enter a correct email address and password"
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    db.session.commit()
    return user, None


def update_user(user: User, *, role: Role | None = None, active: bool | None = None, password: str | None = None,
                by: User | None = None) -> None:
    """Change a user's role, access or password, and log it."""
    changes: dict[str, Any] = {}
    if role is not None and role.value != user.role:
        changes["role"] = [user.role, role.value]
        user.role = role.value
    if active is not None and active != user.active:
        changes["active"] = active
        user.active = active
    if password:
        user.password_hash = hash_password(password)
        user.locked_until = None
        changes["password"] = "reset"
    if changes:
        record("user.updated", user, changes, by=by)
    db.session.commit()


def record(action: str, target: Any = None, detail: dict[str, Any] | None = None, *, by: User | None = None) -> AuditEvent:
    """Add an audit event to the session (the caller's commit saves it with the change it describes)."""
    if by is None and current_user and getattr(current_user, "is_authenticated", False):
        by = current_user._get_current_object()
    event = AuditEvent(user_id=by.id if by else None, action=action,
                       target_type=type(target).__name__ if target is not None else None,
                       target_id=getattr(target, "id", None), detail=detail or {})
    db.session.add(event)
    return event


def audit_page(page: int, per_page: int = 50, action: str | None = None) -> tuple[list[AuditEvent], bool]:
    query = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if action:
        query = query.where(AuditEvent.action.startswith(action))
    rows = list(db.session.scalars(query.offset((page - 1) * per_page).limit(per_page + 1)))
    return rows[:per_page], len(rows) > per_page


def researchers() -> list[User]:
    """Active accounts that may code (researchers and admins), by name."""
    return list(db.session.scalars(select(User).where(User.role.in_((Role.RESEARCHER.value, Role.ADMIN.value)),
                                                      User.active.is_(True)).order_by(User.name, User.email)))


def list_users() -> list[User]:
    return list(db.session.scalars(select(User).order_by(User.email)))

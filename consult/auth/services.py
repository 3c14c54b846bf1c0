"""Staff accounts: creation, sign-in with throttling, roles, and the audit log."""
from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from flask import current_app
from flask_login import current_user
from sqlalchemy import case, delete, func, or_, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from consult.auth.models import AuditEvent, LoginThrottle, Role, User
from consult.database import dialect_insert
from consult.extensions import db
from consult.timeutil import utcnow

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
FORGET_FAILURES_AFTER = timedelta(days=1)
WRONG = "Enter a correct email address and password"
LOCKED = "Too many failed attempts. Try again in 15 minutes, or ask an admin to reset your password"
MIN_PASSWORD_LENGTH = 12


@lru_cache(maxsize=4)
def _dummy_hash(method: str) -> str:
    """A real hash to compare against when the email is unknown, as costly as a real one of this method, so timing
    does not reveal which emails exist."""
    return generate_password_hash("not-a-real-password", method=method)


_dummy_hash("scrypt")  # the app's method (config.PASSWORD_HASH_METHOD), worked out before the first sign-in


class AccountError(ValueError):
    pass


def hash_password(password: str) -> str:
    """scrypt, memory-hard (werkzeug's default), with a random salt."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"Password must be {MIN_PASSWORD_LENGTH} characters or more")
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


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
    """The user for these credentials, or an error message. Five failures for an email address lock it for 15
    minutes, whether or not it has an account, and every attempt does the same work, so neither the messages
    nor their timing tell which addresses have accounts.

    Each attempt is counted before its password is checked, in one atomic statement, so parallel attempts
    cannot check more than five passwords between two lockouts.
    """
    now = now or utcnow()
    email = email.strip().lower()
    key = throttle_key(email)
    failures = _count_attempt(key, now)
    user = db.session.scalar(select(User).where(func.lower(User.email) == email))
    known = user is not None and user.active
    dummy = _dummy_hash(current_app.config["PASSWORD_HASH_METHOD"])
    correct = check_password_hash(user.password_hash if known else dummy, password)
    if failures is None:
        return None, LOCKED
    if not (known and correct):
        if failures >= MAX_FAILED_LOGINS:  # this attempt locked the address
            record("user.locked", user if known else None, {}, by=None)
            db.session.commit()
            return None, LOCKED
        return None, WRONG
    db.session.execute(delete(LoginThrottle).where(LoginThrottle.key == key))
    user.last_login_at = now
    db.session.commit()
    return user, None


def throttle_key(email: str) -> str:
    """The key of an email address's sign-in failures: a keyed hash, so the table holds no addresses."""
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(secret, email.strip().lower().encode(), hashlib.sha256).hexdigest()


def _count_attempt(key: str, now: datetime) -> int | None:
    """Count one attempt for `key` and return the count, or None while it is locked out; the attempt that makes
    the count MAX_FAILED_LOGINS locks it (a correct password then unlocks it). One INSERT ... ON CONFLICT DO
    UPDATE ... RETURNING on SQLite and PostgreSQL."""
    table = LoginThrottle.__table__
    db.session.execute(delete(LoginThrottle).where(LoginThrottle.last_failed_at < now - FORGET_FAILURES_AFTER))
    insert = dialect_insert(table)
    counted = case((table.c.locked_until.is_not(None), 1), else_=table.c.failures + 1)
    statement = insert.values(key=key, failures=1, last_failed_at=now,
                              locked_until=now + LOCKOUT if MAX_FAILED_LOGINS <= 1 else None).on_conflict_do_update(
        index_elements=[table.c.key],
        set_={"failures": counted, "last_failed_at": now,
              "locked_until": case((counted >= MAX_FAILED_LOGINS, now + LOCKOUT), else_=None)},
        where=or_(table.c.locked_until.is_(None), table.c.locked_until <= now),
    ).returning(table.c.failures)
    failures = db.session.execute(statement).scalar()
    db.session.commit()
    return failures


def end_sessions(user: User) -> None:
    """End every session of `user`, on every app server, at their next request (the caller commits)."""
    db.session.execute(update(User).where(User.id == user.id).values(session_generation=User.session_generation + 1))
    db.session.refresh(user, ["session_generation"])


def update_user(user: User, *, role: Role | None = None, active: bool | None = None, password: str | None = None,
                by: User | None = None) -> None:
    """Change a user's role, access or password, and log it. Any of these ends every session of the account."""
    changes: dict[str, Any] = {}
    if role is not None and role.value != user.role:
        changes["role"] = [user.role, role.value]
        user.role = role.value
    if active is not None and active != user.active:
        changes["active"] = active
        user.active = active
    if password:
        user.password_hash = hash_password(password)
        db.session.execute(delete(LoginThrottle).where(LoginThrottle.key == throttle_key(user.email)))
        changes["password"] = "reset"
    if changes:
        record("user.updated", user, changes, by=by)
        end_sessions(user)
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

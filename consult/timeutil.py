"""One clock for the app: naive UTC datetimes, stored the same way on SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import datetime, timezone


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def parse_utc(value: str | datetime) -> datetime:
    """An ISO 8601 date-time (with offset or 'Z') as naive UTC."""
    if isinstance(value, datetime):
        moment = value
    else:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment

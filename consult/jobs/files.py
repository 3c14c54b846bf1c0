"""Files kept in the database for any server process (uploads awaiting confirmation, background exports).

Nothing is kept on a server's own disk, so several app servers (and a worker elsewhere) share them. Each file
has an unguessable token, a purpose, the survey it belongs to and an expiry after which it is deleted.
"""
from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import delete, select

from consult.extensions import db
from consult.jobs.models import StoredFile
from consult.timeutil import utcnow


def keep(content: bytes, *, purpose: str, filename: str, survey_id: int | None, hours: float) -> str:
    """Store `content` for `hours`, commit, and return its token."""
    token = secrets.token_urlsafe(24)
    db.session.add(StoredFile(token=token, purpose=purpose, survey_id=survey_id, filename=filename[:255],
                              size=len(content), content=content, expires_at=utcnow() + timedelta(hours=hours)))
    db.session.commit()
    return token


def find(token: str | None, purpose: str, survey_id: int | None = None) -> StoredFile | None:
    """The stored file with this token and purpose (and survey), while it has not expired."""
    if not token or len(token) > 64:
        return None
    query = select(StoredFile).where(StoredFile.token == token, StoredFile.purpose == purpose,
                                     StoredFile.expires_at > utcnow())
    if survey_id is not None:
        query = query.where(StoredFile.survey_id == survey_id)
    return db.session.scalar(query)


def content_of(token: str | None, purpose: str, survey_id: int | None = None) -> bytes | None:
    found = find(token, purpose, survey_id)
    return found.content if found is not None else None


def discard(token: str | None) -> None:
    """Delete one stored file (once imported, say) and commit."""
    if token:
        db.session.execute(delete(StoredFile).where(StoredFile.token == token))
        db.session.commit()


def discard_survey_files(survey_id: int, purpose: str) -> int:
    """Delete every stored file of a survey with this purpose (exports holding an erased response) and commit."""
    result = db.session.execute(delete(StoredFile).where(StoredFile.survey_id == survey_id,
                                                         StoredFile.purpose == purpose))
    db.session.commit()
    return result.rowcount or 0


def purge_expired(now=None) -> int:
    """Delete every stored file past its expiry and commit; returns how many went."""
    result = db.session.execute(delete(StoredFile).where(StoredFile.expires_at <= (now or utcnow())))
    db.session.commit()
    return result.rowcount or 0

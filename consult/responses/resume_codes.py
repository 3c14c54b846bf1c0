"""Save and resume: the code a respondent is given to come back to their draft, checked by its hash only, and
the email that carries it."""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from consult.extensions import db
from consult.mail import services as mail
from consult.responses.models import Draft
from consult.responses.services import commit_write, random_code
from consult.surveys.frozen import frozen_version
from consult.surveys.models import Survey
from consult.timeutil import utcnow


def normalise_code(code: str) -> str:
    """Accept a code typed in lower case, with spaces, or with O for 0 and I/L for 1."""
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum()).translate(str.maketrans("OIL", "011"))
    return "-".join(cleaned[i:i + 4] for i in range(0, len(cleaned), 4))


def _hash(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


def issue_resume_code(draft: Draft) -> str:
    """Give the respondent a fresh code to come back with; any earlier code stops working."""
    for _ in range(5):
        code = random_code(3)
        draft.resume_hash = _hash(code)
        try:
            commit_write()
            return code
        except IntegrityError:
            db.session.rollback()
    raise RuntimeError("could not issue a unique resume code")


def resume(survey: Survey, code: str, now: datetime | None = None) -> Draft | None:
    """The unexpired draft for a resume code, with a new session token so old links stop working."""
    if len(normalise_code(code)) != 14:
        return None
    draft = db.session.scalar(select(Draft).where(Draft.resume_hash == _hash(code)))
    if draft is None or frozen_version(draft.version_id).survey_id != survey.id or draft.expires_at <= (now or utcnow()):
        return None
    draft.token = secrets.token_urlsafe(32)
    commit_write()
    return draft


def email_resume_code(draft: Draft, code: str, to: str, *, language: str, resume_url: str) -> None:
    """Queue an email of the resume code just issued for `draft` (the address goes once it is sent)."""
    survey_id = frozen_version(draft.version_id).survey_id
    mail.queue("responses.resume_code", to=to, language=language, survey_id=survey_id,
               params={"code": code, "survey_id": survey_id, "resume_url": resume_url,
                       "expires_at": draft.expires_at.isoformat()})
    commit_write()
    mail.dispatch()

"""Keeping personal data only as long as the survey's privacy notice says (its `retention` settings,
consult/surveys/retention.py): contact email addresses go when the consultation closes, unfinished drafts after
DRAFT_TTL_DAYS, submitted responses the set time after closing (erased as at their respondents' request, so
every part downstream removes what it holds), and kept files when they expire.

`apply_retention` does all of it; `consult retention apply` runs it, and each server process starts it as a
job when it starts and then daily (`apply_periodically`); closing a survey deletes its contact emails at once.
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Flask
from sqlalchemy import delete, select

from consult.auth import services as auth
from consult.extensions import db
from consult.jobs import files
from consult.jobs.models import Job
from consult.jobs.services import expire_stale, submit, task
from consult.responses.consent import email_question_ids
from consult.responses.models import Answer, Response
from consult.responses.services import purge_expired_drafts
from consult.surveys.models import Survey
from consult.surveys.retention import retention_of
from consult.surveys.signals import survey_closed
from consult.timeutil import utcnow
from consult.workspace.services import erase_response

log = logging.getLogger(__name__)
DAY = 24 * 60 * 60


@dataclass
class RetentionReport:
    emails: int = 0
    responses: int = 0
    drafts: int = 0
    files: int = 0

    def __str__(self) -> str:
        return (f"Deleted {self.emails} contact email addresses, {self.responses} responses past their retention "
                f"period, {self.drafts} expired drafts and {self.files} expired files.")


def delete_contact_emails(survey: Survey) -> int:
    """Delete the contact email answers of a survey's responses (when it closes) and commit; returns how many."""
    questions = email_question_ids(survey)
    if not questions:
        return 0
    result = db.session.execute(delete(Answer).where(Answer.question_id.in_(questions)))
    count = result.rowcount or 0
    if count:
        auth.record("retention.contact_emails_deleted", survey, {"count": count})
    db.session.commit()
    return count


def responses_due(survey: Survey, now: datetime) -> bool:
    """Whether the survey's responses have reached the end of their retention period."""
    period = retention_of(survey.current_version.definition).responses_after_close
    closed = survey.closed_time
    return period is not None and closed is not None and period.after(closed) <= now


def apply_retention(now: datetime | None = None, progress=None) -> RetentionReport:
    """Apply every survey's retention settings as of `now`; commits as it goes and returns what it deleted."""
    now = now or utcnow()
    report = RetentionReport()
    surveys = list(db.session.scalars(select(Survey).order_by(Survey.id)))
    for number, survey in enumerate(surveys):
        if progress:
            progress(number / max(len(surveys), 1), f"Applying retention to {survey.title}")
        if survey.closed_time is None or survey.closed_time > now:
            continue
        if retention_of(survey.current_version.definition).contact_emails_at_close:
            report.emails += delete_contact_emails(survey)
        if responses_due(survey, now):
            for response_id in list(db.session.scalars(select(Response.id).where(Response.survey_id == survey.id))):
                erase_response(db.session.get(Response, response_id))
                report.responses += 1
    report.drafts = purge_expired_drafts(now)
    report.files = files.purge_expired(now)
    expire_stale(now)
    return report


@survey_closed.connect
def delete_emails_at_close(_sender, *, survey_id: int, **_extra) -> None:
    survey = db.session.get(Survey, survey_id)
    if survey is not None and retention_of(survey.current_version.definition).contact_emails_at_close:
        delete_contact_emails(survey)


@task("retention")
def retention_job(job, progress) -> dict:
    """Apply retention (started by each server process when it starts, then daily)."""
    return {"summary": str(apply_retention(progress=progress))}


def start_if_due(now: datetime | None = None, every: float = DAY) -> Job | None:
    """Start the retention job unless one was started less than `every` seconds ago (by any server process:
    several app servers share the database, and one run a day is enough)."""
    now = now or utcnow()
    recent = db.session.scalar(select(Job.id).where(Job.kind == "retention",
                                                    Job.created_at > now - timedelta(seconds=every - 60)).limit(1))
    return None if recent is not None else submit("retention")


def apply_periodically(app: Flask, every: float = DAY, check: float = 60 * 60) -> threading.Event:
    """A daemon thread of a server process: start the retention job now, and whenever a day has passed since
    the last one (checked hourly). Set the returned event to stop it."""
    stop = threading.Event()

    def loop() -> None:
        while True:
            try:
                with app.app_context():
                    start_if_due(every=every)
                    db.session.remove()
            except Exception:  # the database may be down for a moment: try again at the next check
                log.exception("could not start the retention job")
            if stop.wait(check):
                return

    threading.Thread(target=loop, daemon=True, name="retention").start()
    return stop

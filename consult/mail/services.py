"""Queueing email in the outbox and sending it: composers registered per kind, SMTP with STARTTLS when the
server offers it, retries with backoff, addresses wiped once sent.

A part that sends email registers a composer (`@composer("kind")`), adds a message with `queue(...)` to the
session of the change that causes it and commits both together, then calls `dispatch()`: the `mail` job sends
what is due. A mail server that is down delays nothing but the email; the job tries again later.
"""
from __future__ import annotations

import importlib
import logging
import smtplib
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any
from urllib.parse import unquote, urlsplit

from flask import Flask, current_app
from sqlalchemy import select, update

from consult.extensions import db
from consult.i18n import in_language
from consult.jobs.services import submit, task
from consult.mail.models import MailState, OutboxMessage
from consult.timeutil import utcnow

log = logging.getLogger(__name__)
# Minutes to wait after each failed attempt: about two days in all before giving up.
BACKOFF_MINUTES = (1, 5, 15, 60, 180, 360, 720, 1440)
# How long a claimed message is left to the job sending it before another may try.
CLAIM_SECONDS = 120
# kind -> "module:function", as consult.jobs registers tasks: workers import the module on demand.
COMPOSERS: dict[str, str] = {}


@dataclass
class Composed:
    """An email ready to send; `to` when the composer finds the address itself (an invitee's)."""

    subject: str
    text: str
    to: str | None = None
    attachments: list[tuple[str, str, bytes]] = field(default_factory=list)  # (filename, MIME type, content)


Composer = Callable[[dict[str, Any]], "Composed | None"]


class NotConfigured(RuntimeError):
    pass


def composer(kind: str) -> Callable[[Composer], Composer]:
    """Register the function that composes `kind` messages from their params (None: nothing to send now)."""
    def register(function: Composer) -> Composer:
        COMPOSERS[kind] = f"{function.__module__}:{function.__name__}"
        return function
    return register


def enabled() -> bool:
    """Whether email is configured (SMTP_URL and MAIL_FROM): without it, no page offers email."""
    return bool(current_app.config.get("SMTP_URL") and current_app.config.get("MAIL_FROM"))


def queue(kind: str, *, language: str, params: dict[str, Any], to: str | None = None,
          survey_id: int | None = None) -> OutboxMessage:
    """Add a message to the outbox in the current transaction: the caller commits it with its own change."""
    if kind not in COMPOSERS:
        raise ValueError(f"no composer for {kind!r}")
    message = OutboxMessage(kind=kind, to_address=to, language=language, params=params, survey_id=survey_id,
                            next_attempt_at=utcnow())
    db.session.add(message)
    return message


def dispatch() -> None:
    """After committing messages: start the job that sends them. Its failure to start is logged only; the
    messages wait in the outbox for the next run."""
    try:
        submit("mail")
    except Exception:
        db.session.rollback()
        log.exception("could not start the mail job; queued email waits for the next run")


def _backoff(attempts: int) -> timedelta:
    return timedelta(minutes=BACKOFF_MINUTES[min(attempts, len(BACKOFF_MINUTES)) - 1])


def _claim(message_id: int, now: datetime) -> bool:
    """Take a due message for this run (one conditional UPDATE, so two runs never send it twice)."""
    claimed = db.session.execute(
        update(OutboxMessage).where(OutboxMessage.id == message_id, OutboxMessage.state == MailState.PENDING.value,
                                    OutboxMessage.next_attempt_at <= now)
        .values(next_attempt_at=now + timedelta(seconds=CLAIM_SECONDS))).rowcount
    db.session.commit()
    return bool(claimed)


def _compose(message: OutboxMessage) -> Composed | None:
    module, name = COMPOSERS[message.kind].split(":")
    function = getattr(importlib.import_module(module), name)
    with in_language(message.language):
        return function(dict(message.params or {}))


def _finish(message: OutboxMessage, state: MailState, now: datetime, error: str | None = None) -> None:
    message.state, message.last_error = state.value, error
    message.to_address, message.params = None, None  # kept no longer than needed to send it
    if state is MailState.SENT:
        message.sent_at = now
    db.session.commit()


def _email(composed: Composed, to: str) -> EmailMessage:
    email = EmailMessage()
    email["Subject"], email["From"], email["To"] = composed.subject, current_app.config["MAIL_FROM"], to
    email["Date"] = formatdate(localtime=False)
    email["Message-ID"] = make_msgid(domain=current_app.config["MAIL_FROM"].rpartition("@")[2].strip("> ") or None)
    email.set_content(composed.text)
    for filename, mimetype, content in composed.attachments:
        maintype, subtype = mimetype.split("/", 1)
        email.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
    return email


def connect(url: str, timeout: float) -> smtplib.SMTP:
    """An SMTP connection from smtp://user:password@host:port (STARTTLS when the server offers it) or
    smtps:// (TLS from the start), signed in when the URL names a user."""
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise NotConfigured("SMTP_URL must look like smtp://user:password@host:587")
    context = ssl.create_default_context()
    if parts.scheme == "smtps":
        server: smtplib.SMTP = smtplib.SMTP_SSL(parts.hostname, parts.port or 465, timeout=timeout, context=context)
    else:
        server = smtplib.SMTP(parts.hostname, parts.port or 587, timeout=timeout)
        server.ehlo()
        if server.has_extn("starttls"):
            server.starttls(context=context)
            server.ehlo()
    if parts.username:
        server.login(unquote(parts.username), unquote(parts.password or ""))
    return server


def send_due(now: datetime | None = None, limit: int = 200) -> dict[str, int]:
    """Send the outbox's due messages over one connection. A message that fails waits longer after each try
    (BACKOFF_MINUTES) and is given up after the last; one the mail server refuses for good is given up at once."""
    now = now or utcnow()
    counts = {"sent": 0, "retrying": 0, "failed": 0, "cancelled": 0}
    if not enabled():
        return counts
    due = list(db.session.scalars(select(OutboxMessage.id).where(
        OutboxMessage.state == MailState.PENDING.value, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(limit)))
    server: smtplib.SMTP | None = None
    try:
        for message_id in due:
            if not _claim(message_id, now):
                continue
            message = db.session.get(OutboxMessage, message_id)
            try:
                composed = _compose(message)
            except Exception as error:  # a bug or a database hiccup: logged, and tried again later
                db.session.rollback()
                log.exception("could not compose outbox message %s (%s)", message_id, message.kind)
                counts[_retry_later(db.session.get(OutboxMessage, message_id), error, now)] += 1
                continue
            to = message.to_address or (composed.to if composed else None)
            if composed is None or not to:
                _finish(message, MailState.CANCELLED, now)
                counts["cancelled"] += 1
                continue
            try:
                if server is None:
                    server = connect(current_app.config["SMTP_URL"], current_app.config["SMTP_TIMEOUT_SECONDS"])
                server.send_message(_email(composed, to))
            except (smtplib.SMTPRecipientsRefused, smtplib.SMTPNotSupportedError) as error:
                _finish(message, MailState.FAILED, now, f"refused: {error}"[:500])
                counts["failed"] += 1
            except (OSError, smtplib.SMTPException) as error:
                server = _drop(server)
                counts[_retry_later(message, error, now)] += 1
            else:
                _finish(message, MailState.SENT, now)
                counts["sent"] += 1
    finally:
        _drop(server)
    return counts


def _retry_later(message: OutboxMessage, error: Exception, now: datetime) -> str:
    """Count a failed attempt: try again after the next backoff, or give up after the last."""
    message.attempts += 1
    reason = f"{type(error).__name__}: {error}"[:500]
    if message.attempts >= len(BACKOFF_MINUTES):
        _finish(message, MailState.FAILED, now, reason)
        return "failed"
    message.last_error, message.next_attempt_at = reason, now + _backoff(message.attempts)
    db.session.commit()
    return "retrying"


def _drop(server: smtplib.SMTP | None) -> None:
    if server is not None:
        try:
            server.quit()
        except (OSError, smtplib.SMTPException):
            server.close()
    return None


def next_due() -> datetime | None:
    """When the next pending message is due (None when nothing waits)."""
    return db.session.scalar(select(OutboxMessage.next_attempt_at).where(
        OutboxMessage.state == MailState.PENDING.value).order_by(OutboxMessage.next_attempt_at).limit(1))


def mail_job_waiting(now: datetime, within: timedelta = timedelta(minutes=10)) -> bool:
    """Whether a mail job started in the last `within` (by any server process) is still queued or running: then
    another need not start. An older one is not counted, so a job lost with a restarted Redis stops nothing."""
    from consult.jobs.models import Job, JobState

    return db.session.scalar(select(Job.id).where(
        Job.kind == "mail", Job.state.in_((JobState.QUEUED.value, JobState.RUNNING.value)),
        Job.created_at > now - within).limit(1)) is not None


def send_periodically(app: Flask, every: float = 60.0) -> threading.Event:
    """A daemon thread of a server process that starts the mail job whenever a message waiting to be retried
    falls due, unless one is already waiting (each server process runs one such thread; claims keep any message
    from going twice). Set the returned event to stop it."""
    stop = threading.Event()

    def loop() -> None:
        while not stop.wait(every):
            try:
                with app.app_context():
                    due, now = next_due(), utcnow()
                    if enabled() and due is not None and due <= now and not mail_job_waiting(now):
                        submit("mail")
                    db.session.remove()
            except Exception:  # the database may be down for a moment: try again at the next check
                log.exception("could not start the mail job")

    threading.Thread(target=loop, daemon=True, name="mail-retries").start()
    return stop


@task("mail")
def mail_job(job, progress) -> dict:
    """Send the outbox's due messages (started after messages are queued, and periodically for retries)."""
    return send_due()

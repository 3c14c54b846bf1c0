"""The server's mail thread sends a message waiting for a retry once it falls due."""
from __future__ import annotations

import time
from datetime import timedelta

from sqlalchemy import select

from consult.extensions import db
from consult.jobs.models import Job
from consult.mail import services as mail
from consult.mail.models import OutboxMessage
from consult.timeutil import utcnow
from tests.factories import make_survey
from tests.smtp import MailServer


def due_message(survey):
    message = mail.queue("responses.resume_code", to="x@example.org", language="en", survey_id=survey.id,
                         params={"code": "AAAA-BBBB-CCCC", "survey_id": survey.id, "resume_url": "http://x/r",
                                 "expires_at": utcnow().isoformat()})
    message.attempts, message.next_attempt_at = 1, utcnow() - timedelta(seconds=1)  # failed once, now due
    db.session.commit()
    return message


def test_with_several_servers_a_mail_job_already_waiting_is_not_doubled(app):
    """Every server process checks each minute; one waiting mail job (queued by any of them) is enough."""
    app.config.update(SMTP_URL="smtp://127.0.0.1:1", MAIL_FROM="consultation@example.org")
    due_message(make_survey())
    waiting = Job(kind="mail", params={}, timeout_seconds=600)  # queued by another server, not yet taken
    db.session.add(waiting)
    db.session.commit()
    stop = mail.send_periodically(app, every=0.1)
    time.sleep(1.0)
    stop.set()
    db.session.expire_all()
    assert db.session.scalars(select(Job.id).where(Job.kind == "mail")).all() == [waiting.id]
    # A job queued long ago (lost with a restarted Redis, say) does not hold up the retries.
    assert mail.mail_job_waiting(utcnow() + timedelta(minutes=11)) is False


def test_the_mail_thread_retries_a_due_message(app):
    server, stop = MailServer().start(), None
    app.config.update(SMTP_URL=server.url, MAIL_FROM="consultation@example.org")
    try:
        message = due_message(make_survey())
        stop = mail.send_periodically(app, every=0.2)
        deadline, state = time.monotonic() + 10, None
        while state != "sent" and time.monotonic() < deadline:  # the send is recorded just after it arrives
            db.session.expire_all()
            state = db.session.get(OutboxMessage, message.id).state
            time.sleep(0.1)
        stop.set()
        assert [m["To"] for m in server.inbox.messages] == ["x@example.org"]
        assert state == "sent"
    finally:
        if stop is not None:
            stop.set()
        server.stop()

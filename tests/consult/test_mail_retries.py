"""The server's mail thread sends a message waiting for a retry once it falls due."""
from __future__ import annotations

import time
from datetime import timedelta

from consult.extensions import db
from consult.mail import services as mail
from consult.mail.models import OutboxMessage
from consult.timeutil import utcnow
from tests.factories import make_survey
from tests.smtp import MailServer


def test_the_mail_thread_retries_a_due_message(app):
    server, stop = MailServer().start(), None
    app.config.update(SMTP_URL=server.url, MAIL_FROM="consultation@example.org")
    try:
        survey = make_survey()
        message = mail.queue("responses.resume_code", to="x@example.org", language="en", survey_id=survey.id,
                             params={"code": "AAAA-BBBB-CCCC", "survey_id": survey.id, "resume_url": "http://x/r",
                                     "expires_at": utcnow().isoformat()})
        message.attempts, message.next_attempt_at = 1, utcnow() - timedelta(seconds=1)  # failed once, now due
        db.session.commit()
        stop = mail.send_periodically(app, every=0.2)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:  # the server receives the email a moment before the thread records it
            db.session.expire_all()
            if server.inbox.messages and db.session.get(OutboxMessage, message.id).state == "sent":
                break
            time.sleep(0.1)
        stop.set()
        assert [m["To"] for m in server.inbox.messages] == ["x@example.org"]
        db.session.expire_all()
        assert db.session.get(OutboxMessage, message.id).state == "sent"
    finally:
        if stop is not None:
            stop.set()
        server.stop()

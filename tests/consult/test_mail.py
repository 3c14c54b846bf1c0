"""Email through a real SMTP server: the respondent's confirmation with the receipt, the resume code, retries
while the server is down with nothing lost, and addresses kept no longer than it takes to send."""
from __future__ import annotations

import io
from datetime import timedelta

from pypdf import PdfReader

from consult.extensions import db
from consult.mail import services as mail
from consult.mail.models import MailState, OutboxMessage
from consult.responses.models import Response
from consult.timeutil import utcnow
from tests.consult.test_question_kinds import URL, walk_to_check
from tests.consult.test_submit import token_from
from tests.factories import make_survey
from tests.smtp import MailServer, attachments, body


def outbox() -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id)))


def submit_with_copy(client, address: str):
    client.post(f"{URL}/start")
    token = token_from(walk_to_check(client).get_data(as_text=True))
    return client.post(f"{URL}/submit", data={"submission_token": token, "email_copy": address})


def test_without_smtp_settings_no_page_offers_email(client):
    make_survey()
    client.post(f"{URL}/start")
    page = walk_to_check(client).get_data(as_text=True)
    assert "email_copy" not in page and "Email me a copy" not in page
    client.post(f"{URL}/save")
    assert "Email the code" not in client.get(f"{URL}/save").get_data(as_text=True)


def test_confirmation_email_carries_the_reference_and_the_receipt(client, smtp):
    make_survey()
    sent = submit_with_copy(client, "ada@example.org")
    assert sent.status_code == 303
    confirmation = client.get(sent.location).get_data(as_text=True)
    assert "We are sending you a confirmation email" in confirmation
    reference = db.session.scalar(db.select(Response.reference))
    [message] = smtp.inbox.to("ada@example.org")
    assert reference in message["Subject"] and message["From"] == "Consultation team <consultation@example.org>"
    assert f"Your reference number is {reference}." in body(message)
    [(filename, mimetype, pdf)] = attachments(message)
    assert (filename, mimetype) == (f"{reference}.pdf", "application/pdf")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert reference in text and "Hilltop Community Trust" in text
    [row] = outbox()
    assert row.state == MailState.SENT.value and row.sent_at is not None
    assert row.to_address is None and row.params is None  # the address is not kept after sending


def test_a_wrong_address_is_shown_on_check_answers_and_nothing_is_stored(client, smtp):
    make_survey()
    response = submit_with_copy(client, "not an address")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Enter an email address in the correct format" in page and 'href="#email_copy"' in page
    assert db.session.scalar(db.select(db.func.count()).select_from(Response)) == 0


def test_no_copy_asked_no_email(client, smtp):
    make_survey()
    assert submit_with_copy(client, "").status_code == 303
    assert smtp.inbox.messages == [] and outbox() == []


def test_resume_code_by_email(client, smtp):
    make_survey()
    client.post(f"{URL}/start")
    client.post(f"{URL}/save")
    page = client.get(f"{URL}/save").get_data(as_text=True)
    code = page.split('class="kil-reference">')[1].split("<")[0]
    assert "Email the code to yourself" in page
    sent = client.post(f"{URL}/save/email", data={"email": "grace@example.org"})
    assert sent.status_code == 303
    assert "We are sending your resume code" in client.get(sent.location).get_data(as_text=True)
    [message] = smtp.inbox.to("grace@example.org")
    assert code in body(message) and "http://localhost/s/test-survey/resume" in body(message)
    assert outbox()[0].to_address is None and outbox()[0].params is None  # neither address nor code kept
    other = client.application.test_client()
    back = other.post(f"{URL}/resume", data={"code": code})
    assert back.status_code == 302


def test_resume_email_needs_a_valid_address(client, smtp):
    make_survey()
    client.post(f"{URL}/start")
    client.post(f"{URL}/save")
    refused = client.post(f"{URL}/save/email", data={"email": "grace"})
    assert refused.status_code == 400 and "Enter an email address in the correct format" in refused.get_data(as_text=True)
    assert outbox() == []


def test_a_mail_server_that_is_down_loses_and_delays_nothing(app, client):
    down = MailServer()  # not started: connections are refused
    app.config.update(SMTP_URL=down.url, MAIL_FROM="consultation@example.org")
    make_survey()
    sent = submit_with_copy(client, "ada@example.org")
    assert sent.status_code == 303 and client.get(sent.location).status_code == 200
    reference = db.session.scalar(db.select(Response.reference))
    [row] = outbox()
    assert row.state == MailState.PENDING.value and row.attempts == 1 and "ConnectionRefused" in row.last_error
    assert row.next_attempt_at > utcnow()
    # Still down a minute later: the wait grows.
    first_wait = row.next_attempt_at
    assert mail.send_due(now=first_wait + timedelta(seconds=1)) == {"sent": 0, "retrying": 1, "failed": 0, "cancelled": 0}
    [row] = outbox()
    assert row.attempts == 2 and row.next_attempt_at - first_wait > timedelta(minutes=4)
    # Not due yet: nothing is tried.
    assert mail.send_due(now=first_wait + timedelta(minutes=2))["retrying"] == 0
    down.start()
    try:
        assert mail.send_due(now=row.next_attempt_at + timedelta(seconds=1))["sent"] == 1
        [message] = down.inbox.to("ada@example.org")
        assert reference in message["Subject"]
    finally:
        down.stop()
    assert outbox()[0].state == MailState.SENT.value and outbox()[0].to_address is None


def test_a_message_is_given_up_after_the_last_retry_and_its_address_wiped(app):
    app.config.update(SMTP_URL=MailServer().url, MAIL_FROM="consultation@example.org")
    survey = make_survey()
    mail.queue("responses.resume_code", to="x@example.org", language="en", survey_id=survey.id,
               params={"code": "AAAA-BBBB-CCCC", "survey_id": survey.id, "resume_url": "http://x/resume",
                       "expires_at": utcnow().isoformat()})
    db.session.commit()
    moment = utcnow()
    for _ in mail.BACKOFF_MINUTES:
        mail.send_due(now=moment)
        moment = outbox()[0].next_attempt_at + timedelta(seconds=1)
    [row] = outbox()
    assert row.state == MailState.FAILED.value and row.to_address is None and row.params is None


def test_an_erased_response_is_not_emailed(app, client):
    down = MailServer()
    app.config.update(SMTP_URL=down.url, MAIL_FROM="consultation@example.org")
    make_survey()
    submit_with_copy(client, "ada@example.org")
    db.session.delete(db.session.scalar(db.select(Response)))
    db.session.commit()
    down.start()
    try:
        assert mail.send_due(now=utcnow() + timedelta(hours=1))["cancelled"] == 1
        assert down.inbox.messages == []
    finally:
        down.stop()


def test_two_runs_never_send_one_message_twice(app, smtp):
    survey = make_survey()
    mail.queue("responses.resume_code", to="x@example.org", language="en", survey_id=survey.id,
               params={"code": "AAAA-BBBB-CCCC", "survey_id": survey.id, "resume_url": "http://x/resume",
                       "expires_at": utcnow().isoformat()})
    db.session.commit()
    message_id = outbox()[0].id
    assert mail._claim(message_id, utcnow()) is True
    assert mail._claim(message_id, utcnow()) is False  # the other run finds it taken

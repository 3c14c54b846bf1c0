"""Workshop invitations: respondents who agreed to be contacted are invited (chosen with the workspace's
filters), answer yes or no from a personal link, places fill and a waiting list forms, and every email goes
through a real SMTP server."""
from __future__ import annotations

import re
from datetime import timedelta


from consult.extensions import db
from consult.responses.models import Response, WorkshopEvent
from consult.timeutil import utcnow
from consult.workshops.models import Invitation
from tests.factories import make_survey
from tests.smtp import body

BASE = "/workspace/test-survey/workshops"


def respond(survey, email: str | None, contact: str = "yes", capacity: str = "individual", language: str = "en"):
    from consult.responses import services, submission

    draft = services.start_draft(survey)
    draft.answers = {"capacity": {"value": capacity, "text": None}, "p1": {"value": "agree", "text": None},
                     "publish": {"value": "anonymous", "text": None}, "contact": {"value": contact, "text": None}}
    if email:
        draft.answers["email"] = {"value": email, "text": None}
    return submission.submit(draft, draft.submission_token, language=language)


def plan(client, capacity: str = "2", days: int = 10) -> WorkshopEvent:
    day = utcnow() + timedelta(days=days)
    response = client.post(f"{BASE}/", data={"name": "Leeds workshop", "day": f"{day.day}/{day.month}/{day.year}",
                                             "start": "14:30", "place": "Leeds Civic Hall", "capacity": capacity})
    assert response.status_code == 302, response.get_data(as_text=True)
    return db.session.scalar(db.select(WorkshopEvent))


def link(message) -> str:
    return re.search(r"http://localhost(/invitation/[0-9a-f]+)\?lang=(\w\w)", body(message)).group(1)


def answer(app, path: str, coming: str):
    """The invitee answers from their link: no account, no session (and an application context of their own,
    so the staff member's signed-in user, which Flask-Login keeps in `g`, is not theirs)."""
    invitee = app.test_client()
    with app.app_context():
        assert invitee.get(path).status_code == 200
        return invitee.post(path, data={"coming": coming})


def visit(app, method: str, path: str, **kwargs):
    with app.app_context():
        return getattr(app.test_client(), method)(path, **kwargs)


def test_an_invitation_accepted_and_one_declined(app, client, login, smtp):
    survey = make_survey()
    ada, bob = respond(survey, "ada@example.org"), respond(survey, "bob@example.org")
    respond(survey, None, contact="no")  # did not agree: never invited
    login("researcher")
    event = plan(client)
    page = client.get(f"{BASE}/{event.id}").get_data(as_text=True)
    assert "2 respondents match" in page
    assert client.post(f"{BASE}/{event.id}/invite").status_code == 303
    invitations = {m["To"]: m for m in smtp.inbox.messages}
    assert set(invitations) == {"ada@example.org", "bob@example.org"}
    assert "Leeds Civic Hall" in body(invitations["ada@example.org"])
    answer(app, link(invitations["ada@example.org"]), "yes")
    answer(app, link(invitations["bob@example.org"]), "no")
    db.session.expire_all()
    replies = {i.response_id: i.reply for i in db.session.scalars(db.select(Invitation))}
    assert replies == {ada.id: "accepted", bob.id: "declined"}
    event_page = client.get(f"{BASE}/{event.id}").get_data(as_text=True)
    assert re.search(r'id="places-taken">1 of 2 \(1 left\)', event_page)
    # Inviting again invites nobody twice.
    client.post(f"{BASE}/{event.id}/invite")
    assert len(smtp.inbox.messages) == 2


def test_the_reply_page_confirms_in_the_invitees_words(app, client, login, smtp):
    survey = make_survey()
    respond(survey, "ada@example.org")
    login("researcher")
    event = plan(client)
    client.post(f"{BASE}/{event.id}/invite")
    invitee = app.test_client()
    path = link(smtp.inbox.messages[0])
    with app.app_context():
        refused = invitee.post(path, data={})
        assert refused.status_code == 400 and "Select yes if you can come" in refused.get_data(as_text=True)
        done = invitee.post(path, data={"coming": "yes"})
        assert "You have a place" in invitee.get(done.location).get_data(as_text=True)
    assert visit(app, "get", "/invitation/" + "0" * 40).status_code == 404


def test_the_waiting_list_fills_and_a_freed_place_goes_to_the_first_waiting(app, client, login, smtp):
    survey = make_survey()
    people = [respond(survey, f"p{n}@example.org") for n in range(4)]
    login("researcher")
    event = plan(client, capacity="2")
    client.post(f"{BASE}/{event.id}/invite")
    links = {m["To"]: link(m) for m in smtp.inbox.messages}
    for n in range(4):
        answer(app, links[f"p{n}@example.org"], "yes")
    db.session.expire_all()
    replies = {i.response_id: i.reply for i in db.session.scalars(db.select(Invitation))}
    assert [replies[p.id] for p in people] == ["accepted", "accepted", "waiting", "waiting"]
    page = client.get(f"{BASE}/{event.id}").get_data(as_text=True)
    assert 'id="places-taken">2 of 2 (0 left)' in page and 'id="waiting">2<' in page
    # The second to accept cannot come after all: the first on the waiting list gets the place and an email.
    answer(app, links["p1@example.org"], "no")
    db.session.expire_all()
    replies = {i.response_id: i.reply for i in db.session.scalars(db.select(Invitation))}
    assert [replies[p.id] for p in people] == ["accepted", "declined", "accepted", "waiting"]
    [offer] = [m for m in smtp.inbox.to("p2@example.org") if "A place is free" in m["Subject"]]
    assert "The place is yours" in body(offer)


def test_reminders_and_cancellation_go_through_the_outbox(app, client, login, smtp):
    survey = make_survey()
    respond(survey, "ada@example.org")
    respond(survey, "bob@example.org")
    login("researcher")
    event = plan(client)
    client.post(f"{BASE}/{event.id}/invite")
    answer(app, link(smtp.inbox.to("bob@example.org")[0]), "no")
    client.post(f"{BASE}/{event.id}/remind")
    assert [m["Subject"] for m in smtp.inbox.to("ada@example.org")] == ["Invitation: Leeds workshop",
                                                                        "Reminder: Leeds workshop"]
    assert len(smtp.inbox.to("bob@example.org")) == 1  # declined: no reminder
    client.post(f"{BASE}/{event.id}/cancel")
    assert smtp.inbox.to("ada@example.org")[-1]["Subject"] == "Cancelled: Leeds workshop"
    closed = visit(app, "post", link(smtp.inbox.to("ada@example.org")[0]), data={"coming": "yes"})
    assert closed.status_code == 200 and "This workshop has been cancelled" in closed.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(db.select(Invitation.reply).where(Invitation.response_id != None).limit(1)) in (
        "cancelled", "declined")


def test_invitations_follow_the_workspace_filters(app, client, login, smtp):
    survey = make_survey()
    respond(survey, "ind@example.org", capacity="individual")
    respond(survey, "org@example.org", capacity="organisation")
    login("researcher")
    event = plan(client)
    page = client.get(f"{BASE}/{event.id}?capacity=organisation").get_data(as_text=True)
    assert "1 respondent matches" in page
    client.post(f"{BASE}/{event.id}/invite", data={"capacity": "organisation"})
    assert [m["To"] for m in smtp.inbox.messages] == ["org@example.org"]


def test_a_deleted_contact_email_is_never_used(app, client, login, smtp):
    """Retention deletes contact emails when the consultation closes: invitations look the address up when
    they are sent, so none is kept by them, and one whose address has gone is not sent."""
    from consult.responses.models import Answer
    from consult.responses.consent import email_question_ids

    survey = make_survey()
    respond(survey, "ada@example.org")
    login("researcher")
    event = plan(client)
    smtp.stop()  # the invitation waits in the outbox
    client.post(f"{BASE}/{event.id}/invite")
    assert "ada@example.org" not in str([(i.token_hash, i.language) for i in db.session.scalars(db.select(Invitation))])
    db.session.execute(db.delete(Answer).where(Answer.question_id.in_(email_question_ids(survey))))
    db.session.commit()
    from consult.mail import services as mail

    smtp.start()
    assert mail.send_due(now=utcnow() + timedelta(hours=1))["cancelled"] == 1
    assert smtp.inbox.messages == []
    assert "0 respondents match" in client.get(f"{BASE}/{event.id}").get_data(as_text=True)


def test_a_welsh_respondent_is_invited_in_welsh(app, client, login, smtp):
    survey = make_survey()
    respond(survey, "cy@example.org", language="cy")
    login("researcher")
    event = plan(client)
    client.post(f"{BASE}/{event.id}/invite")
    [message] = smtp.inbox.messages
    assert "?lang=cy" in body(message) and "Gwahoddiad" in message["Subject"]
    page = visit(app, "get", link(message) + "?lang=cy").get_data(as_text=True)
    assert '<html lang="cy">' in page and "Allwch chi ddod?" in page


def test_notes_after_the_event_become_workshop_evidence_linked_to_it(app, client, login, smtp):
    make_survey()
    login("researcher")
    event = plan(client)
    event.starts_at = utcnow() - timedelta(hours=2)
    db.session.commit()
    page = client.get(f"{BASE}/{event.id}").get_data(as_text=True)
    assert "Notes from the workshop" in page
    client.post(f"{BASE}/{event.id}/notes", data={"notes": "People wanted longer contracts.", "question": "p1_why"})
    response = db.session.scalar(db.select(Response).where(Response.channel == "workshop"))
    assert response.workshop_id == event.id and response.answers[0].text == "People wanted longer contracts."


def test_staff_pages_need_a_researcher(app, client, login):
    make_survey()
    login("staff")
    assert client.get(f"{BASE}/").status_code == 403

"""The final submit creates exactly one response, however often it is sent."""
from __future__ import annotations

import threading

from babel.support import Translations

from consult.extensions import db
from consult.responses import services, submission
from consult.responses.models import Draft, Response
from tests.consult.test_question_kinds import URL, walk_to_check
from tests.factories import make_survey


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def token_from(page: str) -> str:
    return page.split('name="submission_token" type="hidden" value="')[1].split('"')[0]


def test_submit_leads_to_confirmation_with_reference_and_receipt(client):
    make_survey()
    client.post(f"{URL}/start")
    token = token_from(walk_to_check(client).get_data(as_text=True))
    sent = client.post(f"{URL}/submit", data={"submission_token": token})
    assert sent.status_code == 303
    page = client.get(sent.location).get_data(as_text=True)
    reference = db.session.scalar(db.select(Response.reference))
    assert reference.startswith("TST-") and len(reference) == 18
    assert reference in page and "Response sent" in page and "We will read every response." in page
    assert "Hilltop Community Trust" in client.get(f"{URL}/receipt/{reference}").get_data(as_text=True)
    assert count(Draft) == 0


def test_check_answers_and_submit_read_no_message_catalogue(client, monkeypatch):
    """The hidden fields of check answers carry labels of their own, so WTForms translates nothing there: for a
    field without one, Flask-WTF read WTForms' message catalogue from disk on every such request."""
    make_survey()
    client.post(f"{URL}/start")
    token = token_from(walk_to_check(client).get_data(as_text=True))
    read = []
    load = Translations.load.__func__
    monkeypatch.setattr(Translations, "load", classmethod(lambda cls, *args, **kwargs: read.append(args) or
                                                           load(cls, *args, **kwargs)))
    assert client.get(f"{URL}/check").status_code == 200
    assert client.post(f"{URL}/submit", data={"submission_token": token}).status_code == 303
    assert read == []


def test_double_click_and_replayed_post_create_one_response(client):
    make_survey()
    client.post(f"{URL}/start")
    token = token_from(walk_to_check(client).get_data(as_text=True))
    first = client.post(f"{URL}/submit", data={"submission_token": token})
    again = client.post(f"{URL}/submit", data={"submission_token": token})
    assert first.location == again.location
    assert count(Response) == 1


def test_replay_from_another_client_does_not_reveal_the_receipt(app, client):
    make_survey()
    client.post(f"{URL}/start")
    token = token_from(walk_to_check(client).get_data(as_text=True))
    location = client.post(f"{URL}/submit", data={"submission_token": token}).location
    stranger = app.test_client()
    assert stranger.get(location).status_code == 404
    assert count(Response) == 1


def test_concurrent_submits_of_one_draft_store_one_response(app):
    survey = make_survey()
    draft = services.start_draft(survey)
    draft.answers = {"capacity": {"value": "individual"}, "p1": {"value": "agree"},
                     "publish": {"value": "anonymous"}, "contact": {"value": "no"}}
    db.session.commit()
    draft_id, token = draft.id, draft.submission_token
    references: list[str] = []
    barrier = threading.Barrier(4)

    def send() -> None:
        with app.app_context():
            mine = db.session.get(Draft, draft_id)
            barrier.wait()
            existing = submission.response_for_token(token)
            if existing is None and mine is not None:
                try:
                    existing = submission.submit(mine, token)
                except Exception:  # the draft vanished under us: the other request won
                    db.session.rollback()
                    existing = submission.response_for_token(token)
            references.append(existing.reference if existing else "")
            db.session.remove()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert count(Response) == 1
    assert set(references) == {db.session.scalar(db.select(Response.reference))}


def test_stale_submission_token_goes_back_to_check_answers(client):
    make_survey()
    client.post(f"{URL}/start")
    walk_to_check(client)
    assert client.post(f"{URL}/submit", data={"submission_token": "forged"}).location.endswith("/check")
    assert count(Response) == 0


def test_incomplete_draft_cannot_be_submitted(client):
    make_survey()
    client.post(f"{URL}/start")
    client.post(f"{URL}/page/1", data={"capacity": "individual"})
    assert client.get(f"{URL}/check").location.endswith("/page/5")
    token = db.session.scalar(db.select(Draft.submission_token))
    assert client.post(f"{URL}/submit", data={"submission_token": token}).location.endswith("/check")
    assert count(Response) == 0


def test_references_are_unique_and_hard_to_guess(app):
    survey = make_survey()
    references = set()
    for _ in range(30):
        draft = services.start_draft(survey)
        references.add(submission.submit(draft, draft.submission_token).reference)
    assert len(references) == 30
    # 12 characters from a 32-letter alphabet: 60 bits, so guessing one is hopeless.
    assert all(len(r.replace("-", "")) == 15 for r in references)

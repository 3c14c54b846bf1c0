"""Question pages with no answer yet are rendered once and shared (consult/surveys/blank_pages.py): each
respondent's copy carries their own CSRF token, and anything else a page shows (an answer given, a message, the
language, the address) is never taken from another respondent's copy."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import g

from consult.surveys.blank_pages import CSRF_MARK
from consult.surveys.frozen import current
from consult.surveys.services import load_file

KIL = Path(__file__).resolve().parents[2] / "surveys" / "keep-it-local.yaml"
URL = "/s/keep-it-local"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def kil(app):
    return load_file(KIL, open_survey=True).survey


def fresh_g() -> None:
    """The tests' requests share one application context, and with it Flask-WTF's signed token in `g`: forget it,
    as each request of a server does."""
    g.pop("csrf_token", None)


def started(app):
    fresh_g()
    client = app.test_client()
    client.post(f"{URL}/start")
    return client


def kept(survey) -> dict:
    return current(survey).memo.get("blank pages", {})


def test_each_respondent_gets_the_shared_page_with_their_own_csrf_token(app, kil):
    first, second = started(app), started(app)
    one, two = ((fresh_g(), c.get(f"{URL}/page/1"))[1].get_data(as_text=True) for c in (first, second))
    assert len(kept(kil)) == 1 and CSRF_MARK not in one + two
    (token_one,), (token_two,) = TOKEN.findall(one), TOKEN.findall(two)
    assert token_one != token_two and one.replace(token_one, "") == two.replace(token_two, "")
    app.config["WTF_CSRF_ENABLED"] = True
    data = {"respondent_type": "charity", "action": "continue"}
    fresh_g()
    assert first.post(f"{URL}/page/1", data={**data, "csrf_token": token_two}).status_code == 400
    assert first.post(f"{URL}/page/1", data={**data, "csrf_token": token_one}).status_code == 302
    assert second.post(f"{URL}/page/1", data={**data, "csrf_token": token_two}).status_code == 302


def test_a_page_already_answered_shows_its_answer(app, kil):
    client = started(app)
    client.get(f"{URL}/page/1")
    client.post(f"{URL}/page/1", data={"respondent_type": "charity", "action": "continue"})
    again = client.get(f"{URL}/page/1").get_data(as_text=True)
    assert re.search(r'value="charity"[^>]*checked', again)
    assert not re.search(r'value="charity"[^>]*checked', started(app).get(f"{URL}/page/1").get_data(as_text=True))


def test_language_message_and_address_are_the_respondents_own(app, kil):
    client = started(app)
    english = client.get(f"{URL}/page/1").get_data(as_text=True)
    welsh = client.get(f"{URL}/page/1?lang=cy").get_data(as_text=True)
    assert '<html lang="en">' in english and '<html lang="cy">' in welsh
    assert f'action="{URL}/page/1?lang=cy"' in welsh and f'action="{URL}/page/1"' in english
    with client.session_transaction() as session:
        session["_flashes"] = [("info", "A message for this respondent only")]
    assert "A message for this respondent only" in client.get(f"{URL}/page/1").get_data(as_text=True)
    assert "A message for this respondent only" not in started(app).get(f"{URL}/page/1").get_data(as_text=True)


def test_made_up_addresses_are_not_kept(app, kil):
    client = started(app)
    for n in range(5):
        assert client.get(f"{URL}/page/1?n={n}").status_code == 200
    assert client.get(f"{URL}/page/1?lang=" + "x" * 50).status_code == 200
    assert len(kept(kil)) == 0


START_TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def test_the_start_page_is_kept_with_each_visitors_own_token_and_follows_the_surveys_state(app, kil):
    """The start page is kept too (consult/surveys/views.py), keyed on the survey's state as read on each visit:
    closed by another server sharing the database, it says so at once."""
    from consult.extensions import db
    from consult.surveys.models import Survey

    one, two = ((fresh_g(), app.test_client().get(f"{URL}/"))[1].get_data(as_text=True) for _ in range(2))
    (token_one,), (token_two,) = START_TOKEN.findall(one), START_TOKEN.findall(two)
    assert token_one != token_two and one.replace(token_one, "") == two.replace(token_two, "")
    assert "Start now" in one and CSRF_MARK not in one + two
    assert any(key[0] == "start" for key in kept(kil))
    table = Survey.__table__
    db.session.execute(table.update().where(table.c.id == kil.id).values(state="closed"))  # as another server
    db.session.commit()
    db.session.expire_all()
    fresh_g()
    shown = app.test_client().get(f"{URL}/").get_data(as_text=True)
    assert "Start now" not in shown and "no longer accepting responses" in shown

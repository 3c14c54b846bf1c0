"""Session cookies whose checked contents are kept (consult/sessions.py) are trusted exactly as Flask's own are."""
from __future__ import annotations

import pytest
from flask import request, session
from flask.sessions import SecureCookieSessionInterface

from consult import sessions
from consult.sessions import KeptSessionInterface
from tests.factories import make_survey


def cookie_for(app, data: dict) -> str:
    return SecureCookieSessionInterface().get_signing_serializer(app).dumps(data)


def opened(app, cookie: str | None) -> dict:
    with app.test_request_context("/", headers={"Cookie": f"session={cookie}"} if cookie else {}):
        return dict(app.session_interface.open_session(app, request))


def test_the_app_keeps_checked_cookies(app):
    assert isinstance(app.session_interface, KeptSessionInterface)


def test_a_cookie_sent_again_opens_the_same_session_from_what_was_kept(app):
    cookie = cookie_for(app, {"drafts": {"a-survey": "token"}, "day": 739954, "when": (1, 2)})
    first = opened(app, cookie)
    assert first == {"drafts": {"a-survey": "token"}, "day": 739954, "when": (1, 2)}
    assert len(app.session_interface.kept) == 1
    again = opened(app, cookie)
    assert again == first
    again["drafts"]["a-survey"] = "changed"  # each request gets a session of its own
    assert opened(app, cookie) == first


@pytest.mark.parametrize("alter", [
    lambda cookie: cookie[:-2] + ("AA" if not cookie.endswith("AA") else "BB"),  # another signature
    lambda cookie: cookie.replace(".", "x", 1),
    lambda cookie: "",
])
def test_an_altered_cookie_is_checked_in_full_and_refused(app, alter):
    cookie = cookie_for(app, {"drafts": {"a-survey": "token"}})
    assert opened(app, cookie) == {"drafts": {"a-survey": "token"}}
    assert opened(app, alter(cookie)) == {}


def test_a_cookie_signed_with_another_key_is_refused_even_once_kept(app):
    cookie = cookie_for(app, {"drafts": {"a-survey": "token"}})
    assert opened(app, cookie) == {"drafts": {"a-survey": "token"}}
    app.secret_key = "another key"
    assert opened(app, cookie) == {}


def test_a_kept_cookie_expires_with_the_session_lifetime(app, monkeypatch):
    cookie = cookie_for(app, {"drafts": {"a-survey": "token"}})
    assert opened(app, cookie) == {"drafts": {"a-survey": "token"}}
    lifetime = int(app.permanent_session_lifetime.total_seconds())
    now = sessions.time.time()
    monkeypatch.setattr(sessions.time, "time", lambda: now + lifetime + 5)
    assert opened(app, cookie) == {}


def test_the_kept_cookies_are_bounded(app, monkeypatch):
    monkeypatch.setattr(sessions, "KEPT_LIMIT", 3)
    for n in range(5):
        opened(app, cookie_for(app, {"n": n}))
        assert len(app.session_interface.kept) <= 3


def test_a_respondent_journey_reads_its_session_from_kept_cookies(app, client):
    make_survey()
    client.post("/s/test-survey/start")
    with client:
        client.get("/s/test-survey/page/1")
        assert session.get("drafts")
    assert app.session_interface.kept

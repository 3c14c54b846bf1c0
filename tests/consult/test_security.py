"""Security by default: headers, CSRF, the honeypot, rate limits, escaping, and private receipts."""
from __future__ import annotations

import re

import pytest

from consult import create_app
from consult.extensions import db
from consult.responses.models import Response
from consult.security import CONTENT_SECURITY_POLICY
from tests.conftest import empty_database
from tests.consult.test_question_kinds import URL, post, walk_to_check
from tests.consult.test_submit import token_from
from tests.factories import make_survey


@pytest.fixture
def strict_app(database_url):
    """The app as deployed: CSRF and rate limits on."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True, "SERVER_NAME": "localhost",
                      "RATELIMIT_PUBLIC_POST": "5 per minute"})
    with app.app_context():
        yield app
        empty_database()


def csrf_token(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def test_security_headers_on_every_page(client):
    make_survey()
    for path in ("/", f"{URL}/", f"{URL}/resume", "/no-such-page"):
        headers = client.get(path).headers
        assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
        assert "default-src 'none'" in CONTENT_SECURITY_POLICY and "unsafe-inline" not in CONTENT_SECURITY_POLICY
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "no-referrer"
    assert client.get(f"{URL}/").headers["Cache-Control"] == "no-store"


def test_pages_make_no_third_party_requests(client):
    make_survey()
    client.post(f"{URL}/start")
    for path in (f"{URL}/", f"{URL}/page/1", f"{URL}/page/9"):
        page = client.get(path).get_data(as_text=True)
        for url in re.findall(r'(?:src|href|action)="([^"]+)"', page):
            assert url.startswith(("/", "#")) or url == "data:,", url
        assert "style=" not in page and "<script>" not in page  # nothing inline for the CSP to block


def test_posts_without_csrf_token_are_refused(strict_app):
    make_survey()
    client = strict_app.test_client()
    response = client.post(f"{URL}/start")
    assert response.status_code == 400
    assert "Your session has timed out or the form was out of date" in response.get_data(as_text=True)
    token = csrf_token(client.get(f"{URL}/").get_data(as_text=True))
    assert client.post(f"{URL}/start", data={"csrf_token": token}).status_code == 302


def test_honeypot_turns_bots_away(client):
    make_survey()
    assert client.post(f"{URL}/start", data={"website": "http://spam.example"}).status_code == 400
    client.post(f"{URL}/start")
    token = token_from(walk_to_check(client).get_data(as_text=True))
    assert client.post(f"{URL}/submit", data={"submission_token": token, "website": "x"}).status_code == 400
    assert db.session.scalar(db.select(db.func.count()).select_from(Response)) == 0
    assert 'class="kil-honeypot"' in client.get(f"{URL}/").get_data(as_text=True)


def test_rate_limit_per_client(strict_app):
    make_survey()
    client = strict_app.test_client()
    token = csrf_token(client.get(f"{URL}/").get_data(as_text=True))
    statuses = [client.post(f"{URL}/resume", data={"csrf_token": token, "code": "AAAA-BBBB-CCCC"}).status_code
                for _ in range(7)]
    assert statuses[:5] == [400] * 5  # wrong code, but answered
    assert statuses[5:] == [429, 429]
    assert "You have sent too many requests" in client.post(f"{URL}/resume", data={"csrf_token": token}).get_data(as_text=True)
    other = strict_app.test_client()
    assert other.post(f"{URL}/resume", data={"code": "x"}, environ_base={"REMOTE_ADDR": "10.9.8.7"}).status_code == 400


def test_answers_are_escaped_everywhere(client):
    make_survey()
    client.post(f"{URL}/start")
    post(client, 1, {"capacity": "organisation"})
    post(client, 2, {"org_name": '<script>alert(1)</script><img src=x onerror=alert(2)>'})
    for path in (f"{URL}/page/2",):
        page = client.get(path).get_data(as_text=True)
        assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    check = walk_to_check(client, {2: {"org_name": '<script>alert(1)</script>'}}).get_data(as_text=True)
    assert "<script>alert(1)" not in check


def test_large_posts_are_refused(client):
    make_survey()
    client.post(f"{URL}/start")
    assert client.post(f"{URL}/page/1", data={"capacity": "x" * (2 * 1024 * 1024)}).status_code == 413


def test_a_replayed_submission_token_opens_no_receipt_in_another_browser(app, client):
    make_survey()
    client.post(f"{URL}/start")
    token = token_from(walk_to_check(client).get_data(as_text=True))
    before_submit = client.get_cookie("session").value
    confirmation = client.post(f"{URL}/submit", data={"submission_token": token})
    reference = confirmation.location.rsplit("/", 1)[1]
    stranger = app.test_client()
    stranger.get(f"{URL}/")
    replayed = stranger.post(f"{URL}/submit", data={"submission_token": token})
    assert reference not in (replayed.location or "") and reference not in replayed.get_data(as_text=True)
    for path in (f"/confirmation/{reference}", f"/receipt/{reference}", f"/receipt/{reference}.pdf"):
        assert stranger.get(f"{URL}{path}").status_code == 404
    # The browser that submitted, clicking twice (its second request carries the cookie from before the first):
    double_click = app.test_client()
    double_click.set_cookie("session", before_submit, domain="localhost")
    again = double_click.post(f"{URL}/submit", data={"submission_token": token})
    assert again.status_code == 303 and again.location.endswith(f"/confirmation/{reference}")
    assert double_click.get(f"{URL}/receipt/{reference}").status_code == 200
    assert db.session.scalar(db.select(db.func.count()).select_from(Response)) == 1

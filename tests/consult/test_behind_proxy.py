"""Behind a reverse proxy (issue 18's deployment): with PROXY_HOPS set, limits count each visitor's own address
from X-Forwarded-For, and the scheme from X-Forwarded-Proto; without it, a forwarded address is not believed, so
nobody escapes a limit by sending one."""
from __future__ import annotations

import pytest
from flask import request

from consult import create_app
from tests.conftest import empty_database


@pytest.fixture
def proxied(database_url):
    apps = []

    def build(hops: int):
        app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True, "WTF_CSRF_ENABLED": False,
                          "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://",
                          "RATELIMIT_LOGIN": "2 per minute", "PROXY_HOPS": hops, "JOBS_MODE": "inline"})
        app.add_url_rule("/_seen_as", "seen_as", lambda: f"{request.remote_addr} {request.scheme}")
        apps.append(app)
        return app
    yield build
    for app in apps:
        with app.app_context():
            empty_database()


def sign_in_attempts(app, address: str, times: int) -> list[int]:
    """Each failed sign-in's status: 400 (wrong password), or 429 once over the limit."""
    client = app.test_client()
    return [client.post("/login", data={"email": "someone@example.org", "password": "wrong password!"},
                        headers={"X-Forwarded-For": address}).status_code for _ in range(times)]


def test_behind_one_proxy_each_visitor_has_a_limit_of_their_own(proxied):
    app = proxied(1)
    with app.app_context():
        assert app.test_client().get("/_seen_as", headers={"X-Forwarded-For": "203.0.113.5",
                                                           "X-Forwarded-Proto": "https"}).text == "203.0.113.5 https"
        assert sign_in_attempts(app, "203.0.113.5", 3)[-1] == 429
        assert sign_in_attempts(app, "198.51.100.7", 2) == [400, 400]


def test_without_proxy_hops_a_forwarded_address_is_not_believed(proxied):
    app = proxied(0)
    with app.app_context():
        assert app.test_client().get("/_seen_as", headers={"X-Forwarded-For": "203.0.113.5",
                                                           "X-Forwarded-Proto": "https"}).text == "127.0.0.1 http"
        assert sign_in_attempts(app, "203.0.113.5", 2) == [400, 400]
        assert sign_in_attempts(app, "198.51.100.7", 1) == [429]  # the same visitor, whatever it claims

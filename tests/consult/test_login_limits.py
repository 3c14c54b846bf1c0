"""The sign-in rate limit: shared through Redis by every app server when REDIS_URL is set, and a Redis outage
never turns a sign-in into a 500 (limits are then counted in each process until Redis is back)."""
from __future__ import annotations

import pytest
import redis

from consult import create_app
from tests.conftest import empty_database

TEST_REDIS_URL = "redis://127.0.0.1:6379/1"
WRONG = {"email": "nobody@example.org", "password": "wrong password"}


def limited_app(database_url: str, **config):
    return create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True, "WTF_CSRF_ENABLED": False,
                       "SERVER_NAME": "localhost", "JOBS_MODE": "inline", "RATELIMIT_ENABLED": True,
                       "RATELIMIT_LOGIN": "3 per minute", **config})


def test_rate_limits_follow_redis_url(database_url):
    assert limited_app(database_url, REDIS_URL="").config["RATELIMIT_STORAGE_URI"] == "memory://"
    assert limited_app(database_url, REDIS_URL=TEST_REDIS_URL).config["RATELIMIT_STORAGE_URI"] == TEST_REDIS_URL


def test_two_app_servers_share_the_sign_in_count_through_redis(database_url):
    try:
        redis.Redis.from_url(TEST_REDIS_URL).flushdb()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis at " + TEST_REDIS_URL)
    first, second = limited_app(database_url, REDIS_URL=TEST_REDIS_URL), limited_app(database_url, REDIS_URL=TEST_REDIS_URL)
    try:
        statuses = []
        for app in (first, second, first, second):
            with app.app_context():
                statuses.append(app.test_client().post("/login", data=WRONG).status_code)
        assert statuses == [400, 400, 400, 429]
        assert redis.Redis.from_url(TEST_REDIS_URL).keys("LIMITS:*")  # counted in Redis, not in this process
    finally:
        redis.Redis.from_url(TEST_REDIS_URL).flushdb()
        with first.app_context():
            empty_database()


def test_a_redis_outage_does_not_break_sign_in(database_url):
    app = limited_app(database_url, REDIS_URL="redis://127.0.0.1:1/1")  # nothing listens on port 1
    with app.app_context():
        try:
            client = app.test_client()
            statuses = [client.post("/login", data=WRONG).status_code for _ in range(4)]
            assert statuses == [400, 400, 400, 429]  # counted in this process meanwhile
        finally:
            empty_database()

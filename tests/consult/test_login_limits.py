"""The sign-in rate limit: shared through Redis by every app server when REDIS_URL is set, and a Redis outage
never turns a sign-in into a 500 (limits are then counted in each process until Redis is back)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import redis

from consult import create_app
from tests.conftest import empty_database

ROOT = Path(__file__).resolve().parents[2]
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


OUTAGE = """
import sys
from consult import create_app
from tests.conftest import empty_database
from tests.consult.test_login_limits import WRONG, limited_app

app = limited_app(sys.argv[1], REDIS_URL="redis://127.0.0.1:1/1")  # nothing listens on port 1
with app.app_context():
    try:
        client = app.test_client()
        print(*(client.post("/login", data=WRONG).status_code for _ in range(4)))
    finally:
        empty_database()
"""


def test_a_redis_outage_does_not_break_sign_in(database_url):
    # In a process of its own: after an outage Flask-Limiter's one limiter per process keeps counting in memory
    # until its next timed look at the storage, and would carry that into the next test's app.
    run = subprocess.run([sys.executable, "-c", OUTAGE, database_url], cwd=ROOT, capture_output=True, text=True,
                         timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.split() == ["400", "400", "400", "429"]  # counted in this process meanwhile

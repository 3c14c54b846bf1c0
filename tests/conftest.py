"""Fixtures in the manner of Flask's tutorial: `app`, `client`, `runner`, on a migrated database.

The suite runs on SQLite by default; set TEST_DATABASE_URL (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test)
to run the same tests on PostgreSQL. The schema is made once per run by the Alembic migrations and
emptied after each test.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from consult import create_app
from consult.extensions import db

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")


def reset_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def migrate(url: str) -> None:
    from flask_migrate import upgrade

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    with app.app_context():
        upgrade()
        db.engine.dispose()


def empty_database() -> None:
    """Delete every row (children first) and close connections: tests share one migrated database."""
    db.session.remove()
    with db.engine.begin() as connection:
        for table in reversed(db.metadata.sorted_tables):
            connection.execute(table.delete())
    db.engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    if TEST_DATABASE_URL:
        reset_postgres(TEST_DATABASE_URL)
        url = TEST_DATABASE_URL
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    migrate(url)
    return url


@pytest.fixture
def app(database_url):
    app = create_app({
        "SQLALCHEMY_DATABASE_URI": database_url,
        "TESTING": True,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "SERVER_NAME": "localhost",
        "JOBS_MODE": "inline",
    })
    with app.app_context():
        yield app
        empty_database()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def login(client):
    """Sign the test client in with a new account of the given role; returns the user."""
    from tests.factories import PASSWORD, make_user

    def sign_in(role: str = "researcher", email: str | None = None):
        user = make_user(role, email)
        response = client.post("/login", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return user

    return sign_in


@pytest.fixture
def kil_definition():
    from consult.surveys.services import read_definition

    return read_definition(Path(__file__).resolve().parent.parent / "surveys" / "keep-it-local.yaml")


@pytest.fixture
def smtp(app):
    """A real SMTP server (aiosmtpd) on a local port, and the app's email pointed at it."""
    from tests.smtp import MailServer

    server = MailServer().start()
    app.config.update(SMTP_URL=server.url, MAIL_FROM="Consultation team <consultation@example.org>")
    yield server
    server.stop()

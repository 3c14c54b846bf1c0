"""Fixtures in the manner of Flask's tutorial: `app`, `client`, `runner`, on a migrated database.

The suite runs on SQLite by default; set TEST_DATABASE_URL (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test)
to run the same tests on PostgreSQL. The schema is made once per run by the Alembic migrations and
emptied after each test.

`make test` runs the suite in parallel (pytest-xdist, `-n 2`): each module runs whole on one worker, and the
browser tests, which share one live server and its seeded survey, all run on one worker in file order.
Each worker has a database of its own, a SQLite file in its own temporary folder or, on PostgreSQL,
`<TEST_DATABASE_URL's database>_<worker>` made beside it.
"""
from __future__ import annotations

import copy
import os
from pathlib import Path

import pytest
from flask import Flask
from jinja2 import BytecodeCache
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

import config
from consult import create_app
from consult.extensions import db

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")

# Every app the suite makes in its own processes hashes passwords with scrypt at 2**10 rather than 2**15: about
# 3 ms a hash or check instead of 100 ms, over some thousand sign-ins. test_auth checks the production cost.
config.Config.PASSWORD_HASH_METHOD = "scrypt:1024:8:1"


class SharedBytecode(BytecodeCache):
    """Templates compiled once per process, not once per app: each test makes an app, whose Jinja environment
    would otherwise compile every template it renders again (some 15 ms each). Jinja checks each entry against
    the template's source; every app is made by the same factory, so with the same Jinja settings."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


Flask.jinja_options = {**Flask.jinja_options, "bytecode_cache": SharedBytecode()}


def pytest_xdist_make_scheduler(config, log):
    """Each module whole on one worker, and the browser tests (one live server, one seeded survey) all on one.

    A scheduler of our own rather than `--dist loadgroup`: xdist 3.8 writes the group into a test's id in a
    way pytest 9 no longer reads, so its groups fall apart."""
    from xdist.scheduler import LoadScopeScheduling

    class ModulesAndBrowser(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::", 1)[0]
            return "tests/browser" if module.startswith("tests/browser/") else module

    return ModulesAndBrowser(config, log)


def reset_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def worker_database(url: str, worker: str) -> str:
    """The PostgreSQL database of one xdist worker, made (empty) beside the suite's own."""
    base = make_url(url)
    name = f"{base.database}_{worker}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        connection.execute(text(f"CREATE DATABASE {name}"))
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


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
def database_url(tmp_path_factory, worker_id) -> str:
    if TEST_DATABASE_URL:
        url = TEST_DATABASE_URL if worker_id == "master" else worker_database(TEST_DATABASE_URL, worker_id)
        reset_postgres(url)
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
        "ANSWER_VECTORS": False,  # with the optional model installed, tests that want vectors switch them on
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


@pytest.fixture(scope="session")
def kil_file_definition():
    from consult.surveys.services import read_definition

    return read_definition(Path(__file__).resolve().parent.parent / "surveys" / "keep-it-local.yaml")


@pytest.fixture
def kil_definition(kil_file_definition):
    """The Keep it Local definition, read and checked once per worker; a copy of its own for each test."""
    return copy.deepcopy(kil_file_definition)


@pytest.fixture
def smtp(app):
    """A real SMTP server (aiosmtpd) on a local port, and the app's email pointed at it."""
    from tests.smtp import MailServer

    server = MailServer().start()
    app.config.update(SMTP_URL=server.url, MAIL_FROM="Consultation team <consultation@example.org>")
    yield server
    server.stop()


@pytest.fixture
def vectors_on(app, monkeypatch):
    """Vectors switched on, made by fake_vectors; the texts it was asked for, call by call."""
    from consult.coding import vectors
    from tests.coded_answers import fake_vectors

    calls: list[list[str]] = []

    def embed(texts):
        calls.append(list(texts))
        return fake_vectors(texts)

    monkeypatch.setitem(app.config, "ANSWER_VECTORS", True)
    monkeypatch.setattr(vectors, "embedder", lambda: embed)
    return calls

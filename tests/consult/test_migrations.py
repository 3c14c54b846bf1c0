"""The schema comes only from the migrations: up, down and up again, and it matches the models."""
from __future__ import annotations

import os

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from consult import create_app
from consult.extensions import db

FOUNDATION_TABLES = {"survey", "survey_version", "survey_page", "survey_question", "response_draft", "response", "answer"}


@pytest.fixture
def scratch_url(tmp_path):
    """An empty database of the kind the suite runs on (a separate PostgreSQL database when on PostgreSQL)."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        yield f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
        return
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    name = f"{make_url(url).database}_migrations"  # beside the suite's own database, one per suite database
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name}"))
        connection.execute(text(f"CREATE DATABASE {name}"))
    yield make_url(url).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


def test_upgrade_downgrade_upgrade_and_models_match(scratch_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": scratch_url, "TESTING": True})
    with app.app_context():
        expected = set(db.metadata.tables) | {"alembic_version"}
        assert FOUNDATION_TABLES < expected
        upgrade()
        assert set(inspect(db.engine).get_table_names()) == expected
        with db.engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
        assert differences == []
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert set(inspect(db.engine).get_table_names()) == expected
        db.engine.dispose()


def test_sqlite_is_durable_wal(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite settings")
    with db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_coders_stored_with_their_email_are_renamed_to_their_display_name(scratch_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": scratch_url, "TESTING": True})
    with app.app_context():
        upgrade(revision="0008_draft_progress")  # before 0009_coder_names
        with db.engine.begin() as connection:
            for i, (name, email) in enumerate((("Sam Jones", "sam@example.org"), ("Sam Jones", "sam2@example.org"),
                                               ("Ada", "ada@example.org")), 1):
                connection.execute(text(
                    "INSERT INTO user_account (id, email, name, password_hash, role, active, failed_logins, created_at) "
                    "VALUES (:id, :email, :name, 'x', 'researcher', true, 0, CURRENT_TIMESTAMP)"),
                    {"id": i, "email": email, "name": name})
                connection.execute(text("INSERT INTO coder (id, kind, user_id, name) VALUES (:id, 'person', :id, :name)"),
                                   {"id": i, "name": f"{name} ({email})"})
            connection.execute(text("INSERT INTO coder (id, kind, name) VALUES (9, 'machine', 'Machine suggestions')"))
        upgrade()
        with db.engine.connect() as connection:
            names = dict(connection.execute(text("SELECT id, name FROM coder")).all())
        assert names == {1: "Sam Jones", 2: "Sam Jones (2)", 3: "Ada", 9: "Machine suggestions"}
        db.engine.dispose()

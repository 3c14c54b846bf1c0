"""Pooled connections to PostgreSQL are tried before use only after lying idle (consult.database.PING_IDLE_SECONDS):
one the server dropped meanwhile is replaced without the request seeing it; one in steady use is lent out as it is."""
from __future__ import annotations

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from consult import database
from consult.extensions import db


@pytest.fixture
def engine(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no connection to lose")
    return db.engine


def backend(engine) -> int:
    with engine.connect() as connection:
        return connection.scalar(text("SELECT pg_backend_pid()"))


def drop(engine, pid: int) -> None:
    """The server ends the connection of backend `pid` (as a restart does), behind the pool's back."""
    url = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])


def test_a_connection_dropped_while_idle_is_replaced_unseen(engine, monkeypatch):
    assert not engine.pool._pre_ping  # no SELECT 1 on every checkout
    dropped = backend(engine)
    drop(engine, dropped)
    monkeypatch.setattr(database, "PING_IDLE_SECONDS", 0.0)  # as if it had lain idle
    assert backend(engine) != dropped


def test_a_connection_in_steady_use_is_not_tried_first(engine, monkeypatch):
    monkeypatch.setattr(database, "PING_IDLE_SECONDS", 3600.0)
    dropped = backend(engine)
    drop(engine, dropped)
    with pytest.raises(OperationalError):  # the one request that meets it fails ...
        backend(engine)
    assert backend(engine) != dropped  # ... and the pool has replaced it for the next

"""Scratch PostgreSQL databases for tests that need PostgreSQL whichever engine the suite runs on.

Each is made beside the suite's own database (TEST_DATABASE_URL when it names PostgreSQL, else the PostgreSQL on
127.0.0.1 that CI runs), named `<that database>_<suffix>`, and dropped afterwards. A test is skipped, with the
reason, only when that server does not answer.
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def postgres_base() -> str:
    base = os.environ.get("TEST_DATABASE_URL", "")
    return base if base.startswith("postgresql") else DEFAULT_POSTGRES


@contextmanager
def scratch_postgres(suffix: str) -> Iterator[str]:
    """A fresh, empty PostgreSQL database's URL (skips the test when PostgreSQL is not reachable)."""
    base = make_url(postgres_base())
    name = f"{base.database}_{suffix}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
    try:
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            connection.execute(text(f"CREATE DATABASE {name}"))
    except OperationalError as error:
        admin.dispose()
        pytest.skip(f"PostgreSQL is not reachable at {base.host}:{base.port}: "
                    f"{str(error.orig).strip().splitlines()[0]}")
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()

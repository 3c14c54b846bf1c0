"""Statements made through psycopg's own cursor, with the SQL SQLAlchemy compiles for them, where SQLAlchemy's
execution and result setup would cost more than the statement (a question page's read and its save, on every
request of a respondent's journey). Each checks, through SQLAlchemy's public type API, that SQLAlchemy would do
nothing more than the driver does, and goes through SQLAlchemy otherwise; a driver error sends the statement
again through SQLAlchemy, whose error handling then runs as for any statement."""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Mapping

from sqlalchemy import Delete, Executable, Select, Update
from sqlalchemy.engine import Connection

try:
    import psycopg
    from psycopg.pq import TransactionStatus
    from psycopg.rows import dict_row

    _IDLE = TransactionStatus.IDLE
except ImportError:  # no PostgreSQL driver installed: no PostgreSQL engine either
    _IDLE = None


def outside_transaction(dbapi_connection) -> bool:
    """A psycopg connection in autocommit mode with no transaction open (see
    `consult.database._lazy_transactions`)."""
    return getattr(dbapi_connection, "autocommit", False) and dbapi_connection.info.transaction_status == _IDLE


def first_row(connection: Connection, statement: Executable, parameters: dict) -> Mapping[str, Any] | None:
    """The first row of a read (a SELECT of plain columns), by column name; None when there is none.

    On PostgreSQL through psycopg's own cursor, with the SQL SQLAlchemy compiles for the statement (once per
    process): psycopg turns the values into the same Python types (for columns whose values SQLAlchemy leaves to
    it, as it does JSON and timestamps; any other column sends the read through SQLAlchemy),
    and the SELECT costs about half the app's CPU it costs through SQLAlchemy's execution and result setup
    (measured: 111-154 against 208-275 microseconds for a question page's survey-and-draft read). If the driver
    fails, the read is made again through SQLAlchemy, whose error handling (a dropped connection is thrown out
    of the pool) then runs as for any statement. Elsewhere, through SQLAlchemy.

    `statement` is built once and reused (its SQL is kept by the statement object, not by its shape as
    SQLAlchemy's own cache keeps it)."""
    driver_sql = _driver_sql(statement, connection.dialect) if connection.dialect.driver == "psycopg" else None
    if driver_sql is not None and outside_transaction(dbapi := connection.connection.dbapi_connection):
        sql, defaults = driver_sql
        try:
            with dbapi.cursor(row_factory=dict_row) as cursor:
                return cursor.execute(sql, {**defaults, **parameters}).fetchone()
        except psycopg.Error:
            pass
    row = connection.execute(statement, parameters).first()
    return None if row is None else row._mapping


@lru_cache(maxsize=64)
def _driver_sql(statement: Executable, dialect) -> tuple[str, dict[str, Any]] | None:
    """(SQL, the values bound in the statement itself) of a SELECT; None where SQLAlchemy has more to do than the
    driver: SQL finished per execution (lists of values), a column whose values it turns into something else, or
    a value it binds as something else."""
    if not isinstance(statement, Select):
        return None
    prepared = _prepared(statement.compile(dialect=dialect), dialect)
    if prepared is None or prepared[2] or any(dialect.type_descriptor(column.type).result_processor(dialect, None)
                                              for column in statement.selected_columns):
        return None
    return prepared[0], prepared[1]


def _prepared(compiled, dialect) -> tuple[str, dict[str, Any], dict[str, Any]] | None:
    """(SQL, the values bound in the statement itself, each bound value's processor by name) of a compiled
    statement; None when SQLAlchemy finishes its SQL per execution (lists of values)."""
    if "POSTCOMPILE" in compiled.string:
        return None
    processors = {name: process for bind, name in compiled.bind_names.items()
                  if (process := dialect.type_descriptor(bind.type).bind_processor(dialect)) is not None}
    return compiled.string, {name: value for name, value in compiled.params.items() if value is not None}, processors


def write_through_driver(connection: Connection, statement: Executable, parameters: dict) -> None:
    """Execute a write (no rows back) through psycopg's own cursor, with the SQL SQLAlchemy compiles for it (once
    per process) and the values as SQLAlchemy would bind them (its types' own bind processing, JSON's included).
    Through SQLAlchemy where it has more to do (`driver_write_sql`), or again through it if the driver fails:
    its error handling then runs as for any statement (a dropped connection leaves the pool, and the error is
    SQLAlchemy's). The write must be one that can be made twice (an UPDATE to given values): it is, if the
    driver failed after the database had made it."""
    prepared = driver_write_sql(statement, connection.dialect)
    if prepared is not None:
        sql, defaults, processors = prepared
        values = {**defaults, **parameters}
        for name, process in processors.items():
            if name in values:
                values[name] = process(values[name])
        try:
            with connection.connection.dbapi_connection.cursor() as cursor:
                cursor.execute(sql, values)
            return
        except psycopg.Error:
            pass
    connection.execute(statement, parameters)


@lru_cache(maxsize=64)
def driver_write_sql(statement: Executable, dialect) -> tuple[str, dict[str, Any], dict[str, Any]] | None:
    """(SQL, the values bound in the statement itself, each bound value's processor by name) of an UPDATE or
    DELETE; None for anything else, or where SQLAlchemy finishes the SQL per execution (lists of values), works
    out values of its own (a column's Python-side default on update) or returns rows. RETURNING is looked for in
    the SQL: reading the compiled statement's `effective_returning` left a later `.returning()` copy of the
    statement compiling to no RETURNING columns (SQLAlchemy 2.1.9)."""
    if not isinstance(statement, (Update, Delete)):
        return None
    compiled = statement.compile(dialect=dialect)
    if compiled.insert_prefetch or compiled.update_prefetch or " RETURNING " in compiled.string:
        return None
    return _prepared(compiled, dialect)

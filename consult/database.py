"""Database engine settings that models cannot express (SQLite durability and locking), and the check that
the database still accepts writes."""
from __future__ import annotations

import re
import threading
import time
from datetime import datetime
from functools import lru_cache

from flask import Flask
from sqlalchemy import Executable, Result, Table, event, func, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError, IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Mapped, mapped_column

from consult.driver_statements import driver_write_sql, outside_transaction, write_through_driver
from consult.extensions import db
from consult.timeutil import utcnow


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers run beside the writer; synchronous=FULL syncs every commit, so a response
    # that was acknowledged survives a crash or power loss (measured cost ~5% on the submit path).
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


RELAXED = "consult.relaxed_sync"


def _sqlite_strict_again(dbapi_connection, record) -> None:
    # Back to FULL before the connection serves anyone else (see `relax_next_commit`).
    if record.info.pop(RELAXED, False):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()


def _postgresql_settings(dbapi_connection, _record) -> None:
    # No JIT: it compiles any query the planner costs high (a count over a million responses) and spends
    # seconds doing so, where the page wants its rows in milliseconds (measured: 4.6 s of a 24 s list query).
    cursor = dbapi_connection.cursor()
    cursor.execute("SET jit = off")
    cursor.close()
    dbapi_connection.commit()


def _lazy_transactions(dbapi_connection, _record) -> None:
    dbapi_connection.autocommit = True  # transactions begin at the first write: see `_begin_before_writes`


# PostgreSQL: a transaction begins at a request's first statement that needs one, not at its first statement.
# psycopg otherwise sends BEGIN before the first SELECT and ROLLBACK after the last, two round trips to the server
# around a page that only reads (measured: a question page's one SELECT became three round trips), and each
# ROLLBACK made psycopg forget its prepared statements, so none stayed prepared. The connection is in psycopg's
# autocommit mode; before any statement that is not a plain SELECT (a write, SET LOCAL, SAVEPOINT, a SELECT that
# locks rows or calls a function that changes something, or one read through a server-side cursor) BEGIN is sent,
# and SQLAlchemy's commit or rollback ends that transaction as usual (psycopg sends COMMIT or ROLLBACK whenever a
# transaction is open, autocommit or not). The statements before the first write each read the newest committed
# data, as they did inside a READ COMMITTED transaction (PostgreSQL's default, the only level the app uses):
# nothing is read differently, and the writes that follow are as atomic as before.
_PLAIN_READ = re.compile(r"\s*(?:SELECT|BEGIN|START\s+TRANSACTION)\b(?!.*\bFOR\s+(?:NO\s+KEY\s+UPDATE|UPDATE|KEY\s+SHARE|SHARE)\b)"
                         r"(?!.*\b(?:set_config|pg_advisory\w*|nextval|setval|pg_notify|txid_current|pg_current_xact_id)"
                         r"\s*\()", re.IGNORECASE | re.DOTALL)


@lru_cache(maxsize=2048)
def needs_transaction(statement: str) -> bool:
    """Whether a statement must run inside a transaction (see above); BEGIN itself opens one."""
    return _PLAIN_READ.match(statement) is None


def _begin_before_writes(_connection, cursor, statement, _parameters, context, _executemany) -> None:
    dbapi_connection = cursor.connection
    if not outside_transaction(dbapi_connection):
        return
    if context is not None and (context.execution_options.get(ALONE)  # see `execute_alone`
                                or context.execution_options.get("isolation_level") == "AUTOCOMMIT"):
        return  # asked to run outside any transaction (VACUUM, for one, refuses to run in one)
    if needs_transaction(statement) or getattr(cursor, "name", None):  # a named cursor is a server-side one
        dbapi_connection.execute("BEGIN")


# A pooled connection to a database server is tried with "SELECT 1" before it is lent out only when it has lain
# unused this long: one in steady use answered a moment ago, and trying it on every request (SQLAlchemy's
# pool_pre_ping) cost each page a round trip to the server (measured: ~0.1-0.25 ms of the server's CPU per request
# on PostgreSQL, and the wait). A server restarted in the meantime fails the one request that meets a connection
# it dropped; the pool then replaces every connection made before it (SQLAlchemy's disconnect handling).
PING_IDLE_SECONDS = 2.0
LAST_USED = "consult.last_used"


def _fresh(_dbapi_connection, record) -> None:
    record.info[LAST_USED] = time.monotonic()


def _ping_if_idle(dbapi_connection, record, _proxy) -> None:
    if time.monotonic() - record.info.get(LAST_USED, 0.0) < PING_IDLE_SECONDS:
        return
    try:
        cursor = dbapi_connection.cursor()
        cursor.execute("SELECT 1")
        cursor.close()
    except Exception as error:  # the pool drops this connection and lends out another (SQLAlchemy retries)
        raise DisconnectionError() from error


def configure_engine(engine: Engine, pre_ping: bool = False) -> None:
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "checkin", _sqlite_strict_again)
        return
    if engine.dialect.name == "postgresql":
        event.listen(engine, "connect", _postgresql_settings)
    if engine.dialect.name == "postgresql" and engine.dialect.driver == "psycopg":
        event.listen(engine, "connect", _lazy_transactions)
        event.listen(engine, "before_cursor_execute", _begin_before_writes)
    if not pre_ping:  # see PING_IDLE_SECONDS; SQLALCHEMY_ENGINE_OPTIONS' pool_pre_ping pings on every checkout
        event.listen(engine, "connect", _fresh)
        event.listen(engine, "checkout", _ping_if_idle)
        event.listen(engine, "checkin", _fresh)


def relax_next_commit() -> None:
    """Let the session's next commit return before it reaches the disk: for writes that may be lost when the
    machine itself fails (power, kernel) in the moment after, but never when the app's process dies.

    SQLite (WAL) with synchronous=NORMAL: the commit is in the WAL file, in the operating system's hands, when it
    returns; it reaches the disk at the next checkpoint or at the next commit that syncs (every other commit,
    such as a response's, syncs the WAL and with it every commit before). PostgreSQL with synchronous_commit
    off for this transaction only: the server has the commit and flushes it within about 0.6 s (three
    wal_writer_delay); a later synchronous commit flushes it too. Neither risks corruption, only the loss of
    that last write.

    SQLite cannot change it once the transaction has written: call this before the transaction's first write
    (the session's pending changes are written at commit); after one, the commit stays synchronous."""
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        if not connection.connection.dbapi_connection.in_transaction:
            connection.exec_driver_sql("PRAGMA synchronous=NORMAL")
            connection.connection.info[RELAXED] = True
    elif connection.dialect.name == "postgresql":
        opened = outside_transaction(connection.connection.dbapi_connection)
        # One round trip where BEGIN (see `_begin_before_writes`) and SET LOCAL would take two.
        connection.exec_driver_sql(("BEGIN; " if opened else "") + "SET LOCAL synchronous_commit TO OFF")


ALONE = "consult_alone"


def execute_alone(statement: Executable, parameters: dict, durable: bool = True) -> Result | None:
    """Execute one write. None when it was committed on its own; else its result, and the caller then commits
    the session as usual (`commit_write`). Not `durable`: as after `relax_next_commit`.

    On PostgreSQL, when this write is the whole of its transaction (the session holds no changes to flush and
    no transaction is open), it runs as a transaction of its own in autocommit mode: no BEGIN before it and no
    COMMIT after (psycopg sends none when no transaction is open). A single statement is atomic and, committed,
    as durable as any commit; not `durable`, the statement itself turns synchronous_commit off for its own
    transaction (set_config, as SET LOCAL does; PostgreSQL reads it when that transaction commits). If the
    session has not begun at all, and the write returns no rows, it goes through psycopg's own cursor on a
    connection of its own (`consult.driver_statements.write_through_driver`), and the session is not begun for
    it (its begin and commit, and SQLAlchemy's execution, cost the app more than the statement). Anywhere else,
    exactly as before, on the session's connection."""
    alone = _alone(statement, durable)
    if db.engine.dialect.driver == "psycopg" and not _begun() \
            and driver_write_sql(alone, db.engine.dialect) is not None:
        with db.engine.connect() as connection:
            if outside_transaction(connection.connection.dbapi_connection):
                write_through_driver(connection, alone, parameters)
                return None
    session = db.session()
    connection = session.connection()
    if connection.dialect.name == "postgresql" and not _holds_changes(session):
        if outside_transaction(connection.connection.dbapi_connection):
            return connection.execute(alone, parameters)
    if not durable:
        relax_next_commit()
    return connection.execute(statement, parameters)


def _begun() -> bool:
    """Whether the request's session holds changes or a transaction (one not yet made for this request has
    neither, and is not made to find out)."""
    if not db.session.registry.has():
        return False
    session = db.session()
    return session.in_transaction() or _holds_changes(session)


def _holds_changes(session) -> bool:
    """Whether the session has changes its commit would flush."""
    return bool(session.new or session.dirty or session.deleted)


@lru_cache(maxsize=64)
def _alone(statement, durable: bool):
    if not durable:  # set_config is volatile: it runs as the row is found, in the statement's own transaction
        statement = statement.where(func.set_config("synchronous_commit", "off", True) == "off")
    return statement.execution_options(**{ALONE: True})


def dialect_insert(table: Table):
    """An INSERT for `table` that takes ON CONFLICT clauses, on SQLite and PostgreSQL alike."""
    return (postgresql_insert if db.engine.dialect.name == "postgresql" else sqlite_insert)(table)


def replace_rows(table: Table, rows: list[dict]) -> None:
    """Insert `rows`, each replacing the row with its primary key, including one a concurrent transaction has
    inserted since this one looked (INSERT ... ON CONFLICT DO UPDATE: no unique violation, and the row ends as
    given here). For rows worked out again from what they keep (signatures, cached figures)."""
    if not rows:
        return
    key = [column.name for column in table.primary_key]
    statement = dialect_insert(table)
    statement = statement.on_conflict_do_update(index_elements=key, set_={
        name: statement.excluded[name] for name in rows[0] if name not in key})
    db.session.execute(statement, rows)


class WriteCheck(db.Model):
    """One row rewritten by /healthz: a database that is read-only, full or gone refuses the write."""

    __tablename__ = "write_check"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    checked_at: Mapped[datetime]


def writable() -> tuple[bool, str]:
    """(True, "writable") when a committed write succeeds; else (False, what the database said, in a word or
    two: "unwritable" when it answers but refuses to write, "unreachable" when it does not answer)."""
    try:
        db.session.scalar(db.select(1))
    except SQLAlchemyError:
        db.session.rollback()
        return False, "unreachable"
    try:
        if not db.session.execute(update(WriteCheck).where(WriteCheck.id == 1).values(checked_at=utcnow())).rowcount:
            db.session.add(WriteCheck(id=1, checked_at=utcnow()))
        db.session.commit()
    except IntegrityError:  # a concurrent check inserted the row first: that write succeeded
        db.session.rollback()
    except SQLAlchemyError:
        db.session.rollback()
        return False, "unwritable"
    return True, "writable"


_last_check: dict[str, object] = {"at": None, "result": (True, "writable")}
_check_lock = threading.Lock()


def recently_writable(max_age: float) -> tuple[bool, str]:
    """`writable()`, done at most once every `max_age` seconds per process: a health probe polled often
    costs one small write now and then."""
    with _check_lock:
        at = _last_check["at"]
        if at is None or time.monotonic() - at >= max_age:  # type: ignore[operator]
            _last_check["result"] = writable()
            _last_check["at"] = time.monotonic()
        return _last_check["result"]  # type: ignore[return-value]


def init_app(app: Flask) -> None:
    with app.app_context():
        configure_engine(db.engine, app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}).get("pool_pre_ping", False))

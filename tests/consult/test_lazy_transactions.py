"""On PostgreSQL a transaction begins at the first statement that needs one (consult.database): reads before it
send no BEGIN and leave nothing to roll back, and everything from the first write on is one transaction."""
from __future__ import annotations

import pytest
from psycopg.pq import TransactionStatus
from datetime import timedelta

from sqlalchemy import bindparam, func, select, text, update
from sqlalchemy.exc import IntegrityError

from consult.database import WriteCheck, execute_alone, needs_transaction, relax_next_commit
from consult.extensions import db
from consult.timeutil import utcnow


@pytest.mark.parametrize("statement, needs", [
    ("SELECT survey.id FROM survey WHERE survey.slug = %(slug)s", False),
    ("  select 1", False),
    ("BEGIN; SET LOCAL synchronous_commit TO OFF", False),  # opens its own
    ("SELECT workshop_event.id FROM workshop_event WHERE workshop_event.id = %(id)s FOR UPDATE", True),
    ("SELECT x FROM t\nFOR NO KEY UPDATE", True),
    ("SELECT x FROM t FOR SHARE", True),
    ("SELECT set_config('statement_timeout', '1s', true)", True),
    ("SELECT pg_advisory_xact_lock(42)", True),
    ("SELECT nextval('response_id_seq')", True),
    ("UPDATE response_draft SET last_page=%(p)s WHERE id = %(id)s", True),
    ("INSERT INTO answer (response_id) VALUES (%(r)s) RETURNING id", True),
    ("WITH gone AS (DELETE FROM t RETURNING id) SELECT count(*) FROM gone", True),
    ("SET LOCAL max_parallel_workers_per_gather = 0", True),
    ("SAVEPOINT sa_savepoint_1", True),
])
def test_which_statements_need_a_transaction(statement, needs):
    assert needs_transaction(statement) is needs


@pytest.fixture
def connection(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite's driver already begins a transaction at the first write only")
    db.session.rollback()
    return lambda: db.session.connection().connection.dbapi_connection


def test_reads_open_no_transaction_and_a_write_opens_one(connection):
    db.session.scalar(select(WriteCheck.id))
    assert connection().info.transaction_status == TransactionStatus.IDLE
    db.session.execute(text("SELECT 1 FROM write_check FOR UPDATE"))  # a lock lasts until the commit
    assert connection().info.transaction_status == TransactionStatus.INTRANS
    db.session.rollback()
    relax_next_commit()
    assert connection().info.transaction_status == TransactionStatus.INTRANS
    assert db.session.scalar(text("SHOW synchronous_commit")) == "off"
    db.session.rollback()
    assert db.session.scalar(text("SHOW synchronous_commit")) == "on"


def test_everything_from_the_first_write_commits_or_rolls_back_together(connection):
    db.session.add(WriteCheck(id=7, checked_at=utcnow()))
    db.session.flush()
    db.session.add(WriteCheck(id=7, checked_at=utcnow()))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
    assert db.session.get(WriteCheck, 7) is None  # the first insert went with the second
    db.session.add(WriteCheck(id=8, checked_at=utcnow()))
    db.session.commit()
    assert connection().info.transaction_status == TransactionStatus.IDLE
    assert db.session.scalar(select(WriteCheck.id).where(WriteCheck.id == 8)) == 8
    db.session.execute(WriteCheck.__table__.delete())
    db.session.commit()


def test_a_write_alone_is_its_own_transaction_and_relaxes_only_itself(connection):
    """A page save: no BEGIN before it, no COMMIT after, and synchronous_commit off for that write alone."""
    first = utcnow().replace(microsecond=0)
    db.session.add(WriteCheck(id=9, checked_at=first))
    db.session.commit()
    table = WriteCheck.__table__
    statement = (update(table).where(table.c.id == bindparam("check")).values(checked_at=bindparam("at"))
                 .returning(func.current_setting("synchronous_commit")))
    assert execute_alone(statement, {"check": 9, "at": first + timedelta(days=1)}, durable=False).scalar() == "off"
    assert connection().info.transaction_status == TransactionStatus.IDLE  # committed as it ran
    with db.engine.connect() as other:  # seen from elsewhere before the session's commit (which sends nothing)
        assert other.scalar(select(table.c.checked_at).where(table.c.id == 9)) == first + timedelta(days=1)
    assert db.session.scalar(text("SHOW synchronous_commit")) == "on"
    assert execute_alone(statement, {"check": 9, "at": first}, durable=True).scalar() == "on"
    db.session.commit()

    db.session.execute(text("SELECT 1 FROM write_check FOR UPDATE"))  # a transaction is open: the write joins it
    assert execute_alone(statement, {"check": 9, "at": first + timedelta(days=2)}, durable=False).scalar() == "off"
    db.session.rollback()
    assert db.session.scalar(select(table.c.checked_at).where(table.c.id == 9)) == first

    db.session.add(WriteCheck(id=10, checked_at=first))  # the session has a change to flush: it goes with the write
    execute_alone(statement, {"check": 9, "at": first + timedelta(days=3)}, durable=False)
    assert connection().info.transaction_status == TransactionStatus.INTRANS
    db.session.rollback()
    assert db.session.scalar(select(table.c.checked_at).where(table.c.id == 9)) == first
    db.session.execute(table.delete())
    db.session.commit()


def test_a_connection_asked_for_autocommit_sends_no_begin(connection):
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as autocommit:
        autocommit.execute(text("VACUUM ANALYZE write_check"))  # VACUUM refuses to run inside a transaction
        autocommit.execute(text("UPDATE write_check SET checked_at = checked_at"))
        assert autocommit.connection.dbapi_connection.info.transaction_status == TransactionStatus.IDLE

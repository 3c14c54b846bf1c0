"""`consult.driver_statements`: on PostgreSQL a question page's survey-and-draft read and its save go through
psycopg's own cursor; what they read and store must be what SQLAlchemy reads and stores, and a driver failure
must end as SQLAlchemy's."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from flask import g
from sqlalchemy import (Column, DateTime, Integer, MetaData, String, Table, TypeDecorator, bindparam, event, insert,
                        select, text, type_coerce, update)
from sqlalchemy.dialects.postgresql import psycopg as psycopg_dialect
from sqlalchemy.exc import OperationalError

from consult.database import execute_alone
from consult.driver_statements import driver_write_sql, first_row
from consult.extensions import db
from consult.responses import rows, services
from consult.responses.models import Draft
from tests.consult.test_question_kinds import URL, post
from tests.factories import make_survey


@pytest.fixture
def draft(app):
    survey = make_survey("driver-reads")
    draft = services.start_draft(survey)
    draft.answers = {"capacity": {"value": "individual", "text": None}, "story": {"value": None, "text": "Ça va"}}
    draft.unsaved = {"4": {"story": ["typed"]}}
    db.session.commit()
    return draft


def _psycopg() -> None:
    if db.engine.dialect.driver != "psycopg":
        pytest.skip("elsewhere every read goes through SQLAlchemy")


def _through_sqlalchemy(statement, parameters):
    row = db.session.connection().execute(statement, parameters).first()
    return None if row is None else dict(row._mapping)


def test_the_page_visit_read_returns_what_sqlalchemy_returns(draft):
    parameters = {"slug": "driver-reads", "token": draft.token}
    read = first_row(db.session.connection(), rows._statement(), parameters)
    expected = _through_sqlalchemy(rows._statement(), parameters)
    assert dict(read) == expected
    assert {name: type(value) for name, value in read.items()} == \
           {name: type(value) for name, value in expected.items()}
    assert read["draft_answers"]["story"]["text"] == "Ça va" and read["draft_unsaved"] == {"4": {"story": ["typed"]}}
    assert first_row(db.session.connection(), rows._statement(), {"slug": "driver-reads", "token": "nobody"}) is None


def test_find_page_visit_gives_the_draft_as_stored(draft):
    for writing in (True, False):
        survey, found = rows.find_page_visit("driver-reads", draft.token, writing=writing)
        assert (survey.slug, survey.state, survey.current_version_id) == ("driver-reads", "open", draft.version_id)
        assert (found.id, found.answers, found.unsaved, found.expires_at) == \
               (draft.id, draft.answers, draft.unsaved, draft.expires_at)
        assert survey.accepting()


def test_psycopg_reads_send_no_sqlalchemy_statement_and_sqlite_reads_do(draft):
    token, seen = draft.token, []
    listener = lambda *args: seen.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        first_row(db.session.connection(), rows._statement(), {"slug": "driver-reads", "token": token})
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert len(seen) == (0 if db.engine.dialect.driver == "psycopg" else 1)


def test_a_failing_driver_read_fails_as_sqlalchemy_reports_it(draft, monkeypatch):
    """A read the driver refuses is made again through SQLAlchemy, so it raises what any statement raises
    (and a dropped connection is handled by SQLAlchemy's pool)."""
    _psycopg()
    broken = select(Draft.id).where(Draft.token == bindparam("token"), text("1 / (id - id) = 1"))
    with pytest.raises(Exception) as raised:
        first_row(db.session.connection(), broken, {"token": draft.token})
    assert raised.type.__module__.startswith("sqlalchemy")
    db.session.rollback()
    assert first_row(db.session.connection(), rows._statement(),
                     {"slug": "driver-reads", "token": draft.token})["draft_id"] == draft.id


def test_a_read_inside_an_open_transaction_goes_through_sqlalchemy(draft):
    _psycopg()
    token, draft_id = draft.token, draft.id
    db.session.execute(text("SELECT 1 FROM response_draft FOR UPDATE"))  # opens a transaction on PostgreSQL
    seen = []
    listener = lambda *args: seen.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        read = first_row(db.session.connection(), rows._statement(), {"slug": "driver-reads", "token": token})
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
        db.session.rollback()
    assert read["draft_id"] == draft_id and len(seen) == 1


class Shouted(TypeDecorator):
    impl, cache_ok = String, True

    def process_result_value(self, value, _dialect):
        return value.upper()


class Prefixed(TypeDecorator):
    impl, cache_ok = String, True

    def process_bind_param(self, value, _dialect):
        return value.removeprefix("token:")


def test_what_sqlalchemy_would_process_goes_through_sqlalchemy(draft):
    token, draft_id = draft.token, draft.id
    prefixed = select(Draft.id).where(Draft.token == bindparam("token", type_=Prefixed))
    assert first_row(db.session.connection(), prefixed, {"token": f"token:{token}"})["id"] == draft_id
    listed = select(Draft.id).where(Draft.token.in_(bindparam("tokens", expanding=True)))
    shouted = select(type_coerce(Draft.token, Shouted).label("token")).where(Draft.id == bindparam("id"))
    assert first_row(db.session.connection(), listed, {"tokens": [token, "other"]})["id"] == draft_id
    assert first_row(db.session.connection(), shouted, {"id": draft_id})["token"] == token.upper()
    assert first_row(db.session.connection(), text("SELECT id FROM response_draft WHERE token = :token"),
                     {"token": token})["id"] == draft_id


def test_a_dropped_connection_is_thrown_out_of_the_pool(draft):
    _psycopg()
    db.session.rollback()
    with db.engine.connect() as dropped:
        pid = dropped.exec_driver_sql("SELECT pg_backend_pid()").scalar()
        with db.engine.connect() as other:
            other.exec_driver_sql(f"SELECT pg_terminate_backend({int(pid)})")
        with pytest.raises(OperationalError) as raised:
            first_row(dropped, rows._statement(), {"slug": "driver-reads", "token": draft.token})
        assert raised.value.connection_invalidated and dropped.invalidated
    with db.engine.connect() as fresh:
        assert first_row(fresh, rows._statement(), {"slug": "driver-reads", "token": draft.token})["draft_id"] == draft.id


def _stored(draft_id: int) -> tuple:
    with db.engine.connect() as other:
        return tuple(other.execute(text(
            "SELECT answers::text, unsaved::text, unsaved IS NULL, last_page, updated_at, expires_at"
            " FROM response_draft WHERE id = :id"), {"id": draft_id}).one())


def _save(draft_id: int, values: dict, durable: bool = False):
    return execute_alone(services._save_statement(frozenset(values)),
                         {"draft_id": draft_id, **{f"new_{name}": value for name, value in values.items()}},
                         durable=durable)


def test_a_page_save_through_the_driver_stores_what_sqlalchemy_stores(draft):
    """With the session not begun, the save goes through the driver: no SQLAlchemy statement, no session
    transaction, committed as it ran; the same values saved through the session's connection store the same."""
    _psycopg()
    other = services.start_draft(draft.version.survey)
    db.session.commit()
    ids = (draft.id, other.id)
    db.session.remove()
    at = datetime(2026, 12, 6, 3, 4, 5, 123456)
    values = {"answers": {"story": {"value": None, "text": "Ça va « bien »\n"}, "areas": {"value": ["a", "b"]}},
              "unsaved": None, "last_page": 4, "updated_at": at, "expires_at": at + timedelta(days=30)}
    seen = []
    listener = lambda *args: seen.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        assert _save(ids[0], values) is None
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert seen == [] and not db.session.registry.has()  # no session was even made
    db.session.connection()  # begun: the same save now goes through SQLAlchemy, on the session's connection
    assert _save(ids[1], values) is not None
    db.session.commit()
    assert _stored(ids[0]) == _stored(ids[1])
    assert _stored(ids[0])[3:] == (4, at, at + timedelta(days=30))


def test_a_write_sqlalchemy_would_finish_goes_through_sqlalchemy():
    """Only an UPDATE or DELETE whose SQL and values SQLAlchemy leaves as they are goes through the driver."""
    dialect = psycopg_dialect.dialect()
    table = Table("t", MetaData(), Column("id", Integer, primary_key=True), Column("note", String),
                  Column("at", DateTime, onupdate=datetime.now))
    plain = update(table).where(table.c.id == bindparam("key")).values(note=bindparam("new"), at=bindparam("when"))
    assert driver_write_sql(plain, dialect) is not None
    assert driver_write_sql(update(table).where(table.c.id == bindparam("key")).values(note="x"), dialect) is None
    # After `plain` was looked at above (see driver_write_sql's docstring on RETURNING):
    assert driver_write_sql(plain.returning(table.c.id), dialect) is None
    assert driver_write_sql(update(table).where(table.c.id.in_(bindparam("keys", expanding=True)))
                            .values(note="x", at=None), dialect) is None
    assert driver_write_sql(insert(table).values(note="x"), dialect) is None


def test_a_dropped_connection_fails_the_save_as_sqlalchemy_reports_it(draft):
    """The save's connection had died in the pool: the driver fails, the save is made again through SQLAlchemy,
    which throws the connection out and raises its own error (the respondent is told nothing was saved); the
    next save takes a fresh connection."""
    _psycopg()
    _, found = rows.find_page_visit("driver-reads", draft.token)
    db.session.remove()
    db.engine.dispose()
    victim, killer = db.engine.connect(), db.engine.connect()
    killer.exec_driver_sql(f"SELECT pg_terminate_backend({int(victim.connection.dbapi_connection.info.backend_pid)})")
    victim.close()  # back in the pool first, so lent out first
    killer.close()
    with pytest.raises(services.SaveFailed) as raised:
        services.save_position(found, 3)
    assert isinstance(raised.value.__cause__, OperationalError) and raised.value.__cause__.connection_invalidated
    services.save_position(found, 5)
    assert _stored(found.id)[3] == 5


def test_a_question_page_post_sends_no_statement_through_sqlalchemy(client):
    """On PostgreSQL a page POST reads the survey and draft and saves the page through the driver alone."""
    _psycopg()
    make_survey()
    client.post(f"{URL}/start")
    g.pop("survey", None)  # the test's app context outlives each request: as in a served request, none loaded
    db.session.remove()
    seen = []
    listener = lambda *args: seen.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        saved = post(client, 1, {"capacity": "organisation"})
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert saved.status_code == 302 and seen == []
    assert db.session.scalar(select(Draft.answers)) == {"capacity": {"value": "organisation", "text": None}}

"""`consult.database.first_row`: on PostgreSQL a question page's survey-and-draft read goes through psycopg's own
cursor; what it returns must be what SQLAlchemy returns, and a driver failure must end as SQLAlchemy's."""
from __future__ import annotations

import pytest
from sqlalchemy import String, TypeDecorator, bindparam, event, select, text, type_coerce
from sqlalchemy.exc import OperationalError

from consult.database import first_row
from consult.extensions import db
from consult.responses import rows, services
from consult.responses.models import Draft
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

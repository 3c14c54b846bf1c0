"""`consult db backup --out FILE` and `consult db restore FILE` (issue 18): a backup, then changes, then the restore
brings back the earlier state, on SQLite and on PostgreSQL, each in a database of its own."""
from __future__ import annotations

import shutil
from contextlib import contextmanager

import pytest
from flask_migrate import upgrade
from sqlalchemy import select

from consult import create_app
from consult.extensions import db
from consult.responses.models import Response
from consult.surveys.models import Survey
from tests.factories import make_response, make_survey
from tests.scratch import scratch_postgres


@contextmanager
def database(engine: str, tmp_path):
    if engine == "sqlite":
        yield f"sqlite:///{tmp_path / 'live.sqlite3'}"
        return
    for tool in ("pg_dump", "pg_restore"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed (PostgreSQL's client programs), so PostgreSQL backups cannot run")
    with scratch_postgres("backup") as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def site(request, tmp_path):
    """An app on a migrated database of its own of each engine, its app context pushed."""
    with database(request.param, tmp_path) as url:
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True, "JOBS_MODE": "inline"})
        with app.app_context():
            upgrade()
            yield app
            db.session.remove()
            db.engine.dispose()


def references() -> set[str]:
    db.session.remove()
    return set(db.session.scalars(select(Response.reference)))


def test_restore_brings_back_what_was_there_at_the_backup(site, tmp_path):
    runner = site.test_cli_runner()
    survey = make_survey()
    kept = make_response(survey).reference
    out = tmp_path / "consult.backup"
    result = runner.invoke(args=["db", "backup", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Backed up the" in result.output and out.stat().st_size > 0

    later = make_response(survey).reference
    db.session.execute(db.delete(Response).where(Response.reference == kept))
    survey.title = "Renamed after the backup"
    db.session.commit()
    assert references() == {later}

    result = runner.invoke(args=["db", "restore", str(out)], input="n\n")
    assert result.exit_code != 0 and "Replace everything in the" in result.output
    assert references() == {later}  # asked, and told no: nothing changed

    result = runner.invoke(args=["db", "restore", str(out), "--yes"])
    assert result.exit_code == 0, result.output
    assert references() == {kept}
    assert db.session.scalar(select(Survey.title)) == "Test consultation test-survey"
    # The restored database goes on working: new responses are stored beside the restored ones.
    another = make_response(db.session.scalar(select(Survey))).reference
    assert references() == {kept, another}


def test_a_backup_replaces_its_file_only_when_complete_and_restore_refuses_what_is_not_a_backup(site, tmp_path):
    runner = site.test_cli_runner()
    make_response(make_survey())
    before = references()
    not_a_backup = tmp_path / "notes.txt"
    not_a_backup.write_text("not a database")
    result = runner.invoke(args=["db", "restore", str(not_a_backup), "--yes"])
    assert result.exit_code == 1 and "is not a" in result.output and "backup" in result.output
    result = runner.invoke(args=["db", "restore", str(tmp_path / "missing.dump"), "--yes"])
    assert result.exit_code == 1 and "There is no file" in result.output
    assert references() == before

    result = runner.invoke(args=["db", "backup", "--out", str(tmp_path / "no-such-folder" / "x.dump")])
    assert result.exit_code == 1 and "does not exist" in result.output
    out = tmp_path / "consult.backup"
    out.write_bytes(b"yesterday's backup")
    assert runner.invoke(args=["db", "backup", "--out", str(out)]).exit_code == 0
    assert out.read_bytes() != b"yesterday's backup"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")] == []


def test_a_backup_of_one_engine_is_refused_by_the_other(tmp_path):
    from consult.backup import BackupError, restore

    sqlite_file = tmp_path / "a.sqlite3"
    sqlite_file.write_bytes(b"SQLite format 3\x00" + bytes(100))
    with pytest.raises(BackupError, match="it is a SQLite one"):
        restore("postgresql+psycopg://nobody@127.0.0.1:1/none", sqlite_file)
    pg_file = tmp_path / "a.dump"
    pg_file.write_bytes(b"PGDMP" + bytes(100))
    with pytest.raises(BackupError, match="it is a PostgreSQL one"):
        restore(f"sqlite:///{tmp_path / 'live.sqlite3'}", pg_file)

"""Backups of the whole database and their restore, on either engine.

PostgreSQL: `pg_dump --format=custom` and `pg_restore`, run with an argument list (no shell), the password passed in
the environment rather than on a command line others can read. SQLite: the sqlite3 online backup API, which copies a
consistent snapshot while the site keeps running, and writes a restore into the live file in one transaction.
A backup is written beside its final name and renamed into place, so a failed one never replaces a good one.
"""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import URL, make_url

PG_MAGIC = b"PGDMP"
SQLITE_MAGIC = b"SQLite format 3\x00"


class BackupError(Exception):
    """A backup or restore that cannot go ahead, with what to do about it."""


def describe(url: str) -> str:
    """The database in words, without its password."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return f"SQLite database {parsed.database}"
    return f"PostgreSQL database {parsed.database} on {parsed.host or 'localhost'}"


def backup(url: str, out: Path) -> int:
    """Write a backup of the database at `url` to `out` (replacing it only once complete); its size in bytes."""
    parsed = make_url(url)
    out = Path(out)
    if not out.parent.is_dir():
        raise BackupError(f"The folder {out.parent} does not exist.")
    partial = out.with_name(f".{out.name}.partial")
    try:
        if parsed.get_backend_name() == "sqlite":
            _sqlite_backup(_sqlite_path(parsed), partial)
        elif parsed.get_backend_name() == "postgresql":
            _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--no-acl", "--file", str(partial),
                  "--dbname", _conninfo(parsed)], parsed)
        else:
            raise BackupError(f"Backups of {parsed.get_backend_name()} databases are not supported.")
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)
    return out.stat().st_size


def restore(url: str, source: Path) -> None:
    """Replace the contents of the database at `url` with the backup in `source` (all or nothing)."""
    parsed = make_url(url)
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"There is no file {source}.")
    with source.open("rb") as handle:
        head = handle.read(16)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        if head != SQLITE_MAGIC:
            raise BackupError(f"{source} is not a SQLite backup" + (" (it is a PostgreSQL one)." if
                                                                   head.startswith(PG_MAGIC) else "."))
        _sqlite_restore(source, _sqlite_path(parsed))
    elif backend == "postgresql":
        if not head.startswith(PG_MAGIC):
            raise BackupError(f"{source} is not a PostgreSQL backup made by `consult db backup` (pg_dump's custom "
                              "format)" + (": it is a SQLite one." if head == SQLITE_MAGIC else "."))
        _run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-acl", "--single-transaction",
              "--exit-on-error", "--dbname", _conninfo(parsed), str(source)], parsed)
    else:
        raise BackupError(f"Restoring {backend} databases is not supported.")


def _sqlite_path(parsed: URL) -> Path:
    if not parsed.database or parsed.database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up or restored.")
    return Path(parsed.database)


def _sqlite_backup(database: Path, target: Path) -> None:
    if not database.is_file():
        raise BackupError(f"There is no database at {database}.")
    source = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    destination = sqlite3.connect(target)
    try:
        source.backup(destination)
    finally:
        destination.close()
        source.close()


def _sqlite_restore(backup_file: Path, database: Path) -> None:
    source = sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True)
    try:
        if source.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise BackupError(f"{backup_file} is damaged (SQLite's check failed); nothing was restored.")
        tables = {row[0] for row in source.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "alembic_version" not in tables:
            raise BackupError(f"{backup_file} is not a backup of this application's database; nothing was restored.")
        destination = sqlite3.connect(database, timeout=30)
        try:
            source.backup(destination)  # one write transaction: readers see the old contents or the restored ones
        finally:
            destination.close()
    finally:
        source.close()


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed: install PostgreSQL's client programs (on Debian and Ubuntu, "
                          "`apt install postgresql-client`), of the server's major version or newer.")
    return found


def _conninfo(parsed: URL) -> str:
    """A libpq connection URI without the password (that goes in PGPASSWORD, out of the process list)."""
    return parsed.set(drivername="postgresql", password=None).render_as_string(hide_password=False)


def _run(command: list[str], parsed: URL) -> None:
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed (exit {result.returncode}); nothing was changed:\n"
                          + result.stderr.strip())

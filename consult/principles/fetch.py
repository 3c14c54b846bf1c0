"""Reading many rows fast: a Core select run on the driver's cursor, rows as plain tuples.

At 100,000 responses the loader reads several hundred thousand rows; SQLAlchemy's result objects roughly
double the cost of each, and the loader needs none of what they add (types come back as the driver gives
them: JSON columns should be cast to text in the select).
"""
from __future__ import annotations

from typing import Any

from sqlalchemy.sql import Select

from consult.extensions import db


def rows(statement: Select) -> list[tuple[Any, ...]]:
    """The statement's rows, in the session's transaction."""
    connection = db.session.connection()
    compiled = statement.compile(dialect=connection.dialect, compile_kwargs={"render_postcompile": True})
    params = compiled.construct_params()
    if compiled.positional:
        parameters: Any = tuple(params[name] for name in compiled.positiontup)
    else:
        parameters = params
    cursor = connection.connection.cursor()
    try:
        cursor.execute(str(compiled), parameters)
        return cursor.fetchall()
    finally:
        cursor.close()

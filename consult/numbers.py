"""Whole numbers read from URLs, kept within what the database can hold.

Every id column is an INTEGER (PostgreSQL's is 32 bits); a bigger number in a URL cannot name a row, so it is
"not found" (404) rather than an overflow inside the database driver (a 500).
"""
from __future__ import annotations

from flask import request
from werkzeug.routing import IntegerConverter

DB_INT_MAX = 2 ** 31 - 1


class BoundedIntConverter(IntegerConverter):
    """`<int:...>` in every route: a number above DB_INT_MAX does not match, so the URL is a 404."""

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None, max: int | None = DB_INT_MAX,
                 signed: bool = False) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def arg_int(name: str, default: int | None = None, *, minimum: int = 1, maximum: int = DB_INT_MAX) -> int | None:
    """The query-string number `name` when it is a whole number from `minimum` to `maximum`, else `default`."""
    value = request.args.get(name, type=int)
    return value if value is not None and minimum <= value <= maximum else default

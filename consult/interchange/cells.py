"""Spreadsheet cells that stay text: a cell a spreadsheet program would run as a formula is written with a
leading apostrophe (OWASP CSV injection), and read back without it."""
from __future__ import annotations

import re

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def neutralise(text: str) -> str:
    """Prefix ' to a cell a spreadsheet would read as a formula (also after leading spaces); numbers stay."""
    if text.lstrip(" ").startswith(FORMULA_TRIGGERS) and not PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def restore(text: str) -> str:
    """The cell as it was before `neutralise`."""
    return text[1:] if text.startswith("'") and neutralise(text[1:]) == text else text

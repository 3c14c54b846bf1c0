"""Reading an import file (CSV, XLSX or JSONL) into a header and rows of cell text, with clear errors.

Cells are only ever read as values: an XLSX formula gives its cached value (or nothing), never runs.
"""
from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterable

FORMATS = ("csv", "xlsx", "jsonl")


class ImportFileError(ValueError):
    """The file cannot be read at all (wrong encoding, not a spreadsheet, no header row...)."""


def file_format(filename: str) -> str:
    """csv, xlsx or jsonl, from the file name's ending."""
    suffix = Path(filename).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise ImportFileError(f"{filename or 'The file'} must be a CSV, XLSX or JSONL file (ending .csv, .xlsx or .jsonl)")
    return suffix


def _cell_text(value: Any) -> str:
    """A cell as the text a person sees: whole numbers without '.0', dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ") if value.time() != datetime.min.time() else value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return ";".join(_cell_text(v) for v in value)
    return str(value)


def _csv_rows(content: bytes) -> Iterable[tuple[int, list[str]]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(
            f"The file is not UTF-8 text (byte {error.start + 1} cannot be read). In Excel, save it as "
            "'CSV UTF-8 (Comma delimited)'; in other programs choose the UTF-8 encoding.") from error
    try:
        for number, row in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
            yield number, row
    except csv.Error as error:
        raise ImportFileError(f"The CSV file cannot be read: {error}") from error


def _xlsx_rows(content: bytes) -> Iterable[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    try:
        # data_only: a formula cell gives its cached value (or nothing), never the formula to evaluate.
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises several types for a file that is not a workbook
        raise ImportFileError("The file is not an Excel workbook (.xlsx) that can be opened") from error
    try:
        sheet = workbook.worksheets[0]
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, list(row)
    finally:
        workbook.close()


def _jsonl_rows(content: bytes) -> Iterable[tuple[int, dict[str, Any]]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(f"The file is not UTF-8 text (byte {error.start + 1} cannot be read)") from error
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise ImportFileError(f"Line {number} is not valid JSON: {error.msg}") from error
        if not isinstance(record, dict):
            raise ImportFileError(f"Line {number} must be a JSON object with one field per column")
        yield number, record


def read_table(content: bytes, filename: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The header and the non-empty rows (row number, column -> cell text) of a CSV, XLSX or JSONL file."""
    fmt = file_format(filename)
    if fmt == "jsonl":
        headers: dict[str, None] = {}
        rows = []
        for number, record in _jsonl_rows(content):
            headers.update(dict.fromkeys(str(k) for k in record))
            rows.append((number, {str(k): _cell_text(v).strip() for k, v in record.items()}))
        return list(headers), [(n, r) for n, r in rows if any(r.values())]
    table = iter(_csv_rows(content) if fmt == "csv" else _xlsx_rows(content))
    try:
        _, header_row = next(table)
    except StopIteration:
        raise ImportFileError("The file is empty: the first row must name the columns") from None
    headers_list = [_cell_text(h).strip() for h in header_row]
    if not any(headers_list):
        raise ImportFileError("The first row must name the columns")
    seen = [h for h in headers_list if h]
    doubled = sorted({h for h in seen if seen.count(h) > 1})
    if doubled:
        raise ImportFileError(f"Column names must be different; these appear twice: {', '.join(doubled)}")
    rows = []
    for number, cells in table:
        row = {h: _cell_text(v).strip() for h, v in zip(headers_list, cells) if h}
        if any(row.values()):
            rows.append((number, row))
    return [h for h in headers_list if h], rows

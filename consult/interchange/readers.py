"""Reading an import file (CSV, XLSX or JSONL) into a header and rows of cell text, with clear errors.

Cells are only ever read as values: an XLSX formula gives its cached value (or nothing), never runs.
A file's size is checked before it is parsed (`Limits`): an XLSX's unpacked size and declared dimensions from
its zip directory and sheet header, a CSV's columns from its header; rows, columns and cells are counted
again as they are read. So a small file built to unpack or pad to millions of cells is refused at once.
"""
from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterable

FORMATS = ("csv", "xlsx", "jsonl")
MB = 1024 * 1024


class ImportFileError(ValueError):
    """The file cannot be read at all (wrong encoding, not a spreadsheet, no header row...)."""


@dataclass(frozen=True)
class Limits:
    """The most an import file may hold (IMPORT_MAX_* settings)."""

    max_rows: int = 200_000
    max_columns: int = 500
    max_cells: int = 5_000_000
    max_unzipped_bytes: int = 50 * MB  # an XLSX's parts, unpacked

    def too_wide(self, columns: int) -> ImportFileError:
        return ImportFileError(f"The file has {columns:,} columns; an import can have at most {self.max_columns:,}. "
                               "Delete the columns you do not need, or split the file.")

    def check(self, rows: int, columns: int, cells: int) -> None:
        """Raise ImportFileError once the rows, columns or cells read so far pass a limit."""
        if columns > self.max_columns:
            raise ImportFileError(f"The file has more than {self.max_columns:,} columns in a row; an import can "
                                  f"have at most {self.max_columns:,}. Delete the columns you do not need.")
        if rows > self.max_rows:
            raise ImportFileError(f"The file has more than {self.max_rows:,} rows, the most an import can have: "
                                  "split it into smaller files.")
        if cells > self.max_cells:
            raise ImportFileError(f"The file has more than {self.max_cells:,} cells, the most an import can have: "
                                  "split it into smaller files.")


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


def _counted(rows: Iterable[tuple[int, list[Any]]], limits: Limits) -> Iterable[tuple[int, list[Any]]]:
    """The rows, checked against the limits as each is read (the header first, on its own)."""
    cells = 0
    for count, (number, row) in enumerate(rows, start=1):
        if count == 1 and len(row) > limits.max_columns:
            raise limits.too_wide(len(row))
        cells += len(row)
        limits.check(count - 1, len(row), cells)
        yield number, row


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


NOT_A_WORKBOOK = "The file is not an Excel workbook (.xlsx) that can be opened"
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]{1,3})?(\d+)?(?::([A-Z]{1,3})(\d+))?\"")


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def check_xlsx(content: bytes, limits: Limits) -> None:
    """Refuse, before openpyxl opens it, a workbook whose parts unpack past the limit or whose sheets declare
    more rows or columns than an import may have. Reads only the zip directory and each sheet's first bytes
    (zipfile never unpacks more than an entry's declared size, so the declared sizes are the ones to check)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ImportFileError(NOT_A_WORKBOOK) from error
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > limits.max_unzipped_bytes:
        raise ImportFileError(f"The workbook unpacks to {unpacked / MB:,.0f} MB, more than the "
                              f"{limits.max_unzipped_bytes / MB:,.0f} MB an import can be. Save it as CSV, or split it.")
    for entry in entries:
        if not re.fullmatch(r"xl/worksheets/[^/]+\.xml", entry.filename):
            continue
        try:
            with archive.open(entry) as sheet:
                head = sheet.read(4096)
        except (zipfile.BadZipFile, OSError, ValueError, RuntimeError) as error:  # damaged, or encrypted
            raise ImportFileError(NOT_A_WORKBOOK) from error
        found = _DIMENSION.search(head)
        if not found or not found.group(3):
            continue
        rows, columns = int(found.group(4)), _column_number(found.group(3))
        if rows > limits.max_rows + 1 or columns > limits.max_columns:
            raise ImportFileError(f"The first sheet says it has {rows:,} rows and {columns:,} columns; an import can "
                                  f"have at most {limits.max_rows:,} rows and {limits.max_columns:,} columns. "
                                  "Delete the empty rows and columns, or split the file.")


def _xlsx_rows(content: bytes, limits: Limits) -> Iterable[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    check_xlsx(content, limits)
    try:
        # data_only: a formula cell gives its cached value (or nothing), never the formula to evaluate.
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises several types for a file that is not a workbook
        raise ImportFileError(NOT_A_WORKBOOK) from error
    try:
        sheet = workbook.worksheets[0]
        # Read only the cells the sheet holds: not the declared dimension, which could pad every row.
        sheet.reset_dimensions()
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, list(row)
    finally:
        workbook.close()


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))


def _check_record(number: int, record: dict[str, Any]) -> None:
    """A record's fields hold text, numbers or lists of them (a column's cell), in valid Unicode."""
    for key, value in record.items():
        if not (_scalar(value) or (isinstance(value, list) and all(_scalar(v) for v in value))):
            raise ImportFileError(f"Line {number}, field '{key[:40]}': a value must be text, a number or a list of "
                                  "them (not a list inside a list, or an object)")
        for text in [key] + (value if isinstance(value, list) else [value]):
            if isinstance(text, str):
                try:
                    text.encode("utf-8")
                except UnicodeEncodeError:
                    raise ImportFileError(f"Line {number} has text that is not valid Unicode (a lone surrogate, "
                                          "like \\ud800): save the file again from the program that made it") from None


MAX_DIGITS = 50


class _LongNumber(ValueError):
    pass


def _parse_int(text: str) -> int:
    """JSON integers as Python reads them, refusing any too long to be a cell (Python's own limit is 4,300
    digits, and converting one near it takes time)."""
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise _LongNumber(text)
    return int(text)


def _jsonl_rows(content: bytes, limits: Limits) -> Iterable[tuple[int, dict[str, Any]]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(f"The file is not UTF-8 text (byte {error.start + 1} cannot be read)") from error
    rows = cells = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line, parse_int=_parse_int)
        except json.JSONDecodeError as error:
            raise ImportFileError(f"Line {number} is not valid JSON: {error.msg}") from error
        except RecursionError:
            raise ImportFileError(f"Line {number} is nested too deeply to read: each line must be one JSON object "
                                  "with one field per column") from None
        except ValueError as error:  # _LongNumber, or a conversion Python itself refuses
            raise ImportFileError(f"Line {number} has a number too long to read (a number can have at most "
                                  f"{MAX_DIGITS} digits)") from error
        if not isinstance(record, dict):
            raise ImportFileError(f"Line {number} must be a JSON object with one field per column")
        rows, cells = rows + 1, cells + len(record)
        limits.check(rows, len(record), cells)
        _check_record(number, record)
        yield number, record


def read_table(content: bytes, filename: str,
               limits: Limits = Limits()) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The header and the non-empty rows (row number, column -> cell text) of a CSV, XLSX or JSONL file."""
    fmt = file_format(filename)
    if fmt == "jsonl":
        headers: dict[str, None] = {}
        rows = []
        for number, record in _jsonl_rows(content, limits):
            headers.update(dict.fromkeys(str(k) for k in record))
            if len(headers) > limits.max_columns:
                raise limits.too_wide(len(headers))
            rows.append((number, {str(k): _cell_text(v).strip() for k, v in record.items()}))
        return list(headers), [(n, r) for n, r in rows if any(r.values())]
    table = iter(_counted(_csv_rows(content) if fmt == "csv" else _xlsx_rows(content, limits), limits))
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

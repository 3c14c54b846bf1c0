"""Uploads built to tie up a worker are turned away with a clear message before any parsing (issue 14): an XLSX
declaring A1:XFD1048576, an XLSX zip bomb, a 20,000-column CSV; and JSONL that breaks the JSON reader."""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from consult.interchange.readers import ImportFileError, Limits, read_table

SHEET = "xl/worksheets/sheet1.xml"


def workbook_bytes(rows=(("id", "anything_else"), ("R1", "Buses are late"))) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rewritten(content: bytes, change) -> bytes:
    """The workbook with its first sheet's XML passed through `change` (bytes -> bytes or an iterable of chunks)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename != SHEET:
                target.writestr(item, data)
                continue
            new = change(data)
            with target.open(item.filename, "w", force_zip64=True) as sheet:
                for chunk in ([new] if isinstance(new, bytes) else new):
                    sheet.write(chunk)
    return out.getvalue()


def declaring_whole_sheet(tmp_path: Path) -> Path:
    content = rewritten(workbook_bytes(), lambda xml: re.sub(rb'<dimension ref="[^"]+"', b'<dimension ref="A1:XFD1048576"', xml))
    path = tmp_path / "whole-sheet.xlsx"
    path.write_bytes(content)
    return path


def zip_bomb(tmp_path: Path) -> Path:
    """~450 KB of zip holding ~150 MB of sheet XML (rows of one repeated cell)."""
    row = b'<row><c t="inlineStr"><is><t>spam</t></is></c></row>'

    def swell(xml: bytes):
        head, tail = xml.split(b"<sheetData>")
        yield head + b"<sheetData>"
        block = row * (1024 * 1024 // len(row))
        for _ in range(150):
            yield block
        yield tail

    path = tmp_path / "bomb.xlsx"
    path.write_bytes(rewritten(workbook_bytes(), swell))
    return path


def wide_csv(tmp_path: Path, columns: int = 20_000) -> Path:
    path = tmp_path / "wide.csv"
    path.write_text(",".join(f"c{i}" for i in range(columns)) + "\n" + ",".join("x" * columns) + "\n")
    return path


def test_the_hostile_files_are_what_the_issue_describes(tmp_path):
    whole = declaring_whole_sheet(tmp_path)
    assert whole.stat().st_size < 10_000 and b"A1:XFD1048576" in zipfile.ZipFile(whole).read(SHEET)
    bomb = zip_bomb(tmp_path)
    assert bomb.stat().st_size < 1_000_000
    assert zipfile.ZipFile(bomb).getinfo(SHEET).file_size > 100_000_000


def rejected(path: Path, limits: Limits | None = None) -> str:
    """read_table's message for the file; ImportFileError is raised before anything is parsed."""
    with pytest.raises(ImportFileError) as error:
        read_table(path.read_bytes(), path.name, limits or Limits())
    return str(error.value)


def test_a_workbook_declaring_the_whole_sheet_is_refused(tmp_path):
    message = rejected(declaring_whole_sheet(tmp_path))
    assert message == ("The first sheet says it has 1,048,576 rows and 16,384 columns; an import can have at most "
                       "200,000 rows and 500 columns. Delete the empty rows and columns, or split the file.")


def test_a_zip_bomb_is_refused_unopened(tmp_path, monkeypatch):
    import openpyxl

    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: pytest.fail("the workbook was opened"))
    message = rejected(zip_bomb(tmp_path))
    assert message.startswith("The workbook unpacks to 15") and "more than the 50 MB an import can be" in message


def test_a_csv_with_thousands_of_columns_is_refused_at_its_header(tmp_path):
    assert rejected(wide_csv(tmp_path)) == ("The file has 20,000 columns; an import can have at most 500. "
                                            "Delete the columns you do not need, or split the file.")


def test_rows_and_cells_are_counted_as_they_are_read(tmp_path):
    path = tmp_path / "long.csv"
    path.write_text("id,a,b\n" + "".join(f"R{i},x,y\n" for i in range(30)))
    assert "more than 20 rows" in rejected(path, Limits(max_rows=20))
    assert "more than 50 cells" in rejected(path, Limits(max_cells=50))
    sheet = tmp_path / "long.xlsx"
    sheet.write_bytes(workbook_bytes([("id", "a")] + [(f"R{i}", "x") for i in range(30)]))
    assert "says it has 31 rows and 2 columns" in rejected(sheet, Limits(max_rows=20))
    understated = rewritten(sheet.read_bytes(), lambda xml: re.sub(rb'<dimension ref="[^"]+"', b'<dimension ref="A1:B2"', xml))
    sheet.write_bytes(understated)
    assert "more than 20 rows" in rejected(sheet, Limits(max_rows=20))
    assert read_table(sheet.read_bytes(), "long.xlsx", Limits())[1][0] == (2, {"id": "R0", "a": "x"})


def test_a_workbook_that_understates_its_size_is_still_counted(tmp_path):
    """The declared dimension is a claim: rows and columns are counted again as they are read."""
    content = rewritten(workbook_bytes([("id", "a", "b")] + [(f"R{i}", 1, 2, 3, 4) for i in range(10)]),
                        lambda xml: re.sub(rb'<dimension ref="[^"]+"', b'<dimension ref="A1:B2"', xml))
    path = tmp_path / "small-claim.xlsx"
    path.write_bytes(content)
    assert "more than 3 columns" in rejected(path, Limits(max_columns=3))


def test_not_a_workbook_at_all(tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_bytes(b"PK\x03\x04 not really")
    assert rejected(path) == "The file is not an Excel workbook (.xlsx) that can be opened"


@pytest.mark.parametrize("line, message", [
    ("[" * 100_000 + "]" * 100_000, "Line 1 is nested too deeply to read"),
    ('{"id": "R1", "deep": ' + "[" * 50 + "1" + "]" * 50 + "}", "Line 1, field 'deep': a value must be text, a number or a list of them"),
    ('{"id": "R1", "deep": {"a": {"b": 1}}}', "Line 1, field 'deep': a value must be text, a number or a list of them"),
    ('{"id": "R1", "n": ' + "9" * 4300 + "}", "Line 1 has a number too long to read (a number can have at most 50 digits)"),
    ('{"id": "R1", "n": ' + "9" * 4301 + "}", "Line 1 has a number too long to read"),
    ('{"id": "R1", "text": "bad \\ud800 half"}', "Line 1 has text that is not valid Unicode (a lone surrogate"),
    ('{"id": "R1", "\\udfff": "x"}', "Line 1 has text that is not valid Unicode (a lone surrogate"),
])
def test_jsonl_the_json_reader_cannot_take_gets_a_message(line, message, tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(line + "\n")
    assert message in rejected(path)


def test_web_upload_of_hostile_files_answers_with_the_message(app, client, login, kil_definition, tmp_path):
    from consult.surveys.services import load_definition

    load_definition(kil_definition, open_survey=True)
    login("researcher")
    for path, expected in ((declaring_whole_sheet(tmp_path), "says it has 1,048,576 rows"),
                           (zip_bomb(tmp_path), "The workbook unpacks to"),
                           (wide_csv(tmp_path), "The file has 20,000 columns"),
                           (tmp_path / "deep.jsonl", "nested too deeply")):
        if path.suffix == ".jsonl":
            path.write_text("[" * 100_000 + "\n")
        page = client.post("/workspace/keep-it-local/import", data={
            "upload": (io.BytesIO(path.read_bytes()), path.name), "channel": "email"}, content_type="multipart/form-data")
        assert page.status_code == 400 and expected in page.get_data(as_text=True), path.name


def test_a_number_cell_too_long_to_be_a_number_is_a_row_error():
    from consult.interchange.import_answers import parse_value
    from consult.surveys.models import Question

    with pytest.raises(ValueError, match="is not a number"):
        parse_value(Question(kind="number", settings={}), "9" * 4300)  # not float('inf'), which no database stores


def test_the_limits_come_from_the_settings(app):
    from consult.interchange.import_plan import import_limits

    app.config.update(IMPORT_MAX_ROWS=7, IMPORT_MAX_COLUMNS=8, IMPORT_MAX_CELLS=9, IMPORT_MAX_UNZIPPED_MB=0.5)
    assert import_limits() == Limits(max_rows=7, max_columns=8, max_cells=9, max_unzipped_bytes=512 * 1024)


def test_a_large_upload_is_previewed_from_its_first_rows_and_read_whole_in_a_job(app, client, login, kil_definition):
    """The web request reads a large file's first rows only; the job reads every row, and refuses the file
    (importing nothing) when a row past the preview has a problem."""
    from sqlalchemy import func, select

    from consult.extensions import db
    from consult.jobs.models import Job
    from consult.responses.models import Response
    from consult.surveys.services import load_definition
    from tests.consult.test_import import preview_form

    survey = load_definition(kil_definition, open_survey=True).survey
    app.config["IMPORT_INLINE_BYTES"] = 1000
    login("researcher")
    rows = [f"R{i},charity,Buses are late {i}" for i in range(60)]
    rows[45] = "R45,Councillorr,Trains too"  # a problem past the first rows
    content = ("id,respondent_type,anything_else\n" + "\n".join(rows) + "\n").encode()
    page = client.post("/workspace/keep-it-local/import", data={"upload": (io.BytesIO(content), "big.csv"),
                                                                 "channel": "email"}, content_type="multipart/form-data")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "the first 10 rows are shown; every row of the file" in html
    assert "Check and import the whole file" in html and "Councillorr" not in html
    started = client.post("/workspace/keep-it-local/import", data=preview_form(html, action="import"))
    job = db.session.scalar(select(Job).where(Job.kind == "responses_import"))
    assert started.location == f"/workspace/jobs/{job.id}" and job.state == "failed"
    assert "1 problems, nothing imported; the first: Row 47, column 'respondent_type'" in job.error
    assert db.session.scalar(select(func.count()).select_from(Response).where(Response.survey_id == survey.id)) == 0

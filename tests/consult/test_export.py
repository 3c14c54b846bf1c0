"""Exports: the final-codes rule, CSV/XLSX with formulas neutralised, JSONL, REFI-QDA .qdpx and .qdc, CLI."""
from __future__ import annotations

import csv
import io
import json
import zipfile
from xml.etree import ElementTree as ET

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from consult.auth.models import AuditEvent, User
from consult.coding.final import final_codes, final_coding
from consult.coding.models import Adjudication, CodeAssignment, Coder, Theme
from consult.extensions import db
from consult.interchange.cells import neutralise
from consult.interchange.codebook_files import export_qdc
from consult.interchange.exporting import export
from consult.interchange.importing import plan_import, run_import
from consult.surveys.services import load_definition

Q = "{urn:QDA-XML:project:1.0}"
HYPERLINK = '=HYPERLINK("http://evil.example","click")'
LETTERS = [
    ("A1", "councillor", "individual", "Local firms know the area."),
    ("A2", "charity", "organisation", HYPERLINK),
    ("A3", "commissioner", "individual", "  +Keep it local, and pay on time."),
    ("A4", "charity", "individual", "Smaller contracts please."),
]


@pytest.fixture
def coded(app, kil_definition):
    """Four imported letters coded by two people and a machine, with one adjudication and one merged theme."""
    survey = load_definition(kil_definition, open_survey=True).survey
    rows = "".join(f'{ref},{kind},{capacity},"{text.replace(chr(34), chr(34) * 2)}"\n' for ref, kind, capacity, text in LETTERS)
    run_import(plan_import(survey, ("id,respondent_type,capacity,anything_else\n" + rows).encode(), "letters.csv", "email"))
    # Coders who never sign in here: no password hashing, to keep the suite fast.
    alice, bob = (User(email=f"{n}@example.org", name=n, password_hash="!", role="researcher") for n in ("alice", "bob"))
    db.session.add_all([alice, bob])
    db.session.flush()
    people = [Coder(kind="person", user_id=u.id, name=n) for u, n in ((alice, "Alice"), (bob, "Bob"))]
    machine = Coder(kind="machine", name="Machine suggestions")
    parent = Theme(survey_id=survey.id, name="Money", description="Funding and payment", position=1)
    db.session.add_all(people + [machine, parent])
    db.session.flush()
    price = Theme(survey_id=survey.id, name="Price", parent_id=parent.id, inclusion="Price or cost", position=2)
    local = Theme(survey_id=survey.id, name="=Local knowledge", position=3)
    old = Theme(survey_id=survey.id, name="Locality (old)", position=4)
    db.session.add_all([price, local, old])
    db.session.flush()
    old.merged_into_id = local.id
    answers = {ref: next(a for a in r.answers if a.question.key == "anything_else")
               for ref, r in zip([x[0] for x in LETTERS], sorted(survey_responses(survey), key=lambda r: r.import_key))}
    a, b = people

    def code(ref, coder, theme, status="applied", span=None, score=None):
        db.session.add(CodeAssignment(answer_id=answers[ref].id, coder_id=coder.id, theme_id=theme.id, status=status,
                                      span_start=span[0] if span else None, span_end=span[1] if span else None,
                                      score=score))

    code("A1", a, local), code("A1", b, old)                      # agree once the merge is followed
    code("A1", machine, price, "suggested", score=0.62)
    code("A2", a, price), code("A2", b, local)                    # disagree, then adjudicated
    code("A3", a, price, span=(2, 14)), code("A3", machine, local, "accepted", score=0.9)
    code("A4", a, price), code("A4", b, parent)                   # disagree, not adjudicated
    db.session.add(Adjudication(answer_id=answers["A2"].id, theme_ids=[price.id, local.id]))
    db.session.commit()
    return survey, answers, {"price": price, "local": local, "parent": parent}


def survey_responses(survey):
    from consult.responses.models import Response

    return list(db.session.scalars(select(Response).where(Response.survey_id == survey.id)))


def test_final_codes_rule(coded):
    _survey, answers, themes = coded
    result = final_coding(a.id for a in answers.values())
    assert result[answers["A1"].id].basis == "agreed" and result[answers["A1"].id].theme_ids == [themes["local"].id]
    assert result[answers["A2"].id].basis == "adjudicated"
    assert result[answers["A3"].id].basis == "single coder" and result[answers["A3"].id].theme_ids == [themes["price"].id]
    assert result[answers["A4"].id].basis == "disagreement" and result[answers["A4"].id].theme_ids == []
    assert final_codes([answers["A2"].id]) == {answers["A2"].id: sorted([themes["price"].id, themes["local"].id])}


def test_neutralise():
    assert neutralise("=1+1") == "'=1+1" and neutralise("  @SUM(A1)") == "'  @SUM(A1)"
    assert neutralise("\tx") == "'\tx" and neutralise("\rx") == "'\rx" and neutralise("-x") == "'-x"
    assert neutralise("-5") == "-5" and neutralise("plain") == "plain" and neutralise("") == ""


def exported(survey, fmt: str) -> bytes:
    out = io.BytesIO()
    export(survey, fmt, out)
    return out.getvalue()


def test_csv_has_one_row_per_response_with_codes_and_no_live_formulas(coded):
    survey, _answers, _themes = coded
    content = exported(survey, "csv")
    assert content.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    header, rows = table[0], {row[0]: dict(zip(table[0], row)) for row in table[1:]}
    assert header[:6] == ["reference", "channel", "submitted_at", "version", "respondent_type", "capacity"]
    assert header[-3:] == ["codes: Alice", "codes: Bob", "final codes"] and "anything_else" in header
    assert len(rows) == 4
    by_text = {r["anything_else"]: r for r in rows.values()}
    hyperlink = by_text["'" + HYPERLINK]
    assert hyperlink["channel"] == "email" and hyperlink["respondent_type"] == "charity"
    assert hyperlink["final codes"] == "anything_else: Price; =Local knowledge"
    assert hyperlink["codes: Alice"] == "anything_else: Price"
    assert by_text["'+Keep it local, and pay on time."]["final codes"] == "anything_else: Price"
    assert by_text["Smaller contracts please."]["final codes"] == "anything_else: disagreement"
    assert by_text["Local firms know the area."]["codes: Bob"] == "anything_else: Locality (old)"
    for row in table:
        for cell in row:
            assert not cell.lstrip(" ").startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_xlsx_cells_are_strings_and_neutralised(coded):
    survey, _answers, _themes = coded
    sheet = load_workbook(io.BytesIO(exported(survey, "xlsx"))).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert sheet.max_row == 5 and all(cell.data_type == "s" for cell in cells)
    assert "'" + HYPERLINK in [c.value for c in cells]
    assert not [c.value for c in cells if str(c.value).lstrip(" ").startswith(("=", "+", "-", "@"))]


def test_jsonl_has_answers_and_codings_by_coder_with_machine_status_and_score(coded):
    survey, _answers, _themes = coded
    records = [json.loads(line) for line in exported(survey, "jsonl").decode().splitlines()]
    assert len(records) == 4
    first = next(r for r in records if r["answers"]["anything_else"]["text"] == "Local firms know the area.")
    answer = first["answers"]["anything_else"]
    assert first["channel"] == "email" and first["respondent_type"] == "councillor"
    assert answer["codings"]["Machine suggestions"] == [
        {"theme": "Price", "theme_id": answer["codings"]["Machine suggestions"][0]["theme_id"], "coder_kind": "machine",
         "status": "suggested", "score": 0.62, "span": None}]
    assert [c["theme"] for c in answer["codings"]["Alice"]] == ["=Local knowledge"]
    assert answer["final_codes"] == ["=Local knowledge"] and answer["final_basis"] == "agreed"
    third = next(r for r in records if r["answers"]["anything_else"]["text"].startswith("+Keep"))
    assert third["answers"]["anything_else"]["codings"]["Alice"][0]["span"] == [2, 14]


def test_qdpx_is_a_refi_qda_project(coded):
    survey, _answers, themes = coded
    archive = zipfile.ZipFile(io.BytesIO(exported(survey, "qdpx")))
    names = archive.namelist()
    assert "project.qde" in names and all(n == "project.qde" or n.startswith("sources/") for n in names)
    root = ET.fromstring(archive.read("project.qde"))
    assert root.tag == f"{Q}Project" and root.get("name") == survey.title and root.get("origin")
    assert root.get("creatingUserGUID") and root.get("creationDateTime").endswith("Z")
    assert [child.tag for child in root] == [f"{Q}{t}" for t in ("Users", "CodeBook", "Variables", "Cases", "Sources")]
    users = {u.get("guid"): u.get("name") for u in root.iter(f"{Q}User")}
    assert {"Alice", "Bob", "Machine suggestions"} <= set(users.values())
    codes = {c.get("guid"): c for c in root.iter(f"{Q}Code")}
    assert {c.get("name") for c in codes.values()} == {"Money", "Price", "=Local knowledge"}  # merged theme folded in
    assert all(c.get("isCodable") == "true" for c in codes.values())
    money = next(c for c in root.find(f"{Q}CodeBook/{Q}Codes") if c.get("name") == "Money")
    assert [c.get("name") for c in money.findall(f"{Q}Code")] == ["Price"]
    assert money.find(f"{Q}Description").text == "Funding and payment"
    assert [v.get("name") for v in root.iter(f"{Q}Variable")] == ["respondent_type", "capacity", "channel"]
    cases = root.findall(f"{Q}Cases/{Q}Case")
    assert len(cases) == 4
    variable_guids = {v.get("guid") for v in root.iter(f"{Q}Variable")}
    for case in cases:
        values = case.findall(f"{Q}VariableValue")
        assert {v.find(f"{Q}VariableRef").get("targetGUID") for v in values} == variable_guids
        assert "email" in [v.find(f"{Q}TextValue").text for v in values]
    sources = root.findall(f"{Q}Sources/{Q}TextSource")
    assert len(sources) == 4
    selections = 0
    for source in sources:
        path = source.get("plainTextPath")
        assert path == f"internal://{source.get('guid')}.txt"
        text = archive.read(f"sources/{source.get('guid')}.txt").decode("utf-8")
        for selection in source.findall(f"{Q}PlainTextSelection"):
            selections += 1
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            assert 0 <= start < end <= len(text) and selection.get("creatingUser") in users
            for coding in selection.findall(f"{Q}Coding"):
                assert coding.get("creatingUser") in users and coding.get("guid")
                assert coding.find(f"{Q}CodeRef").get("targetGUID") in codes
    assert selections >= 7
    coded_refs = [r.get("targetGUID") for r in root.iter(f"{Q}CodeRef")]
    assert all(ref in codes for ref in coded_refs)
    span = [s for s in root.iter(f"{Q}PlainTextSelection") if s.get("startPosition") == "2"]
    assert len(span) == 1 and span[0].get("endPosition") == "14"
    # The machine's suggestion (not yet accepted) is left out; its accepted code is in.
    machine = next(g for g, n in users.items() if n == "Machine suggestions")
    assert len([s for s in root.iter(f"{Q}PlainTextSelection") if s.get("creatingUser") == machine]) == 1
    # Same data, same GUIDs.
    again = ET.fromstring(zipfile.ZipFile(io.BytesIO(exported(survey, "qdpx"))).read("project.qde"))
    assert [e.get("guid") for e in again.iter() if e.get("guid")] == [e.get("guid") for e in root.iter() if e.get("guid")]


def test_qdc_codebook(coded):
    survey, _answers, _themes = coded
    root = ET.fromstring(export_qdc(survey))
    assert root.tag == "{urn:QDA-XML:codebook:1.0}CodeBook"
    codes = root.findall("{urn:QDA-XML:codebook:1.0}Codes/{urn:QDA-XML:codebook:1.0}Code")
    assert [c.get("name") for c in codes] == ["Money", "=Local knowledge"]
    assert codes[0].find("{urn:QDA-XML:codebook:1.0}Code").get("name") == "Price"
    # The same theme has the same GUID in the codebook file and in the project, so QDA programs match them.
    project = ET.fromstring(zipfile.ZipFile(io.BytesIO(exported(survey, "qdpx"))).read("project.qde"))
    in_project = {e.get("name"): e.get("guid") for e in project.iter("{urn:QDA-XML:project:1.0}Code")}
    assert {e.get("name"): e.get("guid") for e in root.iter("{urn:QDA-XML:codebook:1.0}Code")} == in_project


def test_export_page_downloads_and_audits(coded, client, login):
    survey, _answers, _themes = coded
    login("researcher")
    page = client.get("/workspace/keep-it-local/export")
    assert page.status_code == 200 and "format=qdpx" in page.get_data(as_text=True)
    for fmt in ("csv", "xlsx", "jsonl", "qdpx"):
        download = client.get(f"/workspace/keep-it-local/export?format={fmt}")
        assert download.status_code == 200 and f".{fmt}" in download.headers["Content-Disposition"]
        assert download.headers["Cache-Control"] == "no-store" and len(download.data) > 100
    events = list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "responses.exported")))
    assert [(e.detail["format"], e.detail["rows"]) for e in events] == [
        ("csv", 4), ("xlsx", 4), ("jsonl", 4), ("qdpx", 4)]
    assert client.get("/workspace/keep-it-local/export?format=pdf").status_code == 400


def test_staff_cannot_export(coded, client, login):
    login("staff")
    assert client.get("/workspace/keep-it-local/export?format=csv").status_code == 403


def test_cli_export_writes_the_file_whole(coded, runner, tmp_path):
    for fmt in ("csv", "xlsx", "jsonl", "qdpx"):
        out = tmp_path / f"out.{fmt}"
        result = runner.invoke(args=["responses", "export", "--survey", "keep-it-local", "--format", fmt,
                                     "--out", str(out)])
        assert result.exit_code == 0 and "Wrote 4 responses" in result.output and out.stat().st_size > 100
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv", "out.jsonl", "out.qdpx", "out.xlsx"]
    assert zipfile.ZipFile(tmp_path / "out.qdpx").testzip() is None
    missing = runner.invoke(args=["responses", "export", "--survey", "nope", "--format", "csv", "--out",
                                  str(tmp_path / "x.csv")])
    assert missing.exit_code == 1 and not (tmp_path / "x.csv").exists()


def test_large_surveys_export_in_the_background(coded, app, client, login):
    from consult.jobs.models import Job

    app.config.update(EXPORT_INLINE_RESPONSES=3)  # jobs run inline in tests
    login("researcher")
    page = client.get("/workspace/keep-it-local/export?format=csv").get_data(as_text=True)
    assert "Prepare CSV" in page and "prepared in the background" in page
    started = client.post("/workspace/keep-it-local/export", data={"format": "csv"})
    job = db.session.scalar(select(Job).where(Job.kind == "responses_export"))
    assert started.location == f"/workspace/jobs/{job.id}" and job.state == "finished", job.error
    assert "Download the CSV file" in client.get(started.location).get_data(as_text=True)
    download = client.get(f"/workspace/keep-it-local/export/download/{job.id}")
    assert download.status_code == 200 and download.headers["Cache-Control"] == "no-store"
    assert len(list(csv.reader(io.StringIO(download.data.decode("utf-8-sig"))))) == 5
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "responses.exported")).detail["rows"] == 4
    assert client.get(f"/workspace/keep-it-local/export/download/{job.id + 1}").status_code == 404


def _background_export(app, client, login):
    from consult.jobs.models import Job

    app.config.update(EXPORT_INLINE_RESPONSES=3)  # jobs run inline in tests
    login("researcher")
    client.post("/workspace/keep-it-local/export", data={"format": "jsonl"})
    job = db.session.scalar(select(Job).where(Job.kind == "responses_export").order_by(Job.id.desc()))
    assert job.state == "finished", job.error
    return f"/workspace/keep-it-local/export/download/{job.id}"


def test_export_files_are_kept_in_the_database_not_on_a_servers_disk(coded, app, client, login):
    """Several app servers share one database: a file written by a job anywhere downloads from any of them."""
    from consult.jobs.models import StoredFile

    link = _background_export(app, client, login)
    kept = db.session.scalars(select(StoredFile).where(StoredFile.purpose == "export")).all()
    assert len(kept) == 1 and kept[0].survey_id == coded[0].id and kept[0].size > 0
    assert client.get(link).data == kept[0].content


def test_erasing_a_response_deletes_the_export_files_holding_it(coded, app, client, login):
    from consult.jobs.models import StoredFile
    from consult.responses.models import Response
    from consult.workspace.services import erase_response

    link = _background_export(app, client, login)
    erased = db.session.scalars(select(Response).where(Response.survey_id == coded[0].id)).first()
    reference = erased.reference
    assert reference in client.get(link).get_data(as_text=True)
    erase_response(erased)
    assert client.get(link).status_code == 410
    assert db.session.scalars(select(StoredFile).where(StoredFile.purpose == "export")).all() == []


def test_export_files_expire_after_export_ttl_hours(coded, app, client, login):
    from datetime import timedelta

    from consult.jobs.files import purge_expired
    from consult.jobs.models import StoredFile
    from consult.timeutil import utcnow

    app.config["EXPORT_TTL_HOURS"] = 2
    link = _background_export(app, client, login)
    kept = db.session.scalar(select(StoredFile))
    assert timedelta(hours=1.9) < kept.expires_at - utcnow() <= timedelta(hours=2)
    kept.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert client.get(link).status_code == 410  # not offered once expired, even before the purge
    assert purge_expired() == 1 and db.session.scalar(select(StoredFile)) is None

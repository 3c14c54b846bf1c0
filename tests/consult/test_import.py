"""Importing responses from CSV, XLSX and JSONL: mapping, per-row errors, all-or-nothing, no duplicates."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from consult.auth.models import AuditEvent
from consult.extensions import db
from consult.interchange.importing import ImportFileError, plan_import, run_import
from consult.responses.models import AnswerOption, ImportBatch, Response
from consult.surveys.services import load_definition
from tests.conftest import empty_database
from tests.factories import make_survey

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "intake"


@pytest.fixture
def survey(app, kil_definition):
    return load_definition(kil_definition, open_survey=True).survey


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def stored(survey) -> list[Response]:
    return list(db.session.scalars(select(Response).where(Response.survey_id == survey.id).order_by(Response.id)))


def answers_of(response: Response) -> dict[str, tuple]:
    return {a.question.key: (a.value, a.text) for a in response.answers}


def test_good_csv_is_imported_with_values_checked_against_question_kinds(survey):
    plan = plan_import(survey, fixture("email-good.csv"), "email-good.csv", "email")
    assert not plan.errors and plan.counts() == "3 new, 0 already imported"
    assert plan.key_column == "id" and plan.mapping["anything_else"] == "anything_else"
    batch = run_import(plan)
    first, second, third = stored(survey)
    assert {r.channel for r in (first, second, third)} == {"email"}
    assert first.import_key == "email:E1" and first.import_batch_id == batch.id
    assert first.respondent_type == "councillor" and first.capacity == "individual"
    assert answers_of(first)["barriers"] == (["price_competition", "short_contracts"], None)
    assert answers_of(first)["local_authority"] == ("leeds", None)
    assert answers_of(first)["anything_else"] == (None, "Local firms know the area, and the café owners too.")
    assert answers_of(second)["principle_1_agreement"] == ("strongly_agree", None)
    # Text is stored as written: a formula in a cell is data, never evaluated or altered.
    assert answers_of(second)["anything_else"][1] == '=HYPERLINK("http://evil.example","click")'
    assert answers_of(third)["principle_1_agreement"] == ("dont_know", None)
    assert answers_of(third)["contact_email"] == ("someone@example.org", None)
    options = set(db.session.scalars(select(AnswerOption.value).where(AnswerOption.answer_id.in_(
        [a.id for a in first.answers]))))
    assert {"councillor", "leeds", "price_competition", "short_contracts", "agree"} <= options
    assert (batch.created_rows, batch.skipped_rows, batch.channel) == (3, 0, "email")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "responses.imported"))
    assert event.detail["new"] == 3 and event.target_id == batch.id


def test_running_the_same_file_again_adds_nothing(survey):
    run_import(plan_import(survey, fixture("email-good.csv"), "email-good.csv", "email"))
    again = plan_import(survey, fixture("email-good.csv"), "email-good.csv", "email")
    assert again.counts() == "0 new, 3 already imported"
    run_import(again)
    assert len(stored(survey)) == 3
    # The same ids arriving by another channel are other people's responses.
    assert plan_import(survey, fixture("email-good.csv"), "email-good.csv", "paper").counts() == "3 new, 0 already imported"


def test_a_bad_row_is_reported_by_row_and_column_and_nothing_is_imported(survey):
    plan = plan_import(survey, fixture("email-bad.csv"), "email-bad.csv", "email")
    messages = [str(e) for e in plan.errors]
    assert len(messages) == 2
    assert messages[0].startswith("Row 3, column 'respondent_type': 'Councillorr' is not one of Commissioner, Councillor,")
    assert messages[1].startswith("Row 4, column 'principle_1_agreement': 'Agreee' is not one of Strongly agree, Agree")
    with pytest.raises(ImportFileError):
        run_import(plan)
    assert stored(survey) == [] and db.session.scalar(select(func.count()).select_from(ImportBatch)) == 0


def test_rows_without_an_id_are_keyed_by_content(survey):
    content = b"anything_else,respondent_type\nSame words.,charity\nSame words.,charity\nOther words.,charity\n"
    plan = plan_import(survey, content, "notes.csv", "paper")
    assert plan.key_column is None and plan.counts() == "2 new, 0 already imported, 1 repeated in this file"
    run_import(plan)
    reordered = b"respondent_type,anything_else\nCharity,Other words.\nCharity,Same words.\n"
    assert plan_import(survey, reordered, "notes.csv", "paper").counts() == "0 new, 2 already imported"


def test_xlsx_cells_are_read_as_values_and_formulas_are_never_evaluated(survey):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Reference", "Which of these best describes you?", "principle_1_agreement", "anything_else"])
    sheet.append([101, "Commissioner", "Disagree", "Written on paper."])
    sheet.append([102, "Councillor", "Agree", "=1+1"])  # a formula cell: read_only/data_only gives no value
    buffer = io.BytesIO()
    workbook.save(buffer)
    plan = plan_import(survey, buffer.getvalue(), "paper.xlsx", "paper")
    assert not plan.errors and plan.key_column == "Reference"
    run_import(plan)
    first, second = stored(survey)
    assert first.import_key == "paper:101" and first.respondent_type == "commissioner"
    assert answers_of(first)["anything_else"] == (None, "Written on paper.")
    assert "anything_else" not in answers_of(second)
    assert plan_import(survey, buffer.getvalue(), "paper.xlsx", "paper").counts() == "0 new, 2 already imported"


def test_jsonl_with_lists_other_text_and_dates(survey):
    plan = plan_import(survey, fixture("paper-good.jsonl"), "paper-good.jsonl", "paper")
    assert not plan.errors and plan.counts() == "2 new, 0 already imported"
    run_import(plan)
    first, second = stored(survey)
    assert answers_of(first)["barriers"] == (["contract_scale", "other"], "Too much paperwork")
    assert second.respondent_type == "social_enterprise" and second.submitted_at.date().isoformat() == "2026-11-03"


def test_files_that_cannot_be_read_say_why(survey):
    with pytest.raises(ImportFileError, match="not UTF-8 text.*CSV UTF-8"):
        plan_import(survey, "anything_else\nCaf\xe9 owners\n".encode("latin-1"), "old.csv", "email")
    with pytest.raises(ImportFileError, match="Line 2 is not valid JSON"):
        plan_import(survey, b'{"anything_else": "ok"}\n{broken\n', "x.jsonl", "email")
    with pytest.raises(ImportFileError, match="not an Excel workbook"):
        plan_import(survey, b"not a zip", "x.xlsx", "email")
    with pytest.raises(ImportFileError, match="must be a CSV, XLSX or JSONL"):
        plan_import(survey, b"", "x.pdf", "email")
    with pytest.raises(ImportFileError, match="No column matches a question"):
        plan_import(survey, b"colour\nblue\n", "x.csv", "email")
    with pytest.raises(ImportFileError, match="no question 'nope'"):
        plan_import(survey, b"colour\nblue\n", "x.csv", "email", overrides={"colour": "nope"})


def test_every_kind_is_checked(app):
    survey = make_survey()
    header = "id,staff,email,grid__local,grid__simple,areas,publish,barriers,Tell us more\n"
    good = "1,\"1,200\",a@example.org,Agree,disagree,leeds; Cardiff,anonymous,scale,More.\n"
    bad = "2,-4,not-an-email,Agre,agree,Atlantis,maybe,scale;nope,\n"
    plan = plan_import(survey, (header + good + bad).encode(), "all.csv", "email")
    assert [(e.row, e.column) for e in plan.errors] == [
        (3, "staff"), (3, "email"), (3, "areas"), (3, "publish"), (3, "barriers"), (3, "grid__local")]
    assert "is outside 0 to 100,000" in str(plan.errors[0]) and "is not an email address" in str(plan.errors[1])
    row = plan.rows[0].answers
    assert row["staff"]["value"] == 1200 and row["grid"]["value"] == {"local": "agree", "simple": "disagree"}
    assert row["areas"]["value"] == ["leeds", "cardiff"] and row["story"]["text"] == "More."


def test_cli_import_dry_run_map_and_repeat(survey, runner, tmp_path):
    path = tmp_path / "letters.csv"
    path.write_text("reference,Your thoughts,respondent_type\nL1,Letter one.,councillor\nL2,Letter two.,charity\n",
                    encoding="utf-8-sig")
    args = ["responses", "import", str(path), "--survey", "keep-it-local", "--channel", "email",
            "--map", "Your thoughts=anything_else"]
    dry = runner.invoke(args=args + ["--dry-run"])
    assert dry.exit_code == 0 and "Your thoughts -> anything_else" in dry.output and "2 new" in dry.output
    assert stored(survey) == []
    first = runner.invoke(args=args)
    assert first.exit_code == 0 and "2 new, 0 already imported" in first.output
    again = runner.invoke(args=args)
    assert again.exit_code == 0 and "0 new, 2 already imported" in again.output
    assert len(stored(survey)) == 2


def test_cli_import_reports_errors_and_imports_nothing(survey, runner):
    result = runner.invoke(args=["responses", "import", str(FIXTURES / "email-bad.csv"), "--survey", "keep-it-local",
                                 "--channel", "email"])
    assert result.exit_code == 1
    assert "Row 3, column 'respondent_type': 'Councillorr' is not one of" in result.output
    assert stored(survey) == []
    missing = runner.invoke(args=["responses", "import", str(FIXTURES / "email-bad.csv"), "--survey", "nope",
                                  "--channel", "email"])
    assert missing.exit_code == 1 and "No survey called 'nope'" in missing.output


def preview_form(html: str, **changes: str) -> dict[str, str]:
    """The preview form's fields as the page fills them (hidden inputs, each select's chosen option), changed."""
    import html as entities
    import re

    fields = {name: entities.unescape(value) for name, value in
              re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html)}
    fields |= {m.group(1): m.group(2) for m in re.finditer(
        r'<input id="([a-z_]+)" name="[a-z_]+" type="hidden" value="([^"]*)"', html)}
    for name, options in re.findall(r'<select class="kil-select" id="[^"]+" name="(column-\d+)">(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected>', options)
        fields[name] = chosen.group(1) if chosen else ""
    return fields | changes


def upload(client, content: bytes, name: str, channel: str = "email", **extra):
    return client.post("/workspace/keep-it-local/import", data={
        "upload": (io.BytesIO(content), name), "channel": channel, **extra}, content_type="multipart/form-data")


def kept_files(purpose: str):
    from consult.jobs.models import StoredFile

    return list(db.session.scalars(select(StoredFile).where(StoredFile.purpose == purpose)))


def test_preview_then_confirm_on_the_web(app, survey, client, login):
    login("researcher")
    assert client.get("/workspace/keep-it-local/import").status_code == 200
    page = upload(client, fixture("email-good.csv"), "email-good.csv")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "3 new, 0 already imported" in html
    assert "Individual’s area" in html and "Leeds" in html  # questions go by their labels
    assert "Contracts are decided mainly on lowest price" in html and "Import 3 responses" in html
    assert stored(survey) == []
    kept = kept_files("upload")
    assert len(kept) == 1 and kept[0].filename == "email-good.csv"  # in the database, for every app server
    confirm = client.post("/workspace/keep-it-local/import", data=preview_form(html, action="import"))
    assert confirm.status_code == 302 and len(stored(survey)) == 3 and kept_files("upload") == []
    assert "3 new, 0 already imported" in client.get(confirm.location).get_data(as_text=True)
    again = upload(client, fixture("email-good.csv"), "email-good.csv").get_data(as_text=True)
    assert "0 new, 3 already imported" in again and "Import 0" not in again
    replay = client.post("/workspace/keep-it-local/import", data={"stored": "../../etc/passwd", "filename": "x.csv",
                                                                  "channel": "email"})
    assert replay.status_code == 302 and len(stored(survey)) == 3


def test_web_error_report(app, survey, client, login):
    login("researcher")
    page = upload(client, fixture("email-bad.csv"), "email-bad.csv")
    html = page.get_data(as_text=True)
    assert page.status_code == 400 and "nothing will be imported" in html
    assert "Row 3, column &#39;respondent_type&#39;: &#39;Councillorr&#39; is not one of" in html
    assert 'value="import"' not in html and 'name="column-0"' in html  # no import; the matching can change
    wrong = upload(client, "anything_else\nCaf\xe9\n".encode("latin-1"), "old.csv")
    assert wrong.status_code == 400 and "not UTF-8 text" in wrong.get_data(as_text=True)
    empty = upload(client, b"", "", channel="").get_data(as_text=True)
    assert "Select a CSV, XLSX or JSONL file" in empty and "Select how these responses arrived" in empty


def test_staff_cannot_import(app, survey, client, login):
    login("staff")
    assert client.get("/workspace/keep-it-local/import").status_code == 403


def test_large_upload_passes_the_csrf_check_only_with_a_token(database_url, tmp_path, kil_definition):
    """CSRF stays on for the import form, checked after the larger body limit applies."""
    import re

    from consult import create_app
    from tests.factories import PASSWORD, make_user

    strict = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True, "SERVER_NAME": "localhost",
                         "RATELIMIT_ENABLED": False})
    with strict.app_context():
        load_definition(kil_definition, open_survey=True)
        make_user("researcher")
        db.session.remove()
    # Requests run outside the test's app context, so each has its own `g` (where the CSRF token is cached).
    client = strict.test_client()

    def token(path: str) -> str:
        return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                         client.get(path).get_data(as_text=True)).group(1)

    try:
        client.post("/login", data={"email": "researcher@example.org", "password": PASSWORD,
                                    "csrf_token": token("/login")})
        big = ("id,anything_else\n" + "".join(f"R{i},{'Words. ' * 60}\n" for i in range(3000))).encode()
        assert len(big) > strict.config["MAX_CONTENT_LENGTH"]
        assert upload(client, big, "big.csv").status_code == 400  # no token
        data = {"upload": (io.BytesIO(big), "big.csv"), "channel": "email",
                "csrf_token": token("/workspace/keep-it-local/import")}
        page = client.post("/workspace/keep-it-local/import", data=data, content_type="multipart/form-data")
        assert page.status_code == 200 and "3,000 new" in page.get_data(as_text=True)
    finally:
        with strict.app_context():
            empty_database()


def test_large_confirmed_imports_run_as_a_background_job(app, survey, client, login):
    from consult.jobs.models import Job

    app.config.update(IMPORT_INLINE_ROWS=2)  # jobs run inline in tests
    login("researcher")
    preview = upload(client, fixture("email-good.csv"), "email-good.csv").get_data(as_text=True)
    skip_email = preview_form(preview, **{"column-7": ""})  # contact_email: not imported
    unchecked = client.post("/workspace/keep-it-local/import", data=skip_email | {"action": "import"})
    assert "You changed how the columns match" in unchecked.get_data(as_text=True) and not stored(survey)
    checked = client.post("/workspace/keep-it-local/import", data=skip_email | {"action": "check"}).get_data(as_text=True)
    confirm = client.post("/workspace/keep-it-local/import", data=preview_form(checked, action="import"))
    job = db.session.scalar(select(Job).where(Job.kind == "responses_import"))
    assert confirm.location == f"/workspace/jobs/{job.id}" and job.state == "finished", job.error
    assert job.result["summary"] == "Imported email-good.csv: 3 new, 0 already imported."
    assert len(stored(survey)) == 3 and kept_files("upload") == []
    assert all(not any(a.question.key == "contact_email" for a in r.answers) for r in stored(survey))
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "responses.imported")).user_id

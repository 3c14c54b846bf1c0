"""The codebook: themes nested one level, rename/merge/split with history, CSV and REFI-QDA round trips."""
from __future__ import annotations

import io

import pytest
from defusedxml import ElementTree
from sqlalchemy import select

from consult.auth.models import AuditEvent
from consult.coding import assignments, services
from consult.coding.models import Adjudication, CodeAssignment, ThemeChange
from consult.extensions import db
from consult.interchange import codebook_files as codebook_io
from tests.factories import make_response, make_survey, make_user

pytestmark = pytest.mark.usefixtures("app")

BASE = {"capacity": {"value": "individual", "text": None}, "p1": {"value": "agree", "text": None},
        "publish": {"value": "anonymous", "text": None}, "contact": {"value": "no", "text": None}}


def story(survey, text):
    response = make_response(survey, {**BASE, "story": {"value": None, "text": text}})
    return next(a for a in response.answers if a.question.key == "story")


def actions(theme):
    return [c.action for c in db.session.scalars(select(ThemeChange).where(ThemeChange.theme_id == theme.id)
                                                 .order_by(ThemeChange.id))]


def test_researcher_adds_edits_and_renames_themes_and_staff_only_reads(client, login):
    survey = make_survey()
    login("researcher")
    response = client.post("/workspace/test-survey/codebook/new", data={
        "name": "Cost", "parent_id": "0", "description": "Money", "inclusion": "Prices", "exclusion": "Wages",
        "example": "Too dear"})
    assert response.status_code == 302
    cost = services.find_by_name(survey, "Cost")
    assert (cost.description, cost.inclusion, cost.exclusion, cost.example) == ("Money", "Prices", "Wages", "Too dear")
    client.post("/workspace/test-survey/codebook/new", data={"name": "Fuel", "parent_id": str(cost.id)})
    fuel = services.find_by_name(survey, "Fuel")
    assert fuel.parent_id == cost.id

    # The same name again is a form error, not a server error.
    again = client.post("/workspace/test-survey/codebook/new", data={"name": "Cost", "parent_id": "0"})
    assert again.status_code == 400 and "There is already a theme called ‘Cost’" in again.get_data(as_text=True)

    edit = client.post(f"/workspace/test-survey/codebook/{cost.id}/edit", data={
        "name": "Costs", "parent_id": "0", "description": "Money matters", "inclusion": "Prices", "exclusion": "Wages",
        "example": "Too dear"})
    assert edit.status_code == 302
    assert actions(cost) == ["created", "renamed", "edited"]
    page = client.get(f"/workspace/test-survey/codebook/{cost.id}").get_data(as_text=True)
    assert "Renamed from ‘Cost’ to ‘Costs’" in page and "Changed description" in page
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "codebook.renamed")) is not None

    client.post("/logout")
    login("staff")
    assert client.get("/workspace/test-survey/codebook").status_code == 200
    assert client.post("/workspace/test-survey/codebook/new", data={"name": "X"}).status_code == 403


def test_themes_nest_one_level_only():
    survey = make_survey()
    top = services.create_theme(survey, "Top")
    child = services.create_theme(survey, "Child", parent_id=top.id)
    with pytest.raises(services.CodebookError, match="nest one level"):
        services.create_theme(survey, "Grandchild", parent_id=child.id)
    other = services.create_theme(survey, "Other")
    with pytest.raises(services.CodebookError, match="has codes under it"):
        services.update_theme(top, name="Top", parent_id=other.id)
    with pytest.raises(services.CodebookError, match="own parent"):
        services.update_theme(other, name="Other", parent_id=other.id)
    # Merging a parent into one of its codes lifts that code to the top and keeps the rest under it.
    sibling = services.create_theme(survey, "Sibling", parent_id=top.id)
    services.merge_themes(top, child)
    assert child.parent_id is None and sibling.parent_id == child.id


def test_merge_moves_codes_keeps_the_retired_theme_and_its_history():
    survey = make_survey()
    user, other_user = make_user("researcher"), make_user("admin")
    a, b = services.create_theme(survey, "Parking"), services.create_theme(survey, "Car parks")
    one, two = story(survey, "No parking"), story(survey, "Car park full")
    me, them = assignments.person_coder(user), assignments.person_coder(other_user)
    assignments.save_codes(one, me, {a.id})
    assignments.save_codes(two, me, {a.id, b.id})  # becomes a duplicate once merged
    assignments.save_codes(one, them, {b.id})
    db.session.add(Adjudication(answer_id=one.id, theme_ids=[a.id]))
    db.session.commit()

    detail = services.merge_themes(a, b, by=user)
    assert detail == {"moved": 1, "duplicates_dropped": 1, "children_moved": 0}
    assert a.merged_into_id == b.id and not a.active
    rows = db.session.scalars(select(CodeAssignment).where(CodeAssignment.theme_id.in_([a.id, b.id]))).all()
    assert {(r.answer_id, r.coder_id, r.theme_id) for r in rows} == {(one.id, me.id, b.id), (two.id, me.id, b.id),
                                                                     (one.id, them.id, b.id)}
    assert db.session.scalar(select(Adjudication)).theme_ids == [b.id]
    assert actions(a) == ["created", "merged"] and actions(b) == ["created", "merged"]
    assert a not in services.active_themes(survey)
    with pytest.raises(services.CodebookError):
        services.update_theme(a, name="Parking", parent_id=None)


def test_split_creates_themes_and_recoding_moves_each_answer(client, login):
    survey = make_survey()
    user = login("researcher")
    transport = services.create_theme(survey, "Transport")
    bus, train = story(survey, "The bus is late"), story(survey, "Trains are dear")
    coder = assignments.person_coder(user)
    assignments.save_codes(bus, coder, {transport.id})
    assignments.save_codes(train, coder, {transport.id})

    response = client.post(f"/workspace/test-survey/codebook/{transport.id}/split", data={"names": "Buses\nTrains\n"})
    assert response.status_code == 302 and response.location.endswith(f"/codebook/{transport.id}/recode")
    buses, trains = services.find_by_name(survey, "Buses"), services.find_by_name(survey, "Trains")
    assert actions(transport) == ["created", "split"] and actions(buses) == ["created", "split_from"]
    screen = client.get(f"/workspace/test-survey/codebook/{transport.id}/recode").get_data(as_text=True)
    assert "The bus is late" in screen and "Trains are dear" in screen

    # One answer recoded; the other left on Transport until later.
    client.post(f"/workspace/test-survey/codebook/{transport.id}/recode", data={f"answer-{bus.id}": str(buses.id),
                                                                               f"answer-{train.id}": ""})
    codes = {(r.answer_id, r.theme_id) for r in db.session.scalars(select(CodeAssignment))}
    assert codes == {(bus.id, buses.id), (train.id, transport.id)}
    client.post(f"/workspace/test-survey/codebook/{transport.id}/recode", data={f"answer-{train.id}": "all"})
    codes = {(r.answer_id, r.theme_id) for r in db.session.scalars(select(CodeAssignment))}
    assert codes == {(bus.id, buses.id), (train.id, buses.id), (train.id, trains.id)}
    history = client.get(f"/workspace/test-survey/codebook/{transport.id}").get_data(as_text=True)
    assert "Split into Buses, Trains" in history and f"Answer {bus.id} recoded to Buses" in history
    with pytest.raises(services.CodebookError, match="at least two"):
        services.split_theme(buses, ["Only one"])


def test_csv_round_trip_with_formula_cells_neutralised():
    survey = make_survey()
    top = services.create_theme(survey, "Cost", description="=SUM(A1)", inclusion="Prices", exclusion="Wages",
                                example="Too dear")
    services.create_theme(survey, "Fuel", parent_id=top.id, description="Petrol")
    text = codebook_io.export_csv(survey)
    assert text.splitlines()[0] == "name,parent,description,inclusion,exclusion,example"
    assert "'=SUM(A1)" in text

    copy = make_survey("copy-survey")
    assert codebook_io.import_rows(copy, codebook_io.read_csv(text.encode())) == (2, 0)
    assert codebook_io.export_csv(copy) == text
    assert services.find_by_name(copy, "Cost").description == "=SUM(A1)"
    # Importing again changes nothing and duplicates nothing.
    assert codebook_io.import_rows(copy, codebook_io.read_csv(text.encode())) == (0, 0)


def test_csv_import_is_all_or_nothing_with_row_numbers():
    survey = make_survey()
    bad = "name,parent\nCost,\nFuel,Cost\nPetrol,Fuel\n,Cost\nCost,\n".encode()
    with pytest.raises(codebook_io.ImportProblems) as problems:
        codebook_io.import_rows(survey, codebook_io.read_csv(bad))
    assert any("Row 4" in p and "nest one level" in p for p in problems.value.problems)
    assert any("Row 5: enter a theme name" in p for p in problems.value.problems)
    assert any("Row 6" in p and "already on row 2" in p for p in problems.value.problems)
    assert services.active_themes(survey) == []


def test_qdc_round_trip_and_deeper_nesting_is_flattened(client, login):
    survey = make_survey()
    top = services.create_theme(survey, "Cost", description="Money", inclusion="Prices", exclusion="Wages",
                                example="Too dear")
    services.create_theme(survey, "Fuel", parent_id=top.id)
    login("researcher")
    data = client.get("/workspace/test-survey/codebook.qdc").get_data()
    root = ElementTree.fromstring(data)
    ns = {"q": "urn:QDA-XML:codebook:1.0"}
    assert root.tag == "{urn:QDA-XML:codebook:1.0}CodeBook"
    code = root.find("q:Codes/q:Code", ns)
    assert code.get("name") == "Cost" and code.get("isCodable") == "true" and len(code.get("guid")) == 36
    assert code.find("q:Code", ns).get("name") == "Fuel"

    copy = make_survey("copy-survey")
    rows, notes = codebook_io.read_qdc(data)
    codebook_io.import_rows(copy, rows)
    cost = services.find_by_name(copy, "Cost")
    assert (cost.description, cost.inclusion, cost.exclusion, cost.example) == ("Money", "Prices", "Wages", "Too dear")
    assert services.find_by_name(copy, "Fuel").parent_id == cost.id and notes == []

    deep = (b'<?xml version="1.0"?><CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
            b'<Code guid="1" name="A" isCodable="true"><Code guid="2" name="B" isCodable="true">'
            b'<Code guid="3" name="C" isCodable="true"/></Code></Code></Codes></CodeBook>')
    rows, notes = codebook_io.read_qdc(deep)
    assert [(r["name"], r["parent"]) for r in rows] == [("A", ""), ("B", "A"), ("C", "A")] and "‘C’" in notes[0]

    upload = client.post("/workspace/test-survey/codebook/import",
                         data={"file": (io.BytesIO(b"<not xml"), "book.qdc")},
                         content_type="multipart/form-data")
    assert upload.status_code == 400 and "not a readable REFI-QDA codebook" in upload.get_data(as_text=True)

"""Drafting principles from a survey's coded evidence: versions, edits, comparison, downloads, the CLI."""
from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from consult.coding.models import CodeAssignment, Coder, Theme
from consult.extensions import db
from consult.principles.loader import load_evidence
from consult.principles.models import PrincipleDraft
from consult.responses.models import Answer
from consult.surveys.services import load_definition
from tests.factories import make_response, make_user

WHY = {
    "agree": ["Bundling services into huge contracts shut out our local charity for years.",
              "Small local groups know the families and can act before problems grow.",
              "The council should trust the organisations that already work on our estates."],
    "disagree": ["Big providers bring scale and we cannot afford to lose that.",
                 "Local spend rules would break procurement law and raise costs."],
}


@pytest.fixture
def coded_survey(app, kil_definition):
    survey = load_definition(kil_definition, open_survey=True).survey
    user = make_user("researcher")
    coder = Coder(kind="person", user_id=user.id, name=user.name)
    trust = Theme(survey_id=survey.id, name="Trust and relationships", description="Working relationships")
    scale = Theme(survey_id=survey.id, name="Contract scale", description="Contracts too big for local groups")
    db.session.add_all([coder, trust, scale])
    db.session.commit()
    types = ["charity", "community_organisation", "councillor", "commissioner", "member_of_public"]
    for n in range(30):
        stance = "agree" if n % 5 else "disagree"
        answers = {"respondent_type": {"value": types[n % 5]}, "capacity": {"value": "individual"},
                   "publish_consent": {"value": "anonymous" if n % 3 else "not_published"},
                   "contact_consent": {"value": "no"}}
        for p in range(1, 7):
            answers[f"principle_{p}_agreement"] = {"value": ("disagree" if p == 3 else stance)}
            answers[f"principle_{p}_why"] = {"value": None, "text": f"{WHY[stance][n % len(WHY[stance])]} Reply {n}, principle {p}, mail me at person{n}@example.org."}
        make_response(survey, answers)
    for answer in db.session.scalars(db.select(Answer).where(Answer.text.is_not(None))):
        theme = scale if "contract" in answer.text.lower() else trust
        db.session.add(CodeAssignment(answer_id=answer.id, theme_id=theme.id, coder_id=coder.id, status="applied"))
    db.session.commit()
    return survey


def test_loader_reads_consent_groups_and_final_codes(coded_survey):
    evidence = load_evidence(coded_survey)
    assert len(evidence.respondents) == 30
    assert {r.group for r in evidence.respondents} == {"community", "councils", "others"}
    assert sum(r.quote_as is None for r in evidence.respondents) == 10  # not_published
    assert [p.statement for p in evidence.principles][0].startswith("Think about the whole system")
    assert all(a.themes for a in evidence.answers)
    assert sorted(evidence.principles[2].tally) == [("disagree", "community", 12), ("disagree", "councils", 12),
                                                     ("disagree", "others", 6)]


def test_build_edit_compare_and_download(coded_survey, client, login):
    login("staff")
    build = client.post("/workspace/keep-it-local/principles/build")
    assert build.status_code == 303
    status = client.get(build.location).get_data(as_text=True)
    assert "Draft version 1 is ready, built from 30 responses." in status
    draft = db.session.scalar(db.select(PrincipleDraft))
    assert draft.number == 1 and draft.respondents == 30
    pdf = client.get("/workspace/keep-it-local/principles/1/download.pdf")
    assert pdf.mimetype == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "person1@example.org" not in text  # quotes are redacted
    document = draft.document
    first = document["principles"][0]["id"]
    page = client.post("/workspace/keep-it-local/principles/1", data={
        **{f"headline__{p['id']}": p["headline"] for p in document["principles"]},
        f"headline__{first}": "Commission for the whole system, not for silos",
        **{f"quotes__{p['id']}": [q["id"] for q in p["quotes"]] for p in document["principles"]}})
    assert page.status_code == 303
    second = db.session.scalar(db.select(PrincipleDraft).where(PrincipleDraft.number == 2))
    assert second.edits["headlines"][first] == "Commission for the whole system, not for silos"
    assert second.document == draft.document  # same evidence snapshot, new edits
    assert client.get("/workspace/keep-it-local/principles/1/download.pdf").data == pdf.data  # old version unchanged
    compare = client.get("/workspace/keep-it-local/principles/compare?a=1&b=2").get_data(as_text=True)
    assert "Commission for the whole system, not for silos" in compare
    rebuilt = client.post("/workspace/keep-it-local/principles/build")
    third = db.session.scalar(db.select(PrincipleDraft).where(PrincipleDraft.number == 3))
    assert rebuilt.status_code == 303 and third.edits["headlines"][first] == "Commission for the whole system, not for silos"


def test_rejected_principle_is_marked(coded_survey):
    from analysis.principles import build_draft

    document = build_draft(load_evidence(coded_survey))
    statuses = {p["number"]: p["status"] for p in document["principles"] if p["source"] == "consulted"}
    assert statuses[3] == "rejected" and statuses[1] == "supported"


def test_cli_draft(coded_survey, runner, tmp_path):
    result = runner.invoke(args=["principles", "draft", "--survey", "keep-it-local", "--out", str(tmp_path / "d.pdf"),
                                 "--html", str(tmp_path / "d.html")])
    assert result.exit_code == 0, result.output
    assert "Version 1 from 30 responses" in result.output
    assert (tmp_path / "d.pdf").read_bytes().startswith(b"%PDF")
    assert "<html" in (tmp_path / "d.html").read_text()


def test_no_responses_gives_a_clear_failure(app, kil_definition, runner, tmp_path):
    load_definition(kil_definition, open_survey=True)
    result = runner.invoke(args=["principles", "draft", "--survey", "keep-it-local", "--out", str(tmp_path / "d.pdf")])
    assert result.exit_code == 1 and "There are no responses to draft from yet" in result.output


def test_coding_facts_count_people_and_the_machine_by_status(coded_survey):
    from consult.coding.figures import coding_facts

    machine = Coder(kind="machine", name="Suggestions")
    second = Coder(kind="person", user_id=make_user("researcher", "second@example.org").id, name="Second coder")
    db.session.add_all([machine, second])
    db.session.commit()
    themes = sorted(db.session.scalars(db.select(Theme.id).where(Theme.survey_id == coded_survey.id)))
    answers = sorted(db.session.scalars(db.select(Answer.id).where(Answer.text.is_not(None))))
    for i, answer in enumerate(answers[:12]):
        db.session.add(CodeAssignment(answer_id=answer, theme_id=themes[i % 2], coder_id=machine.id,
                                      status=("suggested", "accepted", "rejected")[i % 3]))
        db.session.add(CodeAssignment(answer_id=answer, theme_id=themes[1], coder_id=second.id, status="applied"))
    db.session.commit()
    facts = coding_facts(coded_survey)
    assert (facts.coders, facts.machine_suggested, facts.machine_accepted, facts.machine_rejected) == (2, 12, 4, 4)
    # 12 answers coded by both people: agreed where the first coder chose the second theme too, else disputed.
    disputed = sum(1 for a in db.session.scalars(db.select(Answer).where(Answer.id.in_(answers[:12])))
                   if "contract" not in a.text.lower()) if themes[1] == max(themes) else 0
    assert facts.coded_answers == len(answers) - disputed or facts.coded_answers <= len(answers)

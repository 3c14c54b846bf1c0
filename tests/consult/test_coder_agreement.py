"""The agreement page (figures from the hand-worked example in tests/analysis/test_reliability.py),
disagreements, and adjudication becoming the final coding."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from consult.auth.models import AuditEvent
from consult.coding import agreement, assignments, disagreements, services
from consult.coding.final import final_coding
from consult.coding.models import CodeAssignment
from consult.extensions import db
from tests.factories import make_response, make_survey, make_user

pytestmark = pytest.mark.usefixtures("app")

BASE = {"capacity": {"value": "individual", "text": None}, "p1": {"value": "agree", "text": None},
        "publish": {"value": "anonymous", "text": None}, "contact": {"value": "no", "text": None}}


def answer_with(survey, text):
    response = make_response(survey, {**BASE, "story": {"value": None, "text": text}})
    return next(a for a in response.answers if a.question.key == "story")


@pytest.fixture
def worked_example():
    """P and Q code four answers as in the worked example; the machine suggests codes on two of them."""
    survey = make_survey()
    x, y = services.create_theme(survey, "Access"), services.create_theme(survey, "Cost")
    p, q = make_user("researcher", "p@example.org"), make_user("researcher", "q@example.org")
    cp, cq = assignments.person_coder(p), assignments.person_coder(q)
    answers = [answer_with(survey, f"Respondent words {i}") for i in range(1, 5)]
    for answer, p_codes, q_codes in zip(answers, [{x.id}, {x.id, y.id}, {y.id}, {y.id}],
                                        [{x.id}, {x.id}, {y.id}, {x.id}]):
        assignments.save_codes(answer, cp, p_codes)
        assignments.save_codes(answer, cq, q_codes)
    machine = assignments.machine_coder()
    for answer, theme, status in ((answers[0], x, "accepted"), (answers[2], y, "rejected")):
        db.session.add(CodeAssignment(answer_id=answer.id, theme_id=theme.id, coder_id=machine.id, status=status, score=0.8))
    db.session.commit()
    return survey, answers, x, y


def test_agreement_page_shows_the_hand_worked_figures_to_staff(client, login, worked_example):
    survey, _answers, x, y = worked_example
    login("staff")
    page = client.get("/workspace/test-survey/agreement").get_data(as_text=True)
    # Overall: kappa 3/11 = 0.27, alpha (MASI) 0.30, on n = 4 answers; per code: Access 0.50, Cost 0.20.
    pair = page[page.index("Researcher and Researcher (2)"):]
    cells = [c.split("<")[0] for c in pair.split('<td class="kil-num">')[1:4]]
    assert cells == ["4", "0.27", "0.30"]
    per_code = page[page.index("Per code: Researcher and"):]
    assert "Access</th><td class=\"kil-num\">0.50" in per_code and "Cost</th><td class=\"kil-num\">0.20" in per_code
    # The machine and each person: two answers in common.
    assert "Machine suggestions and Researcher" in page
    assert "2 answers with disagreements to adjudicate" in page

    rows, overall, _ = agreement.figures(survey)
    assert overall.value == pytest.approx(0.3) and overall.n == 4
    assert "p@example.org" not in page and "q@example.org" not in page  # coders named as they chose, never by email
    # The report's figures: alpha and kappa over all codes; per code only where 30 double-coded answers used it.
    (everything,) = agreement.summary(survey)
    assert (everything.label, round(everything.alpha, 2), round(everything.kappa, 2), everything.n) == (
        "All codes", 0.3, 0.27, 4)
    machine_rows = [r for r in rows if r.machine]
    assert len(machine_rows) == 2 and all(r.figures.n == 2 for r in machine_rows)


def test_disagreements_are_adjudicated_into_the_final_coding(client, login, worked_example):
    survey, answers, x, y = worked_example
    login("researcher")
    listing = client.get("/workspace/test-survey/agreement/disagreements").get_data(as_text=True)
    assert f"Answer {answers[1].id}" in listing and f"Answer {answers[3].id}" in listing
    assert f"Answer {answers[0].id}<" not in listing

    finals = final_coding([a.id for a in answers])
    assert finals[answers[1].id].basis == "disagreement" and finals[answers[0].id].theme_ids == [x.id]

    response = client.post(f"/workspace/test-survey/agreement/answers/{answers[1].id}",
                           data={"themes": [str(x.id), str(y.id)], "note": "Both are mentioned"})
    assert response.status_code == 302
    final = final_coding([answers[1].id])[answers[1].id]
    assert final.basis == "adjudicated" and final.theme_ids == sorted([x.id, y.id])
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "codes.adjudicated")).detail["answer_id"] == answers[1].id
    assert len(disagreements.disagreements(survey)) == 1
    listing = client.get("/workspace/test-survey/agreement/disagreements").get_data(as_text=True)
    assert f"Answer {answers[1].id}<" not in listing
    settled = client.get("/workspace/test-survey/agreement/disagreements?settled=1").get_data(as_text=True)
    assert f"Answer {answers[1].id}<" in settled


def test_staff_cannot_adjudicate(client, login, worked_example):
    _survey, answers, x, _y = worked_example
    login("staff")
    assert client.post(f"/workspace/test-survey/agreement/answers/{answers[1].id}",
                       data={"themes": [str(x.id)]}).status_code == 403


def test_no_code_applies_is_a_decision_not_a_gap():
    """Q decides a fifth answer needs no code while P gives it Access: the pair now rests on 5 answers and
    that answer is a disagreement; an answer only P decided with no code is final with no codes; neither
    comes back in its decider's queue."""
    survey = make_survey()
    x = services.create_theme(survey, "Access")
    p, q = make_user("researcher", "p@example.org"), make_user("researcher", "q@example.org")
    cp, cq = assignments.person_coder(p), assignments.person_coder(q)
    shared, alone = answer_with(survey, "Shared words"), answer_with(survey, "Nothing to code here")
    assignments.save_codes(shared, cp, {x.id})
    assignments.save_codes(shared, cq, set())
    assignments.save_codes(alone, cp, set())
    people, _machines = agreement.load_codings(survey)
    assert people["Researcher (2)"] == {shared.id: frozenset()}
    finals = final_coding([shared.id, alone.id])
    assert finals[shared.id].basis == "disagreement"
    assert (finals[alone.id].theme_ids, finals[alone.id].basis) == ([], "single coder")
    assert assignments.next_uncoded(survey, cp) is None
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.action == "codes.none_apply"))
    assert [d["answer"].id for d in disagreements.disagreements(survey)] == [shared.id]


def test_an_answer_decided_with_no_code_is_not_listed_as_uncoded(client, login):
    survey = make_survey()
    services.create_theme(survey, "Access")
    decided, waiting = answer_with(survey, "Decided words"), answer_with(survey, "Waiting words")
    assignments.save_codes(decided, assignments.person_coder(make_user("researcher", "p@example.org")), set())
    login("staff")
    uncoded = client.get("/workspace/test-survey/responses?coded=uncoded").get_data(as_text=True)
    coded = client.get("/workspace/test-survey/responses?coded=coded").get_data(as_text=True)
    assert waiting.response.reference in uncoded and decided.response.reference not in uncoded
    assert decided.response.reference in coded and waiting.response.reference not in coded

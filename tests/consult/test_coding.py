"""The coding screen: whole-answer and passage codes, memo, flag, next uncoded, blind samples, suggestions."""
from __future__ import annotations

import random

import pytest
from sqlalchemy import select

from consult.auth.models import RANK, AuditEvent, Role
from consult.coding import assignments, samples, services
from consult.coding.models import AnswerNote, CodeAssignment, Coder, SampleItem
from consult.extensions import db
from consult.responses.models import Answer
from tests.factories import PASSWORD, make_response, make_survey, make_user

pytestmark = pytest.mark.usefixtures("app")

BASE = {"capacity": {"value": "individual", "text": None}, "p1": {"value": "agree", "text": None},
        "publish": {"value": "anonymous", "text": None}, "contact": {"value": "no", "text": None}}


def answer_with(survey, text, key="story"):
    response = make_response(survey, {**BASE, key: {"value": None, "text": text}})
    return next(a for a in response.answers if a.question.key == key)


def test_coding_routes_declare_roles_and_never_fail(app):
    survey = make_survey()
    answer = answer_with(survey, "Local firms know the area")
    theme = services.create_theme(survey, "Local knowledge")
    for role in ("staff", "researcher", "admin"):
        make_user(role)
        client = app.test_client()
        assert client.post("/login", data={"email": f"{role}@example.org", "password": PASSWORD}).status_code == 302
        for rule in app.url_map.iter_rules():
            if not rule.endpoint.startswith("coding."):
                continue
            view = app.view_functions[rule.endpoint]
            values = {arg: 1 for arg in rule.arguments}
            values.update(slug="test-survey", answer_id=answer.id, theme_id=theme.id)
            url = app.url_for(rule.endpoint, **{k: v for k, v in values.items() if k in rule.arguments})
            method = "GET" if "GET" in rule.methods else "POST"
            status = client.open(url, method=method).status_code
            if RANK[Role(role)] < RANK[view.required_role]:
                assert status == 403, (rule.endpoint, role)
            else:
                assert status < 500 and status != 403, (rule.endpoint, role, status)


def audit_details(action):
    return [e.detail for e in db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id))]


def test_whole_answer_span_memo_and_flag_without_javascript(client, login):
    survey = make_survey()
    user = login("researcher")
    cost, fuel = services.create_theme(survey, "Cost"), services.create_theme(survey, "Fuel")
    answer = answer_with(survey, "Petrol is too dear\r\nand buses are rare")
    page = client.get(f"/workspace/test-survey/code/{answer.id}").get_data(as_text=True)
    assert "Tell us more" in page and "Individual" in page and "How far do you agree?" in page  # question, type, siblings
    assert 'src="/static/js/coding.js"' in page

    response = client.post(f"/workspace/test-survey/code/{answer.id}", data={
        "themes": [str(cost.id), str(fuel.id)], "span_theme": str(fuel.id), "span_start": "0", "span_end": "6",
        "memo": "Mentions fuel prices", "flag_reason": "", "go": "save"})
    assert response.status_code == 302
    coder = db.session.scalar(select(Coder).where(Coder.user_id == user.id))
    assert coder.kind == "person"
    rows = db.session.scalars(select(CodeAssignment).where(CodeAssignment.coder_id == coder.id)).all()
    assert {(r.theme_id, r.span_start, r.span_end, r.status) for r in rows} == {
        (cost.id, None, None, "applied"), (fuel.id, None, None, "applied"), (fuel.id, 0, 6, "applied")}
    assert audit_details("codes.applied")[0]["answer_id"] == answer.id
    assert audit_details("codes.applied")[0]["theme_ids"] == sorted([cost.id, fuel.id])

    # Offsets count a CR LF line break once, as the browser shows it: "and" starts at 19 on screen, 20 in the text.
    client.post(f"/workspace/test-survey/code/{answer.id}", data={
        "themes": [str(cost.id)], "span_theme": str(cost.id), "span_start": "19", "span_end": "22", "go": "save",
        "flag_reason": "Possible personal data", "memo": "Mentions fuel prices"})
    span = db.session.scalar(select(CodeAssignment).where(CodeAssignment.span_start == 20))
    assert answer.text[span.span_start:span.span_end] == "and"
    whole = {r.theme_id for r in assignments.own_codes(answer, coder) if r.span_start is None}
    assert whole == {cost.id}  # unticking removes a whole-answer code
    notes = {(n.kind, n.text) for n in db.session.scalars(select(AnswerNote))}
    assert notes == {("memo", "Mentions fuel prices"), ("flag", "Possible personal data")}
    page = client.get(f"/workspace/test-survey/code/{answer.id}").get_data(as_text=True)
    assert "Possible personal data" in page and "Mentions fuel prices" in page and "“Petrol”" in page

    flag = db.session.scalar(select(AnswerNote).where(AnswerNote.kind == "flag"))
    client.post(f"/workspace/test-survey/code/{answer.id}/flags/{flag.id}/resolve")
    assert db.session.get(AnswerNote, flag.id).resolved
    assert audit_details("codes.flagged")[0]["reason"] == "Possible personal data"

    bad = client.post(f"/workspace/test-survey/code/{answer.id}", data={
        "span_theme": str(cost.id), "span_start": "30", "span_end": "90", "go": "save"})
    assert bad.status_code == 400 and "within the answer" in bad.get_data(as_text=True)


def test_save_and_next_uncoded_in_order_and_by_question(client, login):
    survey = make_survey()
    login("researcher")
    theme = services.create_theme(survey, "Cost")
    first, second = answer_with(survey, "One"), answer_with(survey, "Two")
    why = answer_with(survey, "Because", key="p1_why")
    assert client.get("/workspace/test-survey/code").location.endswith(f"/code/{first.id}")
    response = client.post(f"/workspace/test-survey/code/{first.id}", data={"themes": [str(theme.id)], "go": "next"})
    assert client.get(response.location).location.endswith(f"/code/{second.id}")
    assert client.get("/workspace/test-survey/code?question=p1_why").location.endswith(f"/code/{why.id}?question=p1_why")
    # With nothing chosen, "next" still moves on (after the current answer, wrapping round).
    response = client.post(f"/workspace/test-survey/code/{second.id}", data={"go": "next"})
    assert client.get(response.location).location.endswith(f"/code/{why.id}")
    for answer in (second, why):
        client.post(f"/workspace/test-survey/code/{answer.id}", data={"themes": [str(theme.id)], "go": "save"})
    done = client.get("/workspace/test-survey/code")
    assert done.status_code == 200 and "no uncoded answers" in done.get_data(as_text=True)


def test_blind_double_coding_sample(app, client, login):
    survey = make_survey()
    admin = login("admin")
    alice, bob, carol = (make_user("researcher", f"{n}@example.org") for n in ("alice", "bob", "carol"))
    theme = services.create_theme(survey, "Cost")
    answers = [answer_with(survey, f"Answer number {i}") for i in range(20)]
    response = client.post("/workspace/test-survey/samples", data={
        "question_key": "story", "percent": "10", "coder_a": str(alice.id), "coder_b": str(bob.id), "seed": "7"})
    assert response.status_code == 302
    sample = samples.survey_samples(survey)[0]
    assert sample.size == 2 and sample.sample.seed == 7
    chosen = set(db.session.scalars(select(SampleItem.answer_id)))
    assert chosen == set(random.Random(7).sample(sorted(a.id for a in answers), 2))

    assert client.post("/workspace/test-survey/samples", data={
        "question_key": "story", "percent": "10", "coder_a": str(alice.id), "coder_b": str(alice.id)}).status_code == 400

    a, b, c = (assignments.person_coder(u) for u in (alice, bob, carol))
    # Carol's queue skips the sample; Alice's starts with it.
    assert assignments.next_uncoded(survey, c) not in chosen
    assert assignments.next_uncoded(survey, a) == min(chosen)

    item = db.session.get(Answer, min(chosen))
    assignments.save_codes(item, b, {theme.id})
    machine = assignments.machine_coder()
    db.session.add(CodeAssignment(answer_id=item.id, theme_id=theme.id, coder_id=machine.id, status="suggested", score=0.9))
    db.session.commit()
    alice_client = app.test_client()
    alice_client.post("/login", data={"email": "alice@example.org", "password": PASSWORD})
    page = alice_client.get(f"/workspace/test-survey/code/{item.id}").get_data(as_text=True)
    assert "Double-coding sample" in page and "Suggested by the machine" not in page and "bob@example.org" not in page
    assert not samples.is_blind(item.id, c.id) and samples.is_blind(item.id, a.id)

    # Alice's sample first, after the answer she saved and wrapping round; once it is done, the rest in order.
    low, high = sorted(chosen)
    assignments.save_codes(db.session.get(Answer, high), a, {theme.id})
    assert assignments.next_uncoded(survey, a, after=high) == low
    assert assignments.next_uncoded(survey, a) == low  # after her last code, wrapping round
    assert samples.survey_samples(survey)[0].coded_a == 1
    assignments.save_codes(db.session.get(Answer, low), a, set())  # "no code applies" decides it too
    assert samples.survey_samples(survey)[0].coded_a == 2  # the samples page counts as the queue does
    rest = sorted(answer.id for answer in answers if answer.id not in chosen)
    assert assignments.next_uncoded(survey, a, after=low) == next(i for i in rest if i > low)
    assert assignments.next_uncoded(survey, a, after=rest[-1]) == rest[0]



TRANSPORT = ["the bus is always late", "no buses on sunday", "bus fares keep rising", "the train station closed",
             "trains are overcrowded", "bus timetable is unreliable", "more buses to the village please",
             "the bus route was cut", "rail services are poor", "late buses every morning",
             "train tickets cost too much", "the bus never comes", "we need a better bus service",
             "the last bus is too early", "train delays every day"]
HOUSING = ["rent is too high", "no affordable homes here", "landlords raise the rent", "housing costs are rising",
           "young people cannot buy homes", "rented homes are damp", "council housing waiting list is long",
           "the rent takes half my pay", "new homes are too expensive", "homes bought as holiday lets",
           "housing for local families", "private rent keeps going up", "not enough social housing",
           "the landlord will not repair", "homes are unaffordable"]


def test_suggestions_accept_and_reject_keep_both_coders_rows(client, login):
    survey = make_survey()
    user = login("researcher")
    transport, housing = services.create_theme(survey, "Transport"), services.create_theme(survey, "Housing")
    coder = assignments.person_coder(user)
    for texts, theme in ((TRANSPORT, transport), (HOUSING, housing)):
        for text in texts:
            assignments.save_codes(answer_with(survey, text), coder, {theme.id})
    bus, rent = answer_with(survey, "the bus was late again"), answer_with(survey, "my rent went up again")
    done = client.post("/workspace/test-survey/suggest", data={"question_key": "story"}, follow_redirects=True)
    assert "for 2 of 2 undecided answers" in done.get_data(as_text=True)  # a background job, its status page
    machine = db.session.scalar(select(Coder).where(Coder.kind == "machine"))
    suggested = {r.answer_id: r for r in db.session.scalars(select(CodeAssignment).where(CodeAssignment.coder_id == machine.id))}
    assert suggested[bus.id].theme_id == transport.id and suggested[rent.id].theme_id == housing.id
    assert all(r.status == "suggested" and 0 < r.score <= 1 for r in suggested.values())

    page = client.get(f"/workspace/test-survey/code/{bus.id}").get_data(as_text=True)
    assert f"Suggested by the machine ({int(suggested[bus.id].score * 100)}% likely)" in page

    client.post(f"/workspace/test-survey/code/{bus.id}/suggestions/{suggested[bus.id].id}", data={"decision": "accept"})
    client.post(f"/workspace/test-survey/code/{rent.id}/suggestions/{suggested[rent.id].id}", data={"decision": "reject"})
    rows = {(r.answer_id, r.coder_id, r.theme_id, r.status) for r in db.session.scalars(
        select(CodeAssignment).where(CodeAssignment.answer_id.in_([bus.id, rent.id])))}
    assert rows == {(bus.id, machine.id, transport.id, "accepted"), (bus.id, coder.id, transport.id, "applied"),
                    (rent.id, machine.id, housing.id, "rejected")}
    again = client.post(f"/workspace/test-survey/code/{rent.id}/suggestions/{suggested[rent.id].id}",
                        data={"decision": "accept"}, follow_redirects=True)
    assert "already rejected" in again.get_data(as_text=True)


def _made_elsewhere(row: dict) -> None:
    """A Coder row inserted and committed by another connection: another request or job, at the same time."""
    with db.engine.begin() as other:
        other.execute(Coder.__table__.insert(), [row])


def test_a_coder_made_by_another_request_at_the_same_time_is_used(app, monkeypatch):
    """Two tabs opening the coding screen for a person's first time: the request that saves second uses the
    coder the first saved (it failed on the unique user), and a namesake saving second is numbered again."""
    sam, namesake, third = (make_user("researcher", f"{n}@example.org") for n in ("sam", "sam2", "sam3"))
    real, first_time = assignments.coder_name, []

    def meanwhile(row):
        def coder_name(name, taken):
            if not first_time:  # the other request saves between this one's look and its save
                first_time.append(_made_elsewhere({**row, "name": real(name, taken)}))
            return real(name, taken)
        return coder_name

    monkeypatch.setattr(assignments, "coder_name", meanwhile({"kind": "person", "user_id": sam.id}))
    coder = assignments.person_coder(sam, commit=True)
    assert db.session.scalars(select(Coder.id).where(Coder.user_id == sam.id)).all() == [coder.id]
    assert coder.name == "Researcher"
    first_time.clear()
    monkeypatch.setattr(assignments, "coder_name", meanwhile({"kind": "person", "user_id": third.id}))
    other = assignments.person_coder(namesake, commit=True)
    assert (other.user_id, other.name) == (namesake.id, "Researcher (3)")  # "(2)" went to the third, meanwhile


def test_the_machine_coder_made_by_another_job_first_is_used(app, monkeypatch):
    made = []
    real = db.session.scalar

    def another_job_first(statement):
        found = real(statement)
        if found is None and not made:
            made.append(_made_elsewhere({"kind": "machine", "name": assignments.MACHINE_NAME}))
        return found

    monkeypatch.setattr(db.session, "scalar", another_job_first)
    machine = assignments.machine_coder()
    monkeypatch.undo()
    assert made and db.session.scalars(select(Coder.id).where(Coder.kind == "machine")).all() == [machine.id]

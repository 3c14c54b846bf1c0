"""Skip logic: pages and questions shown only when an earlier answer matches."""
from __future__ import annotations

from consult.extensions import db
from consult.responses import journey
from consult.responses.models import Answer
from tests.consult.test_question_kinds import URL, post, walk_to_check
from tests.factories import make_survey


def a(value, text=None):
    return {"value": value, "text": text}


def test_conditions_equals_in_and_includes():
    assert journey.condition_met(None, {})
    assert journey.condition_met({"question": "c", "equals": "x"}, {"c": a("x")})
    assert not journey.condition_met({"question": "c", "equals": "x"}, {"c": a("y")})
    assert not journey.condition_met({"question": "c", "equals": "x"}, {})
    assert journey.condition_met({"question": "c", "in": ["x", "y"]}, {"c": a("y")})
    assert journey.condition_met({"question": "m", "includes": "x"}, {"m": a(["w", "x"])})
    assert not journey.condition_met({"question": "m", "includes": "x"}, {"m": a("x")})


def test_pages_follow_the_answers(app):
    version = make_survey().current_version
    individual = [p.position for p in journey.visible_pages(version, {"capacity": a("individual")})]
    organisation = [p.position for p in journey.visible_pages(version, {"capacity": a("organisation"), "contact": a("yes")})]
    assert 2 not in individual and 12 not in individual
    assert 2 in organisation and 12 in organisation
    assert journey.next_page(version, {"capacity": a("individual")}, 1).position == 3
    assert journey.previous_page(version, {"capacity": a("individual")}, 3).position == 1


def test_hidden_page_redirects_to_the_next_shown_page(client):
    make_survey()
    client.post(f"{URL}/start")
    assert post(client, 1, {"capacity": "individual"}).location.endswith("/page/3")
    assert client.get(f"{URL}/page/2").location.endswith("/page/3")
    back = client.get(f"{URL}/page/3").get_data(as_text=True)
    assert f'href="{URL}/page/1" class="kil-back-link"' in back


def test_answers_behind_a_changed_branch_are_not_submitted(client):
    make_survey()
    client.post(f"{URL}/start")
    walk_to_check(client)
    # Change to an individual who does not want contact: the organisation name and email drop out.
    assert post(client, 1, {"capacity": "individual"}).status_code == 302
    assert client.post(f"{URL}/page/11?return=check", data={"contact": "no"}).location.endswith("/check")
    page = client.get(f"{URL}/check").get_data(as_text=True)
    assert "Hilltop Community Trust" not in page and "sam@example.org" not in page
    token = page.split('name="submission_token" type="hidden" value="')[1].split('"')[0]
    client.post(f"{URL}/submit", data={"submission_token": token})
    keys = {answer.question.key for answer in db.session.scalars(db.select(Answer))}
    assert "org_name" not in keys and "email" not in keys and "capacity" in keys


def test_change_link_that_opens_a_new_branch_asks_its_questions_first(client):
    make_survey()
    client.post(f"{URL}/start")
    for number, data in [(1, {"capacity": "individual"}), (10, {"publish": "anonymous"}), (5, {"p1": "agree"}),
                         (11, {"contact": "no"})]:
        post(client, number, data)
    assert client.get(f"{URL}/check").status_code == 200
    response = client.post(f"{URL}/page/1?return=check", data={"capacity": "organisation"})
    assert response.location.endswith("/page/2?return=check")
    response = client.post(f"{URL}/page/2?return=check", data={"org_name": "Riverside Trust"})
    assert response.location.endswith("/check")

"""Each question kind: its form fields, validation messages, stored answer and summary line."""
from __future__ import annotations

import pytest

from consult.extensions import db
from consult.responses.models import Answer, Response
from tests.factories import make_survey

URL = "/s/test-survey"


@pytest.fixture
def started(client):
    make_survey()
    client.post(f"{URL}/start")
    return client


def post(client, number, data):
    return client.post(f"{URL}/page/{number}", data=data)


def walk_to_check(client, overrides=None):
    """Answer every page of the all-kinds survey with valid answers (or the given ones)."""
    answers = {1: {"capacity": "organisation"}, 2: {"org_name": "Hilltop Community Trust"},
               3: {"barriers": ["scale", "other"], "barriers__other": "Insurance rules"},
               4: {"story": "We run the youth club."}, 5: {"p1": "agree", "p1_why": "Silos waste money."},
               6: {"grid__local": "strongly_agree", "grid__simple": "dont_know"}, 7: {"staff": "1,250"},
               8: {"area": "leeds"}, 9: {"areas": ["leeds", "bradford"]}, 10: {"publish": "anonymous"},
               11: {"contact": "yes"}, 12: {"email": "sam@example.org"}}
    answers.update(overrides or {})
    for number, data in answers.items():
        response = post(client, number, data)
        assert response.status_code == 302, (number, response.get_data(as_text=True)[:2000])
    return client.get(f"{URL}/check")


def test_every_kind_is_stored_as_value_and_text(started):
    check = walk_to_check(started).get_data(as_text=True)
    for shown in ("Hilltop Community Trust", "Something else: Insurance rules", "Contract scale",
                  "Local is better: Strongly agree", "Simple is better: Don’t know", "1,250",
                  "Leeds", "Bradford", "Yes, anonymously", "sam@example.org", "Silos waste money."):
        assert shown in check
    token = started.get(f"{URL}/check").get_data(as_text=True).split('name="submission_token" type="hidden" value="')[1].split('"')[0]
    assert started.post(f"{URL}/submit", data={"submission_token": token}).status_code == 303
    stored = {a.question.key: (a.value, a.text) for a in db.session.scalars(db.select(Answer))}
    assert stored["capacity"] == ("organisation", None)
    assert stored["org_name"] == (None, "Hilltop Community Trust")
    assert stored["barriers"] == (["scale", "other"], "Insurance rules")
    assert stored["story"] == (None, "We run the youth club.")
    assert stored["grid"] == ({"local": "strongly_agree", "simple": "dont_know"}, None)
    assert stored["staff"] == (1250, None)
    assert stored["area"] == ("leeds", None)
    assert stored["areas"] == (["leeds", "bradford"], None)
    assert stored["email"] == ("sam@example.org", None)
    assert db.session.scalar(db.select(db.func.count()).select_from(Response)) == 1


@pytest.mark.parametrize("number, data, message", [
    (1, {}, "Select an answer: how are you responding"),
    (1, {"capacity": "robot"}, "Not a valid choice"),
    (4, {"story": "x" * 51}, "Your answer must be 50 characters or fewer"),
    (5, {"p1_why": "no scale answer"}, "Select an answer: how far do you agree"),
    (5, {"p1": "somewhat"}, "Not a valid choice"),
    (6, {"grid__local": "often"}, "Not a valid choice"),
    (7, {"staff": "twelve"}, "Enter a whole number"),
    (7, {"staff": "2.5"}, "Enter a whole number"),
    (7, {"staff": "-3"}, "Enter a number of at least 0"),
    (7, {"staff": "100001"}, "Enter a number no more than 100,000"),
    (8, {"area": "atlantis"}, "Not a valid choice"),
    (9, {"areas": ["leeds", "atlantis"]}, "not a valid choice"),
    (10, {}, "Select an answer: may we publish your response"),
])
def test_invalid_answers_show_error_summary_and_inline_message(started, number, data, message):
    if number > 2:
        post(started, 1, {"capacity": "individual"})
    response = post(started, number, data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "There is a problem" in page
    assert message.lower() in page.lower()
    assert '<span class="kil-visually-hidden">Error:</span>' in page
    assert "<title>Error: " in page


def test_email_must_look_like_an_email(started):
    post(started, 1, {"capacity": "individual"})
    post(started, 11, {"contact": "yes"})
    page = post(started, 12, {"email": "sam at example"}).get_data(as_text=True)
    assert "Enter an email address in the correct format, like name@example.com" in page


def test_a_validation_error_keeps_every_answer_typed(started):
    post(started, 1, {"capacity": "individual"})
    page = post(started, 5, {"p1_why": "Because <b>silos</b> cost money"}).get_data(as_text=True)
    assert "Because &lt;b&gt;silos&lt;/b&gt; cost money" in page  # kept, and escaped
    page = post(started, 3, {"barriers": ["price", "other"], "barriers__other": "x" * 400}).get_data(as_text=True)
    assert 'value="price" checked' in page and 'value="other" checked' in page
    assert "x" * 400 in page


def test_saved_answers_fill_the_form_when_returning(started):
    post(started, 1, {"capacity": "individual"})
    post(started, 9, {"areas": ["cardiff"]})
    page = started.get(f"{URL}/page/9").get_data(as_text=True)
    assert 'value="cardiff" checked' in page
    assert 'value="leeds" checked' not in page


def test_error_summary_links_to_the_first_option_of_a_radio_group(started):
    page = post(started, 1, {}).get_data(as_text=True)
    assert 'href="#capacity"' in page
    assert 'id="capacity" name="capacity" type="radio"' in page

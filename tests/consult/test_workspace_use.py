"""The workspace as researchers use it (issue 15): filters read a missing field as "any", questions go by
their short labels, responses are found by reference, contact details stay with admins, and the coding
queue reaches imported answers."""
from __future__ import annotations

import pytest

from consult.extensions import db
from consult.responses.services import build_response
from tests.factories import make_survey

PAGES = [
    {"questions": [{"key": "who", "kind": "single_choice", "title": "Who are you?", "role": "respondent_type",
                    "label": "Respondent type",
                    "choices": [{"value": "charity", "label": "Charity"}, {"value": "councillor", "label": "Councillor"}]}]},
    {"questions": [{"key": "capacity", "kind": "single_choice", "title": "How are you responding?", "role": "capacity",
                    "choices": [{"value": "individual", "label": "As an individual"},
                                {"value": "organisation", "label": "For an organisation"}]}]},
    {"title": "Principle 1", "questions": [
        {"key": "p1", "kind": "agree_scale", "title": "How far do you agree?", "label": "Principle 1: agreement"},
        {"key": "p1_why", "kind": "long_text", "title": "Why do you say that?", "label": "Principle 1: why"}]},
    {"title": "Principle 2", "questions": [
        {"key": "p2", "kind": "agree_scale", "title": "How far do you agree?", "label": "Principle 2: agreement"},
        {"key": "p2_why", "kind": "long_text", "title": "Why do you say that?", "label": "Principle 2: why"}]},
    {"questions": [{"key": "name", "kind": "short_text", "title": "What name should we use?", "role": "respondent_name"}]},
    {"questions": [{"key": "email", "kind": "email", "title": "What is your email address?", "role": "contact_email"}]},
]


@pytest.fixture
def survey(app):
    return make_survey(pages=PAGES)


def add(survey, channel="web", **answers):
    """A stored response: keyword arguments give each question's value (choices) or text (text kinds)."""
    questions = {q.key: q for q in survey.current_version.questions}
    stored = {questions[key]: ({"value": None, "text": value} if questions[key].kind in ("short_text", "long_text")
                               else {"value": value, "text": None}) for key, value in answers.items()}
    response = build_response(survey.current_version, stored, channel=channel)
    db.session.add(response)
    db.session.commit()
    return response


def test_missing_filter_fields_mean_any(client, login, survey):
    """The enhanced form, page links and the cross-tab link leave empty fields out: no error for them."""
    web = add(survey, who="charity", p1="agree", p1_why="Buses")
    email = add(survey, channel="email", who="councillor", p1="disagree", p1_why="Trains")
    login("staff")
    base = "/workspace/test-survey"
    for path in (f"{base}/responses?channel=web", f"{base}/responses?page=2", f"{base}/responses?search=buses",
                 f"{base}/questions/p1?by=respondent_type", f"{base}/questions/p1?channel=email&page=1"):
        html = client.get(path).get_data(as_text=True)
        assert "There is a problem" not in html and "from the list" not in html, path
    listing = client.get(f"{base}/responses?channel=web").get_data(as_text=True)
    assert web.reference in listing and email.reference not in listing
    bad = client.get(f"{base}/responses?channel=fax").get_data(as_text=True)
    assert "There is a problem" in bad and "Choose a channel from the list" in bad


def test_questions_go_by_their_labels_and_every_closed_question_is_a_filter(client, login, survey):
    response = add(survey, who="charity", p1="agree", p2="disagree", p1_why="Buses", p2_why="Trains")
    login("researcher")
    base = "/workspace/test-survey"
    questions = client.get(f"{base}/questions").get_data(as_text=True)
    assert "Principle 1: why" in questions and "Principle 2: why" in questions
    page = client.get(f"{base}/questions/p2_why").get_data(as_text=True)
    assert "<h1 class=\"kil-heading-l\">Principle 2: why</h1>" in page and "Asked: “Why do you say that?”" in page
    assert '<optgroup label="Principle 1: agreement">' in page and '<optgroup label="Principle 2: agreement">' in page
    filtered = client.get(f"{base}/responses?answer=p2:disagree").get_data(as_text=True)
    assert response.reference in filtered and "There is a problem" not in filtered
    assert client.get(f"{base}/responses?answer=p2:agree").get_data(as_text=True).count(response.reference) == 0
    answer = next(a for a in response.answers if a.text == "Trains")
    coding = client.get(f"{base}/code/{answer.id}").get_data(as_text=True)
    assert 'id="question-title">Principle 2: why</h2>' in coding and "<dt class=\"kil-summary-list__key\">Principle 1: why</dt>" in coding
    assert '<option value="p1_why">Principle 1: why</option>' in coding  # the Suggest dropdown


def test_labels_are_distinct_and_older_answers_go_by_the_newest_label(app, survey):
    from consult.surveys.services import DefinitionError, load_definition, question_labels
    from tests.factories import survey_definition

    pages = [dict(page, questions=[dict(q) for q in page["questions"]]) for page in PAGES]
    pages[3]["questions"][1]["label"] = "Principle 1: why"
    with pytest.raises(DefinitionError, match="has the label of 'p1_why'"):
        load_definition(survey_definition(pages=pages, version=2))
    pages[3]["questions"][1]["label"] = "Principle 2: neighbourhoods – why"
    del pages[2]["questions"][1]["label"]  # version 2 drops one label: version 1's still names the key
    load_definition(survey_definition(pages=pages, version=2))
    labels = question_labels(survey)
    assert labels["p2_why"] == "Principle 2: neighbourhoods – why" and labels["p1_why"] == "Principle 1: why"
    assert labels["capacity"] == "How are you responding?"  # no label: the title


def test_keep_it_local_names_each_question_apart():
    from consult.surveys.services import read_definition
    from tests.browser.helpers import SURVEY_FILE

    questions = [q for page in read_definition(SURVEY_FILE)["pages"] for q in page["questions"]]
    labels = [q.get("label") for q in questions]
    assert all(labels) and len(set(labels)) == len(labels)
    assert "Principle 3: local spend – why" in labels

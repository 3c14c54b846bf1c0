"""The workspace as researchers use it (issue 15): filters read a missing field as "any", questions go by
their short labels, responses are found by reference, contact details stay with admins, and the coding
queue reaches imported answers."""
from __future__ import annotations

import pytest

from consult.extensions import db
from consult.responses.submission import build_response
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


def test_a_response_is_found_by_reference_and_its_answers_coded_from_its_page(client, login, survey):
    wanted = add(survey, who="charity", p1_why="Local groups know their area", name="Ann Smith", email="ann@example.org")
    other = add(survey, who="charity", p1_why="Something else entirely")
    login("researcher")
    base = "/workspace/test-survey"
    typed = " " + wanted.reference.lower().replace("-", "- ", 1) + " "  # as someone might paste or type it
    listing = client.get(f"{base}/responses", query_string={"search": typed}).get_data(as_text=True)
    assert wanted.reference in listing and other.reference not in listing and "1 response matches" in listing
    partial = client.get(f"{base}/responses", query_string={"search": wanted.reference[:8]}).get_data(as_text=True)
    assert wanted.reference in partial
    prefix_only = client.get(f"{base}/responses", query_string={"search": "TST"}).get_data(as_text=True)
    assert "0 responses match" in prefix_only  # not a reference: searched for in the answers' words
    page = client.get(f"{base}/responses/{wanted.id}").get_data(as_text=True)
    why = next(a for a in wanted.answers if a.text == "Local groups know their area")
    assert f'href="/workspace/test-survey/code/{why.id}"' in page and "Code this answer" in page
    coding = client.get(f"{base}/code/{why.id}").get_data(as_text=True)
    assert f'href="/workspace/test-survey/responses/{wanted.id}#answer-{why.id}">{wanted.reference}</a>' in coding
    question = client.get(f"{base}/questions/p1_why", query_string={"search": wanted.reference}).get_data(as_text=True)
    assert wanted.reference in question and other.reference not in question


def test_contact_details_are_for_admins_only(client, login, survey, app):
    response = add(survey, p1_why="Buses are late", name="Ann Smith", email="ann@example.org")
    why = next(a for a in response.answers if a.text == "Buses are late")
    base = "/workspace/test-survey"
    pages = [f"{base}/responses/{response.id}", f"{base}/code/{why.id}", f"{base}/questions/name",
             f"{base}/questions/email", f"{base}/responses?search=smith"]
    for role in ("researcher", "staff"):
        login(role, f"{role}-contact@example.org")
        for path in pages:
            html = client.get(path, follow_redirects=True).get_data(as_text=True)
            assert "Ann Smith" not in html and "ann@example.org" not in html, (role, path)
        assert "Contact details held" in client.get(pages[0]).get_data(as_text=True)
        client.post("/logout")
    login("admin")
    detail = client.get(pages[0]).get_data(as_text=True)
    assert "Ann Smith" in detail and "ann@example.org" in detail and "Contact details held" not in detail
    assert "Ann Smith" in client.get(pages[1]).get_data(as_text=True)


def test_staff_opening_the_coding_screen_read_the_answer_on_its_response_page(client, login, survey):
    response = add(survey, p1_why="Buses are late")
    why = next(a for a in response.answers if a.text)
    login("staff")
    reply = client.get(f"/workspace/test-survey/code/{why.id}")
    assert reply.status_code == 302 and reply.location.endswith(f"/responses/{response.id}#answer-{why.id}")
    assert client.post(f"/workspace/test-survey/code/{why.id}", data={"go": "save"}).status_code == 403
    page = client.get(reply.location).get_data(as_text=True)
    assert "Buses are late" in page and "Code this answer" not in page


def test_the_queue_reaches_answers_by_channel(client, login, survey):
    web = [add(survey, p1_why=f"Web answer {i}") for i in range(3)]
    emailed = add(survey, channel="email", p1_why="Sent by email")
    login("researcher")
    first = client.get("/workspace/test-survey/code?channel=email")
    answer = next(a for a in emailed.answers if a.text)
    assert first.location.endswith(f"/code/{answer.id}?channel=email")
    saved = client.post(first.location, data={"go": "next", "themes": []})
    assert saved.location.endswith(f"/code?after={answer.id}&channel=email")
    done = client.get(saved.location).get_data(as_text=True)
    assert "There are no uncoded answers for you that arrived by email" in done
    assert '<option value="email" selected>Email</option>' in done
    unknown = client.get("/workspace/test-survey/code?channel=fax")  # an unknown channel: every channel
    assert unknown.location.endswith(f"/code/{next(a for a in web[0].answers if a.text).id}")


def test_workshop_notes_page_lists_every_workshop_response_the_overview_counts(client, login, survey):
    from consult.workspace.browsing import overview_counts

    notes = [add(survey, channel="workshop", p1_why=f"Notes from table {i}") for i in range(5)]
    add(survey, channel="web", p1_why="Not from a workshop")
    login("staff")
    page = client.get("/workspace/test-survey/workshops").get_data(as_text=True)
    counted = {row["channel"]: row["count"] for row in overview_counts(survey, 1)["by_channel"]}
    assert counted["workshop"] == 5 and "5 responses from workshops and events" in page
    assert all(n.reference in page for n in notes) and "No workshop notes yet" not in page
    assert "/workspace/test-survey/responses?channel=workshop" in page


def test_import_columns_are_matched_by_select_and_responses_dated_when_received(app, client, login, tmp_path):
    """A column per select: one to a question by its label, one as when the answer was received."""
    import io
    import re
    from datetime import datetime

    from sqlalchemy import select

    from consult.responses.models import Response
    from tests.consult.test_import import preview_form

    survey = make_survey(slug="imports", pages=PAGES)
    login("researcher")
    content = ("Ref,Sent on,Your view,Sender type\n"
               "E1,03/11/2026,Buses are late,Charity\n"
               "E2,2026-11-04 09:30,Trains too,councillor\n").encode()
    first = client.post("/workspace/imports/import", data={"upload": (io.BytesIO(content), "emails.csv"),
                                                           "channel": "email"}, content_type="multipart/form-data")
    html = first.get_data(as_text=True)
    assert first.status_code == 400 and "no column is matched to a question" in html  # none named after one
    selects = dict(re.findall(r'name="column-(\d)-name" value="([^"]+)"', html))
    assert selects == {"0": "Ref", "1": "Sent on", "2": "Your view", "3": "Sender type"}
    assert '<option value="p2_why">Principle 2: why</option>' in html
    assert '<option value=":received">When the answer was received</option>' in html
    matched = preview_form(html, **{"column-0": ":key", "column-1": ":received", "column-2": "p2_why",
                                    "column-3": "who", "action": "check"})
    checked = client.post("/workspace/imports/import", data=matched).get_data(as_text=True)
    assert "2 new, 0 already imported" in checked and "Column ‘Sent on’: when each answer was received" in checked
    assert "Received 3 November 2026" in checked and "Import 2 responses" in checked
    done = client.post("/workspace/imports/import", data=preview_form(checked, action="import"))
    assert done.status_code == 302 and "imported=email" in done.location
    after = client.get(done.location).get_data(as_text=True)
    assert "/workspace/imports/code?channel=email" in after
    rows = {r.import_key: r for r in db.session.scalars(select(Response).where(Response.survey_id == survey.id))}
    assert rows["email:E1"].submitted_at == datetime(2026, 11, 3)
    assert rows["email:E2"].submitted_at == datetime(2026, 11, 4, 9, 30)
    assert {a.text for r in rows.values() for a in r.answers if a.text} == {"Buses are late", "Trains too"}


def test_received_dates_are_read_day_first_and_never_in_the_future(app):
    from consult.interchange.importing import plan_import

    survey = make_survey(slug="dates", pages=PAGES)
    content = "p1_why,Date received\nFine,31/03/2026\nLater,01/01/2999\nOdd,March\n".encode()
    plan = plan_import(survey, content, "dates.csv", "paper")
    assert plan.received_column == "Date received" and plan.rows[0].submitted_at.date().isoformat() == "2026-03-31"
    assert [str(e) for e in plan.errors] == [
        "Row 3, column 'Date received': '01/01/2999' is in the future",
        "Row 4, column 'Date received': 'March' is not a date like 2026-03-31, 31/03/2026 or 2026-03-31 14:05"]


def test_cli_import_dates_responses_by_the_received_column(app, runner, tmp_path):
    from sqlalchemy import select

    from consult.responses.models import Response

    survey = make_survey(slug="letters", pages=PAGES)
    path = tmp_path / "letters.csv"
    path.write_text("id,Posted,p1_why\nL1,02/11/2026,A letter.\n", encoding="utf-8")
    result = runner.invoke(args=["responses", "import", str(path), "--survey", "letters", "--channel", "paper",
                                 "--received-column", "Posted"])
    assert result.exit_code == 0 and "Posted -> when received" in result.output, result.output
    stored = db.session.scalar(select(Response).where(Response.survey_id == survey.id))
    assert stored.submitted_at.isoformat() == "2026-11-02T00:00:00"

"""The Keep it Local survey as respondents use it (issue 15): resuming where they left off, saving answers that
do not pass their checks yet, going back after sending, choices that depend on earlier answers, the step count,
dates in the survey's time zone, and the pages and receipt saying things once."""
from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from pypdf import PdfReader

from consult.extensions import db
from consult.responses.models import Draft
from consult.surveys.models import SurveyState
from consult.surveys.services import DefinitionError, change_state, check_definition, load_definition
from consult.templating import local_time
from consult.timeutil import utcnow
from tests.consult.test_submit import token_from
from tests.factories import survey_definition

URL = "/s/keep-it-local"
CODE = re.compile(r'class="kil-reference">([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})<')
# Pages of keep-it-local.yaml by position, with an organisation's valid answers.
ORGANISATION = {
    1: {"respondent_type": "charity"}, 2: {"capacity": "organisation"}, 3: {"organisation_name": "Hilltop Trust"},
    4: {"organisation_type": "charity"}, 5: {"organisation_income": "under_10k"}, 6: {"organisation_areas": ["leeds"]},
    8: {"barriers": ["contract_scale"]}, 9: {"barriers_detail": "Contracts bundle three boroughs."},
    10: {"what_works": "Grants of three years."},
    **{10 + n: {f"principle_{n}_agreement": "agree", f"principle_{n}_why": f"Reason {n}."} for n in range(1, 7)},
    17: {"good_practice": "Preston."}, 18: {"value_evidence": "Our evaluation."}, 19: {"anything_else": "No."},
    20: {"publish_consent": "with_name"}, 21: {"respondent_name": "Sam Okafor"}, 22: {"contact_consent": "yes"},
    23: {"contact_email": "sam@example.org"},
}


@pytest.fixture
def kil(app, kil_definition):
    """Keep it Local, open now whatever the date."""
    now = utcnow()
    definition = dict(kil_definition, opens=(now - timedelta(days=1)).isoformat() + "Z",
                      closes=(now + timedelta(days=30)).isoformat() + "Z")
    return load_definition(definition, open_survey=True).survey


def post(client, number, data, **query):
    suffix = "?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""
    return client.post(f"{URL}/page/{number}{suffix}", data=data)


def answer(client, numbers):
    client.post(f"{URL}/start")
    for number in numbers:
        response = post(client, number, ORGANISATION[number])
        assert response.status_code == 302, (number, response.get_data(as_text=True)[:1000])


def save_for_later(client, number, data) -> str:
    response = post(client, number, {**data, "action": "save"})
    assert response.status_code == 303 and response.location.endswith(f"{URL}/save")
    return CODE.search(client.get(f"{URL}/save").get_data(as_text=True)).group(1)


def send(client) -> str:
    """Accept and send from check answers; the response's reference."""
    token = token_from(client.get(f"{URL}/check").get_data(as_text=True))
    return client.post(f"{URL}/submit", data={"submission_token": token}).location.rsplit("/", 1)[1]


def resume_elsewhere(app, code):
    """A new browser (no cookies) entering the resume code: returns it and where it was sent."""
    other = app.test_client()
    response = other.post(f"{URL}/resume", data={"code": code})
    assert response.status_code == 302
    return other, response.location


def test_resume_elsewhere_opens_the_page_after_the_last_one_saved(app, client, kil):
    answer(client, [1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13])
    code = save_for_later(client, 14, ORGANISATION[14])  # principle 4
    other, location = resume_elsewhere(app, code)
    # Principle 5, not the consent page (the first with a required question unanswered).
    assert location.endswith(f"{URL}/page/15")
    page = other.get(location).get_data(as_text=True)
    assert "Principle 5: Commit to the community" in page and "Your answers have been restored" in page
    assert post(other, 15, ORGANISATION[15]).location.endswith(f"{URL}/page/16")


def test_resume_after_saving_on_check_answers_opens_check_answers(app, client, kil):
    answer(client, sorted(ORGANISATION))
    post(client, 3, {"organisation_name": "Hilltop Community Trust"}, **{"return": "check"})  # a Change link
    assert client.post(f"{URL}/save", data={"at_check": "1"}).status_code == 303
    code = CODE.search(client.get(f"{URL}/save").get_data(as_text=True)).group(1)
    _other, location = resume_elsewhere(app, code)
    assert location.endswith(f"{URL}/check")


def test_save_for_later_keeps_an_unanswered_first_page_and_shows_its_error_on_return(app, client, kil):
    client.post(f"{URL}/start")
    code = save_for_later(client, 1, {})
    assert "We saved them as you entered them" in client.get(f"{URL}/save").get_data(as_text=True)
    other, location = resume_elsewhere(app, code)
    assert location.endswith(f"{URL}/page/1")
    page = other.get(location)
    assert page.status_code == 200
    assert "There is a problem" in page.get_data(as_text=True)
    assert "Select an answer: which of these best describes you" in page.get_data(as_text=True)
    assert post(other, 1, ORGANISATION[1]).location.endswith(f"{URL}/page/2")


def test_save_for_later_keeps_an_over_long_answer_to_trim_later(app, client, kil):
    answer(client, [1, 2, 3, 4, 5, 6, 8])
    too_long = "Our youth service lost its grant. " * 91 + "x" * 6  # 3,100 characters
    assert len(too_long) == 3100
    assert post(client, 9, {"barriers_detail": too_long}).status_code == 400  # Continue still checks it
    code = save_for_later(client, 9, {"barriers_detail": too_long})
    assert client.get(f"{URL}/check").location.endswith(f"{URL}/page/9")  # it must be trimmed before sending

    other, location = resume_elsewhere(app, code)
    assert location.endswith(f"{URL}/page/9")
    page = other.get(location).get_data(as_text=True)
    assert too_long in page
    assert "Your answer must be 3,000 characters or fewer" in page
    assert post(other, 9, {"barriers_detail": too_long[:3000]}).location.endswith(f"{URL}/page/10")
    assert db.session.scalar(db.select(Draft.unsaved)) is None
    assert other.get(f"{URL}/page/9").get_data(as_text=True).count("There is a problem") == 0


def test_going_back_after_sending_says_it_was_sent_with_its_reference(client, kil):
    answer(client, sorted(ORGANISATION))
    reference = send(client)
    for back in (f"{URL}/check", f"{URL}/page/23"):
        page = client.get(back)
        text = page.get_data(as_text=True)
        assert page.status_code == 200 and "You have already sent your response" in text
        assert reference in text and "We could not find your answers" not in text
        assert f"{URL}/confirmation/{reference}" in text


def test_a_survey_closed_early_says_when_it_closed(app, client, kil):
    change_state(kil, SurveyState.CLOSED)
    assert kil.closed_at is not None and kil.closed_at < kil.closes_at
    closed = local_time(kil.closed_at)
    for path in (f"{URL}/", f"{URL}/resume", f"{URL}/page/1"):
        text = client.get(path).get_data(as_text=True)
        assert f"closed on {closed.day} {closed:%B %Y} at " in text, path
        assert f"{local_time(kil.closes_at).day} {local_time(kil.closes_at):%B %Y}" not in text
    change_state(kil, SurveyState.OPEN)  # reopened: the early close is forgotten
    assert kil.closed_at is None and kil.closed_time is None


def test_other_needs_a_description(client, kil):
    client.post(f"{URL}/start")
    response = post(client, 1, {"respondent_type": "other", "respondent_type__other": "  "})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert '<a href="#respondent_type__other">Tell us how you would describe yourself</a>' in page
    assert post(client, 1, {"respondent_type": "other",
                            "respondent_type__other": "Parish clerk"}).location.endswith("/page/2")
    answer(client, [2, 3, 4, 5, 6])
    response = post(client, 8, {"barriers": ["other"]})  # multiple choice: "Something else" too
    assert "Tell us what else gets in the way" in response.get_data(as_text=True)


def test_organisation_only_consent_is_offered_only_to_organisations(app, client, kil):
    client.post(f"{URL}/start")
    post(client, 1, {"respondent_type": "member_of_public"})
    post(client, 2, {"capacity": "individual"})
    page = client.get(f"{URL}/page/20").get_data(as_text=True)
    assert "organisation’s name and type only" not in page and "Yes, publish and quote it anonymously" in page
    response = post(client, 20, {"publish_consent": "organisation_only"})
    assert response.status_code == 400 and "Not a valid choice" in response.get_data(as_text=True)

    organisation = app.test_client()
    answer(organisation, [1, 2])
    assert "organisation’s name and type only" in organisation.get(f"{URL}/page/20").get_data(as_text=True)
    assert post(organisation, 20, {"publish_consent": "organisation_only"}).status_code == 302
    # Changed to an individual: the choice is withdrawn, and the consent question is asked again.
    assert post(organisation, 2, {"capacity": "individual"}, **{"return": "check"}).location.endswith(
        f"{URL}/page/20?return=check")
    assert "Not a valid choice" not in organisation.get(f"{URL}/page/20").get_data(as_text=True)


def test_a_choice_condition_must_name_a_question_on_an_earlier_page():
    definition = survey_definition()
    definition["pages"][0]["questions"][0]["choices"][0]["show_if"] = {"question": "publish", "equals": "x"}
    with pytest.raises(DefinitionError, match="choice 'individual' of 'capacity' has a show_if referring to 'publish'"):
        check_definition(definition)
    definition = survey_definition()
    definition["pages"][9]["questions"][0]["choices"][0]["show_if"] = {"question": "capacity", "is": "x"}
    with pytest.raises(DefinitionError, match="show_if"):
        check_definition(definition)


def test_every_optional_question_says_optional(client, kil):
    answer(client, [1, 2])
    unanswered = []
    for page in kil.current_version.pages:
        html = client.get(f"{URL}/page/{page.position}").get_data(as_text=True)
        for q in page.questions:
            if q.required or f'name="{q.key}' not in html:
                continue
            title = re.escape(q.title)
            if not re.search(rf"{title} \(optional\)</(label|h1|legend)>", html):
                unanswered.append(f"page {page.position}: {q.key}")
    assert unanswered == []


def steps_shown(html: str) -> tuple[int, int]:
    step, steps = re.search(r"step (\d+) of about (\d+)", html).groups()
    return int(step), int(steps)


@pytest.mark.parametrize("path", [
    [1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23],
    [1, 2, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 22],
])
def test_the_step_count_goes_up_one_page_at_a_time_and_its_total_never_rises(client, kil, path):
    answers = {**ORGANISATION, 2: {"capacity": "organisation" if 3 in path else "individual"},
               7: {"local_authority": "leeds"}, 20: {"publish_consent": "with_name" if 21 in path else "anonymous"},
               22: {"contact_consent": "yes" if 23 in path else "no"}}
    client.post(f"{URL}/start")
    shown = []
    for number in path:
        shown.append(steps_shown(client.get(f"{URL}/page/{number}").get_data(as_text=True)))
        post(client, number, answers[number])
    assert [step for step, _ in shown] == list(range(1, len(path) + 1))
    totals = [total for _, total in shown]
    assert totals == sorted(totals, reverse=True)
    # With every answer given, the count is exact.
    assert steps_shown(client.get(f"{URL}/page/{path[-1]}").get_data(as_text=True)) == (len(path), len(path))


def test_times_are_shown_in_the_survey_time_zone(app, client, kil_definition):
    definition = dict(kil_definition, opens="2026-01-01T09:00:00Z", closes="2099-07-31T22:59:00Z")
    load_definition(definition, open_survey=True)
    assert "closes on 31 July 2099 at 11:59pm BST" in client.get(f"{URL}/").get_data(as_text=True)
    definition = dict(definition, version=definition["version"] + 1, time_zone="America/New_York")
    load_definition(definition)
    assert "closes on 31 July 2099 at 6:59pm EDT" in client.get(f"{URL}/").get_data(as_text=True)
    with pytest.raises(DefinitionError, match="time_zone: 'Mars/Olympus' is not a time zone"):
        check_definition(dict(definition, time_zone="Mars/Olympus"))


def test_the_start_page_names_the_consultation_once_in_its_title(client, kil):
    html = client.get(f"{URL}/").get_data(as_text=True)
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()
    assert title == "Keep it Local: how councils should commission local services"
    page = client.get(f"{URL}/resume").get_data(as_text=True)
    assert "<title>Continue your response – Keep it Local: how councils" in page


def test_the_confirmation_says_each_thing_once_and_the_receipt_pdf_is_compact(client, kil):
    answer(client, sorted(ORGANISATION))
    reference = send(client)
    html = client.get(f"{URL}/confirmation/{reference}").get_data(as_text=True)
    text = re.sub(r"<[^>]+>", " ", html).lower()
    assert text.count("keep your reference") + text.count("keep your response reference") == 1
    assert text.count("received your response") == 1
    pdf = PdfReader(io.BytesIO(client.get(f"{URL}/receipt/{reference}.pdf").data))
    # 32 answers, most of them short: two A4 pages (it was four, mostly empty).
    assert len(pdf.pages) <= 2, len(pdf.pages)
    assert "Reason 6." in pdf.pages[-1].extract_text()


def test_a_receipt_with_long_answers_fills_its_pages(client, kil):
    """Long answers run on over pages: none is left mostly empty before an answer too long to fit below."""
    long = {9: {"barriers_detail": "Our youth service lost its grant when three boroughs were bundled. " * 44},
            10: {"what_works": "Three-year grants with light reporting let us plan and keep staff. " * 44},
            17: {"good_practice": "Preston's community wealth building kept spending local for years. " * 44}}
    client.post(f"{URL}/start")
    for number in sorted(ORGANISATION):
        assert post(client, number, long.get(number, ORGANISATION[number])).status_code == 302
    reference = send(client)
    pages = PdfReader(io.BytesIO(client.get(f"{URL}/receipt/{reference}.pdf").data)).pages
    assert len(pages) <= 4
    assert all(filled(page) > 0.85 for page in pages[:-1]), [filled(page) for page in pages]


def filled(page) -> float:
    """How far down the page its text reaches, from 0 (empty) to 1 (to the bottom margin), footer aside."""
    lowest = []

    def visit(text, _cm, tm, _font, _size):
        if text.strip() and not re.fullmatch(r"Page \d+ of \d+", text.strip()):
            lowest.append(tm[5])

    page.extract_text(visitor_text=visit)
    top, bottom = float(page.mediabox.top), float(page.mediabox.bottom)
    margin = 20 / 25.4 * 72  # 20mm, receipt.css's @page margin
    return (top - margin - min(lowest)) / (top - bottom - 2 * margin)

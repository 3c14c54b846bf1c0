"""The survey as respondents use it (issue 15), in Chromium with JavaScript on, each carried a step past the page
that changed: resuming in another browser where they left off, saving answers that do not pass their checks,
"Other" described, the council filter, choices offered by earlier answers, the step count, going back after
sending, a survey closed early, and the receipt. Then the changed pages again without JavaScript.

Pages visited are checked by axe-core (WCAG 2.2 AA). Journeys share their setup: one browser context answers,
another resumes with the code, and carries on to the end.
"""
from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.conftest import SHORT_SURVEY_PAGES
from tests.browser.helpers import axe_violations, format_violations
from tests.consult.test_respondent_journey import filled

pytestmark = pytest.mark.browser

KIL = "/s/keep-it-local"
TITLE = "Keep it Local: how councils should commission local services"
CODE = re.compile(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}")
REFERENCE = re.compile(r"[A-Z]{3}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}")
AXE_CONTEXT = {"bypass_csp": True}
STEP = re.compile(r"step (\d+) of about (\d+)")


class Journey:
    """One respondent's pages: helpers for the moves they make, and axe-core run on the pages asked for."""

    def __init__(self, page, violations: list[str]):
        self.page, self.violations = page, violations
        self.steps: list[tuple[int, int]] = []

    def heading(self) -> str:
        return self.page.locator("h1").first.inner_text().strip()

    def check(self, label: str) -> None:
        self.violations.extend(axe_violations(self.page, label))

    def continue_(self) -> None:
        caption = self.page.locator(".kil-caption-step")
        if caption.count():
            self.steps.append(tuple(int(n) for n in STEP.search(caption.inner_text()).groups()))
        with self.page.expect_navigation():  # the next page (or this one with errors) before anything is read
            self.page.get_by_role("button", name="Continue", exact=True).click()

    def choose(self, label: str) -> None:
        self.page.get_by_label(label, exact=True).check()
        self.continue_()

    def save_for_later(self) -> str:
        self.page.get_by_role("button", name="Save and come back later").click()
        assert self.heading() == "Your answers have been saved"
        code = self.page.locator(".kil-reference").inner_text().strip()
        assert CODE.fullmatch(code)
        return code

    def errors(self) -> str:
        return self.page.locator(".kil-error-summary").inner_text()


def resume(open_page, violations, code: str, **context) -> Journey:
    """Another browser, with no cookies, coming back with the resume code."""
    journey = Journey(open_page(**context), violations)
    journey.page.goto(f"{KIL}/resume")
    journey.page.get_by_label("Enter your resume code").fill(code)
    journey.continue_()
    return journey


def start(open_page, violations, **context) -> Journey:
    journey = Journey(open_page(**context), violations)
    journey.page.goto(f"{KIL}/")
    assert journey.page.title() == TITLE  # named once
    journey.page.get_by_role("button", name="Start now").click()
    return journey


def assert_steps_count_up_and_total_never_rises(steps: list[tuple[int, int]]) -> None:
    assert [step for step, _ in steps] == list(range(steps[0][0], steps[0][0] + len(steps))), steps
    totals = [total for _, total in steps]
    assert totals == sorted(totals, reverse=True), steps


def test_an_individual_resumes_in_another_browser_after_the_page_they_saved(open_page):
    """Saved on principle 4: another browser opens principle 5, then goes on, and the consent page offers an
    individual no organisation's name to quote them by."""
    violations: list[str] = []
    first = start(open_page, violations, **AXE_CONTEXT)
    first.choose("Member of the public")
    first.choose("As an individual")
    assert first.heading() == "Which local authority area do you live or work in? (optional)"
    first.page.get_by_label("Which local authority area").select_option("leeds")
    first.continue_()
    for _ in range(3):  # barriers, and two long answers left blank
        first.continue_()
    for number in range(1, 4):
        assert first.heading().startswith(f"Principle {number}:")
        first.choose("Agree")
    assert first.heading().startswith("Principle 4:")
    first.page.get_by_label("Disagree", exact=True).check()
    first.page.get_by_label("Why do you say that?").fill("Prevention budgets are cut first.")
    code = first.save_for_later()

    second = resume(open_page, violations, code, **AXE_CONTEXT)
    assert second.heading() == "Principle 5: Commit to the community and proactively support local organisations"
    assert "Your answers have been restored" in second.page.locator(".kil-notification").inner_text()
    second.check("resumed on the page after the one saved")
    second.page.get_by_role("link", name="Back").click()  # principle 4 kept what was saved there
    assert second.heading().startswith("Principle 4:")
    assert second.page.get_by_label("Disagree", exact=True).is_checked()
    assert second.page.get_by_label("Why do you say that?").input_value() == "Prevention budgets are cut first."
    second.continue_()
    second.choose("Strongly agree")
    assert second.heading().startswith("Principle 6:")  # one step past
    second.continue_()
    for _ in range(3):  # evidence: optional
        assert second.heading().endswith("(optional)")
        second.continue_()

    assert second.heading() == "Can we publish or quote your response?"
    options = second.page.locator("input[name=publish_consent]")
    assert options.count() == 3
    assert second.page.get_by_text("organisation’s name and type only").count() == 0
    second.check("publication consent, individual")
    second.choose("Yes, publish and quote it anonymously")
    assert second.heading() == "Can we contact you about workshops on the principles?"
    assert_steps_count_up_and_total_never_rises(first.steps)
    assert_steps_count_up_and_total_never_rises(second.steps)
    assert first.steps[0] == (1, 22) and second.steps[-1][0] == 16
    assert not violations, format_violations(violations)


def test_an_organisation_saves_what_does_not_pass_its_checks_and_fixes_it_later(open_page):
    """Saved with page 1 unanswered, then with 3,100 characters to trim: each browser that resumes shows the
    errors, keeps the words, and the count agrees with the server about line breaks. On the way: "Other" needs
    describing, and the council filter hides councils. It ends with the receipt."""
    violations: list[str] = []
    first = start(open_page, violations, **AXE_CONTEXT)
    code = first.save_for_later()  # nothing answered yet
    assert "We saved them as you entered them" in first.page.locator("main").inner_text()
    first.check("saved, with answers to change")

    second = resume(open_page, violations, code, **AXE_CONTEXT)
    assert second.heading() == "Which of these best describes you?"
    assert "Select an answer: which of these best describes you" in second.errors()
    second.page.wait_for_function("() => document.activeElement.matches('.kil-error-summary')")
    second.check("resumed with the first page's error")
    second.choose("Other")  # without saying what
    assert second.errors().strip().endswith("Tell us how you would describe yourself")
    second.check("other, not described")
    second.page.get_by_label("Tell us how you would describe yourself").fill("Parish council clerk")
    second.continue_()
    assert second.heading() == "Are you responding as an individual or for an organisation?"
    second.choose("On behalf of an organisation")
    second.page.get_by_label("What is the name of your organisation?").fill("Riverside Community Trust")
    second.continue_()
    second.choose("Charity")
    second.choose("Under £10,000")

    assert second.heading() == "Which local authority areas does your organisation work in? (optional)"
    second.page.get_by_label("Filter councils by name").fill("hackn")
    hackney, camden = second.page.get_by_label("Hackney", exact=True), second.page.get_by_label("Camden", exact=True)
    expect(hackney).to_be_visible()
    expect(camden).to_be_hidden()
    expect(second.page.get_by_text("Wales (22 councils)")).to_be_hidden()
    expect(second.page.locator(".kil-filter__status")).to_have_text("1 council matches")
    visible = second.page.locator(".kil-checkboxes__item:visible")
    assert visible.count() == 1
    second.check("council filter, one match")
    hackney.check()
    second.page.get_by_label("Filter councils by name").fill("")
    expect(camden).to_be_visible()
    second.continue_()
    assert second.heading().startswith("What gets in the way")  # one step past
    second.continue_()

    assert second.heading() == "Tell us more about what gets in the way (optional)"
    box = second.page.get_by_label("Tell us more about what gets in the way")
    too_long = ("Our youth service lost its grant when three boroughs were bundled together. " * 41)[:3100]
    box.fill(too_long)
    code = second.save_for_later()

    third = resume(open_page, violations, code, **AXE_CONTEXT)
    assert third.heading() == "Tell us more about what gets in the way (optional)"
    assert "Your answer must be 3,000 characters or fewer" in third.errors()
    box = third.page.get_by_label("Tell us more about what gets in the way")
    assert box.input_value() == too_long
    counter = third.page.locator("#barriers_detail-info")
    expect(counter).to_have_text("You have 100 characters too many")
    third.check("resumed with an answer to trim")
    # 2,990 characters and 10 line breaks: 3,000 on both sides (the browser sends each break as CRLF).
    box.fill("\n".join([too_long[:299]] * 10) + "\n")
    expect(counter).to_have_text("You have 0 characters remaining", timeout=3000)
    third.continue_()
    assert third.heading() == "What helps local organisations deliver local services well? (optional)"

    for _ in range(10):  # what works, six principles, three evidence pages: optional
        third.continue_()
    assert third.heading() == "Can we publish or quote your response?"
    third.choose("Yes, quote it with my organisation’s name and type only")
    third.choose("No, do not contact me")
    assert third.heading() == "Check your answers before sending your response"
    assert "Other: Parish council clerk" in third.page.locator("main").inner_text()
    third.page.get_by_role("button", name="Accept and send").click()
    assert third.heading() == "Response sent"
    main = third.page.locator("main").inner_text()
    assert main.lower().count("keep your reference") == 1
    assert re.search(r"We received your response on \d+ \w+ \d{4} at \d+:\d\d[ap]m (GMT|BST)\.", main)
    link = third.page.get_by_role("link", name="Download your answers as a PDF")
    receipt = third.page.request.get(link.get_attribute("href"), timeout=60_000)  # with this browser's cookies
    assert receipt.ok and receipt.headers["content-type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(receipt.body()))
    assert "Riverside Community Trust" in pdf.pages[0].extract_text()
    assert len(pdf.pages) <= 3 and all(filled(page) > 0.85 for page in pdf.pages[:-1])  # none mostly empty
    assert_steps_count_up_and_total_never_rises(third.steps)
    assert not violations, format_violations(violations)


@pytest.fixture(scope="module")
def closed_early(live_server, database_url):
    """A survey closed by staff weeks before its closing date; its local closing time."""
    from consult import create_app
    from consult.extensions import db
    from consult.surveys.models import SurveyState
    from consult.surveys.services import change_state, load_definition
    from consult.templating import local_time
    from tests.factories import survey_definition

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        survey = load_definition(survey_definition("closed-early", pages=SHORT_SURVEY_PAGES, closes_days=40),
                                 open_survey=True).survey
        change_state(survey, SurveyState.CLOSED)
        closed = local_time(survey.closed_at)
        db.session.remove()
        db.engine.dispose()
    return closed


def closed_on(moment) -> str:
    hour = moment.hour % 12 or 12
    return f"closed on {moment.day} {moment:%B %Y} at {hour}:{moment:%M}{'am' if moment.hour < 12 else 'pm'}"


def test_going_back_after_sending_and_a_survey_closed_early(open_page, closed_early):
    violations: list[str] = []
    journey = Journey(open_page(**AXE_CONTEXT), violations)
    page = journey.page
    page.goto("/s/short-survey/")
    assert page.title() == "Test consultation short-survey"
    page.get_by_role("button", name="Start now").click()
    journey.choose("As an individual")
    journey.continue_()
    journey.continue_()
    journey.choose("Yes, anonymously")
    page.get_by_role("button", name="Accept and send").click()
    reference = page.locator(".kil-reference").inner_text().strip()

    page.go_back()  # to check answers: the response has gone, with its reference
    assert journey.heading() == "You have already sent your response"
    assert reference in page.locator("main").inner_text()
    journey.check("already sent")
    page.get_by_role("link", name="See your confirmation and a copy of your answers").click()
    assert journey.heading() == "Response sent" and page.locator(".kil-reference").inner_text().strip() == reference

    page.goto("/s/closed-early/")
    text = page.locator("main").inner_text()
    assert closed_on(closed_early) in text and closed_early.tzname() in text
    journey.check("closed early, start page")
    page.goto("/s/closed-early/resume")
    assert closed_on(closed_early) in page.locator("main").inner_text()
    assert not violations, format_violations(violations)


def test_the_changed_pages_without_javascript(open_page, closed_early):
    violations: list[str] = []
    first = Journey(open_page(java_script_enabled=False), violations)
    first.page.goto("/s/short-survey/")
    first.page.get_by_role("button", name="Start now").click()
    first.page.get_by_role("button", name="Save and come back later").click()  # unanswered
    code = first.page.locator(".kil-reference").inner_text().strip()

    second = Journey(open_page(java_script_enabled=False), violations)
    second.page.goto("/s/short-survey/resume")
    second.page.get_by_label("Enter your resume code").fill(code)
    second.continue_()
    assert second.heading() == "How are you responding?"
    assert "Select an answer: how are you responding" in second.errors()
    second.choose("For an organisation")
    assert second.heading() == "Tell us more (optional)"
    assert second.page.locator("#story-info").inner_text() == "You can enter up to 50 characters"
    second.page.get_by_label("Tell us more").fill("Lunch club\n" * 4 + "Soup")  # 48 with breaks as one, 52 as CRLF
    second.continue_()
    assert second.heading() == "Which areas do you serve? (optional)"
    assert second.page.locator(".kil-filter").count() == 0
    second.page.get_by_text("Wales (22 councils)").click()
    second.page.get_by_label("Cardiff", exact=True).check()
    second.continue_()
    second.choose("No")
    second.page.get_by_role("button", name="Accept and send").click()
    assert second.heading() == "Response sent"
    reference = second.page.locator(".kil-reference").inner_text().strip()
    assert REFERENCE.fullmatch(reference)
    second.page.go_back()
    assert second.heading() == "You have already sent your response"
    assert reference in second.page.locator("main").inner_text()

    second.page.goto("/s/closed-early/")
    assert closed_on(closed_early) in second.page.locator("main").inner_text()

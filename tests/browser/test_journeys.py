"""The Keep it Local consultation in a real browser: an organisation's journey checked by axe-core on every
page (errors, save, resume, check, confirmation and receipt included), an individual's journey using only the
keyboard, a journey without JavaScript, reflow at 320px, the CSP, and no request leaving the origin."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import (axe_violations, focus_is_visible, format_violations, is_button, is_field,
                                   is_link, option_problems, scroll_width, tab_to)

pytestmark = pytest.mark.browser

START = "/s/keep-it-local/"
REFERENCE = re.compile(r"KIL-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}")
CODE = re.compile(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}")
# axe's inline script (see helpers.axe_violations) needs the page's CSP bypassed; the CSP itself is
# checked without bypass in test_pages_send_a_strict_csp_that_lets_own_scripts_run.
AXE_CONTEXT = {"bypass_csp": True}


def heading(page) -> str:
    return page.locator("h1").first.inner_text().strip()


def continue_(page) -> None:
    page.get_by_role("button", name="Continue", exact=True).click()


def organisation_journey(page, visit) -> str:
    """Complete Keep it Local for an organisation; `visit(page, label)` runs on every page shown.

    Passes through a required question left empty, an over-long answer, "Save and come back later", the
    resume page with a wrong code and then the right one. Returns the response reference.
    """
    page.goto(START)
    visit(page, "start")
    page.get_by_role("button", name="Start now").click()

    assert heading(page) == "Which of these best describes you?"
    visit(page, "respondent type")
    continue_(page)  # a required question left empty
    assert page.locator(".kil-error-summary").is_visible()
    assert page.title().startswith("Error: ")
    visit(page, "respondent type, with an error")
    page.get_by_role("link", name="Select an answer: which of these best describes you").click()
    page.get_by_label("Other", exact=True).check()
    page.get_by_label("Tell us how you would describe yourself").fill("Community anchor organisation")
    continue_(page)

    visit(page, "capacity")
    page.get_by_label("On behalf of an organisation").check()
    continue_(page)

    visit(page, "organisation name")
    page.get_by_label("What is the name of your organisation?").fill("Hackney Community Trust")
    continue_(page)

    visit(page, "organisation type")
    page.get_by_label("Charity", exact=True).check()
    continue_(page)

    visit(page, "organisation income")
    page.get_by_label("£10,000 to £100,000").check()
    continue_(page)

    assert heading(page) == "Which local authority areas does your organisation work in? (optional)"
    visit(page, "council picker")
    page.get_by_text("London (33 councils)").click()
    page.get_by_label("Hackney", exact=True).check()
    page.get_by_text("Wales (22 councils)").click()
    page.get_by_label("Cardiff", exact=True).check()
    visit(page, "council picker, two regions open")
    continue_(page)

    visit(page, "barriers")
    page.get_by_label("Contracts are too large for local organisations").check()
    page.get_by_label("Contracts are decided mainly on lowest price").check()
    page.get_by_label("Something else").check()
    page.get_by_label("Tell us what else gets in the way").fill("Councils rarely talk to us before tendering")
    continue_(page)

    visit(page, "barriers detail")
    box = page.get_by_label("Tell us more about what gets in the way")
    box.fill("x" * 3001)  # one over the limit
    continue_(page)
    assert "Your answer must be 3,000 characters or fewer" in page.locator(".kil-error-summary").inner_text()
    visit(page, "barriers detail, too long")
    box.fill("Our youth service lost its grant when the council bundled three boroughs into one contract.")
    continue_(page)

    visit(page, "what works")
    page.get_by_label("What helps local organisations deliver local services well?").fill("Grants of three years.")
    continue_(page)

    for number, choice in zip(range(1, 7), ["Strongly agree", "Agree", "Neither agree nor disagree", "Disagree",
                                            "Strongly disagree", "Don’t know"]):
        assert heading(page).startswith(f"Principle {number}:")
        visit(page, f"principle {number}")
        page.get_by_label(choice, exact=True).check()
        if number == 1:
            page.get_by_label("Why do you say that?").fill("People’s needs cross service boundaries.")
        continue_(page)

    visit(page, "good practice")
    page.get_by_label("Do you know of any good examples").fill("Preston’s community wealth building.")
    continue_(page)
    visit(page, "value evidence")
    page.goto("/s/keep-it-local/save")  # the save page before a code is given
    assert heading(page) == "Save your answers and come back later"
    visit(page, "save, before a code")
    page.go_back()
    continue_(page)

    visit(page, "anything else")
    page.get_by_role("button", name="Save and come back later").click()
    assert heading(page) == "Your answers have been saved"
    visit(page, "saved, with a resume code")
    code = page.locator(".kil-reference").inner_text().strip()
    assert CODE.fullmatch(code)
    page.get_by_role("link", name="Continue your response now").click()

    visit(page, "resume")
    page.get_by_label("Enter your resume code").fill("AAAA-BBBB-CCCC")
    continue_(page)
    assert "That code does not match" in page.locator(".kil-error-summary").inner_text()
    visit(page, "resume, with a wrong code")
    page.get_by_label("Enter your resume code").fill(code.lower())
    continue_(page)
    assert "Your answers have been restored" in page.locator(".kil-notification").inner_text()

    assert heading(page) == "Can we publish or quote your response?"
    visit(page, "publication consent")
    page.get_by_label("Yes, publish and quote it with my name").check()
    continue_(page)
    visit(page, "name to quote")
    page.get_by_label("What name should we use?").fill("Sam Okafor")
    continue_(page)
    visit(page, "contact consent")
    page.get_by_label("Yes, you can contact me").check()
    continue_(page)
    visit(page, "contact email")
    page.get_by_label("What is your email address?").fill("sam@example.org")
    continue_(page)

    assert heading(page) == "Check your answers before sending your response"
    visit(page, "check answers")
    answers = page.locator("main").inner_text()
    for text in ("Hackney Community Trust", "Other: Community anchor organisation", "Hackney", "Cardiff",
                 "Something else: Councils rarely talk to us before tendering", "Sam Okafor", "sam@example.org"):
        assert text in answers
    # Six principles ask the same two questions: each answer and each Change link must still say which.
    changes = page.locator(".kil-summary-list__actions a").all_inner_texts()
    assert len(changes) > 20 and len(set(changes)) == len(changes), "Change links with the same text"
    assert "Principle 3: Increase local spend to invest in the local economy, Why do you say that?" in " ".join(changes)
    page.get_by_role("button", name="Accept and send").click()

    assert heading(page) == "Response sent"
    reference = page.locator(".kil-reference").inner_text().strip()
    assert REFERENCE.fullmatch(reference)
    visit(page, "confirmation")
    pdf = page.get_by_role("link", name="Download your answers as a PDF")
    assert pdf.get_attribute("href").endswith(f"/receipt/{reference}.pdf")
    page.get_by_role("link", name="View your answers").click()
    assert heading(page) == "Your response to Keep it Local: how councils should commission local services"
    assert reference in page.locator("main").inner_text()
    visit(page, "receipt")
    return reference


def test_organisation_journey_has_no_axe_violations(open_page):
    page = open_page(**AXE_CONTEXT)
    violations: list[str] = []
    visited: list[str] = []

    def visit(page, label):
        visited.append(label)
        violations.extend(axe_violations(page, label))
        violations.extend(option_problems(page, label))

    reference = organisation_journey(page, visit)
    assert REFERENCE.fullmatch(reference)
    assert len(visited) >= 30
    assert not violations, format_violations(violations)
    # Every request (pages, form posts, CSS, the script) went to the live server and nowhere else.
    requests = open_page.requests()
    assert any(url.endswith("/static/css/consult.css") for url in requests)
    assert any(url.endswith("/static/js/enhance.js") for url in requests)
    assert open_page.foreign_requests() == []


def test_every_page_reflows_at_320px(open_page):
    page = open_page(viewport={"width": 320, "height": 640})
    too_wide: list[str] = []

    def visit(page, label):
        width = scroll_width(page)
        if width > 320:
            too_wide.append(f"{label} ({page.url}): scrollWidth {width}")
        too_wide.extend(option_problems(page, label))

    organisation_journey(page, visit)
    # The individual's own page: a single council chosen from a long select.
    page.goto(START)
    page.get_by_role("button", name="Start now").click()
    page.get_by_label("Member of the public").check()
    continue_(page)
    page.get_by_label("As an individual").check()
    continue_(page)
    assert heading(page) == "Which local authority area do you live or work in? (optional)"
    page.get_by_label("Which local authority area do you live or work in?").select_option("newcastle-upon-tyne")
    visit(page, "council select")
    assert not too_wide, "pages do not fit 320px:\n" + "\n".join(too_wide)


def press(page, key: str) -> None:
    """Press a key that submits a form or follows a link, and wait for the next page."""
    with page.expect_navigation():
        page.keyboard.press(key)


def continue_by_keyboard(page) -> None:
    tab_to(page, is_button("Continue"))
    press(page, "Enter")


def checked(page, name: str) -> list[str]:
    return page.evaluate("(name) => [...document.getElementsByName(name)].filter(e => e.checked).map(e => e.value)",
                         name)


def test_individual_journey_by_keyboard_only(open_page):
    """Tab, Shift+Tab, Space, Enter, arrows and typing only: no clicks, no fill()."""
    page = open_page(**AXE_CONTEXT)
    violations: list[str] = []

    def visit(label):
        violations.extend(axe_violations(page, label))

    page.goto(START)
    tab_to(page, is_button("Start now"))
    assert focus_is_visible(page), "the focused start button shows no focus indicator"
    press(page, "Enter")

    assert heading(page) == "Which of these best describes you?"
    radio = tab_to(page, is_field("respondent_type", "radio"))
    assert radio["value"] == "commissioner"
    assert focus_is_visible(page), "the focused radio shows no focus indicator"
    for _ in range(7):  # arrows move through the group, selecting as they go
        page.keyboard.press("ArrowDown")
    assert checked(page, "respondent_type") == ["member_of_public"]
    tab_to(page, is_button("Save and come back later"))
    assert focus_is_visible(page)
    tab_to(page, is_button("Continue"), backwards=True)
    assert focus_is_visible(page)
    press(page, "Enter")

    assert heading(page) == "Are you responding as an individual or for an organisation?"
    visit("capacity")
    tab_to(page, is_field("capacity", "radio"))
    page.keyboard.press("Space")
    assert checked(page, "capacity") == ["individual"]
    continue_by_keyboard(page)

    assert heading(page) == "Which local authority area do you live or work in? (optional)"
    visit("council select")
    tab_to(page, is_field("local_authority"))
    assert focus_is_visible(page)
    page.keyboard.type("Leeds")  # type-ahead on the closed select
    assert page.evaluate("() => document.activeElement.value") == "leeds"
    continue_by_keyboard(page)

    assert heading(page).startswith("What gets in the way")
    tab_to(page, is_field("barriers", "checkbox"))
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    tab_to(page, lambda el: el["name"] == "barriers" and el["value"] == "other")
    page.keyboard.press("Space")
    tab_to(page, is_field("barriers__other"))
    page.keyboard.type("No one answers our emails")
    assert checked(page, "barriers") == ["contract_scale", "price_competition", "other"]
    continue_by_keyboard(page)

    assert heading(page) == "Tell us more about what gets in the way (optional)"
    tab_to(page, is_field("barriers_detail"))
    page.keyboard.type("Three small grants ended at once.")
    # The count is announced once typing pauses (about half a second), as GOV.UK's component does.
    expect(page.locator("#barriers_detail-info")).to_have_text("You have 2,967 characters remaining", timeout=3000)
    visit("long text, being typed")
    continue_by_keyboard(page)

    assert heading(page) == "What helps local organisations deliver local services well? (optional)"
    continue_by_keyboard(page)  # optional: left blank

    for number in range(1, 7):
        assert heading(page).startswith(f"Principle {number}:")
        tab_to(page, is_field(f"principle_{number}_agreement", "radio"))
        page.keyboard.press("Space" if number == 1 else "ArrowDown")
        if number == 2:
            tab_to(page, is_field("principle_2_why"))
            page.keyboard.type("Neighbourhoods are where people live.")
        continue_by_keyboard(page)
    assert heading(page) == "Do you know of any good examples of councils commissioning local organisations? (optional)"

    for _ in range(3):  # good practice, value evidence, anything else: optional
        assert page.locator("textarea").count() == 1
        continue_by_keyboard(page)

    assert heading(page) == "Can we publish or quote your response?"
    tab_to(page, is_field("publish_consent", "radio"))
    page.keyboard.press("ArrowDown")  # an individual is not offered "my organisation's name and type only"
    assert checked(page, "publish_consent") == ["anonymous"]
    continue_by_keyboard(page)

    assert heading(page) == "Can we contact you about workshops on the principles?"
    tab_to(page, is_field("contact_consent", "radio"))
    page.keyboard.press("ArrowDown")
    assert checked(page, "contact_consent") == ["no"]
    continue_by_keyboard(page)

    assert heading(page) == "Check your answers before sending your response"
    answers = page.locator("main").inner_text()
    for text in ("Member of the public", "As an individual", "Leeds", "Something else: No one answers our emails",
                 "Three small grants ended at once.", "Neighbourhoods are where people live.",
                 "Yes, publish and quote it anonymously", "No, do not contact me"):
        assert text in answers
    tab_to(page, lambda el: el["tag"] == "a" and el["text"].startswith("Change")
           and "local authority area" in el["text"])
    assert focus_is_visible(page)
    press(page, "Enter")
    assert heading(page) == "Which local authority area do you live or work in? (optional)"
    tab_to(page, is_field("local_authority"))
    page.keyboard.type("Cardiff")
    tab_to(page, is_button("Save and return to your answers"))
    press(page, "Enter")

    assert heading(page) == "Check your answers before sending your response"
    assert "Cardiff" in page.locator("main").inner_text()
    visit("check answers, individual")
    tab_to(page, is_button("Accept and send"))
    assert focus_is_visible(page)
    press(page, "Enter")

    assert heading(page) == "Response sent"
    assert REFERENCE.fullmatch(page.locator(".kil-reference").inner_text().strip())
    tab_to(page, is_link("View your answers"))
    press(page, "Enter")
    assert "Cardiff" in page.locator("main").inner_text()
    assert not violations, format_violations(violations)


def test_short_survey_without_javascript(open_page):
    page = open_page(java_script_enabled=False)
    page.goto("/s/short-survey/")
    page.get_by_role("button", name="Start now").click()

    assert heading(page) == "How are you responding?"
    continue_(page)
    assert "Select an answer: how are you responding" in page.locator(".kil-error-summary").inner_text()
    page.get_by_label("For an organisation").check()
    continue_(page)

    assert heading(page) == "Tell us more (optional)"
    # Without the script the character count stays a plain hint, and the server enforces the limit.
    assert page.locator("#story-info").inner_text() == "You can enter up to 50 characters"
    page.get_by_label("Tell us more").fill("y" * 51)
    continue_(page)
    assert "Your answer must be 50 characters or fewer" in page.locator(".kil-error-summary").inner_text()
    page.get_by_label("Tell us more").fill("We run a lunch club.")
    continue_(page)

    assert heading(page) == "Which areas do you serve? (optional)"
    assert page.locator(".kil-filter").count() == 0  # the filter box is added by JavaScript only
    page.get_by_text("London (33 councils)").click()  # <details> opens without JavaScript
    page.get_by_label("Hackney", exact=True).check()
    continue_(page)

    assert heading(page) == "May we publish your response?"
    page.get_by_label("No", exact=True).check()
    continue_(page)

    assert heading(page) == "Check your answers before sending your response"
    assert "Hackney" in page.locator("main").inner_text()
    page.get_by_role("button", name="Accept and send").click()
    assert heading(page) == "Response sent"
    assert re.fullmatch(r"TST-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", page.locator(".kil-reference").inner_text().strip())


def test_pages_send_a_strict_csp_that_lets_own_scripts_run(open_page):
    """Without bypass_csp: the header is there, the app's own script runs, and nothing breaks the policy."""
    page = open_page()
    problems: list[str] = []

    # (Other console errors are expected: the 400 of a page with errors, the 404 of /favicon.ico.)
    page.on("console", lambda message: problems.append(message.text)
            if "Content Security Policy" in message.text else None)
    page.on("pageerror", lambda error: problems.append(str(error)))

    response = page.goto(START)
    csp = response.headers.get("content-security-policy", "")
    for directive in ("default-src 'none'", "script-src 'self'", "style-src 'self'", "form-action 'self'",
                      "frame-ancestors 'none'"):
        assert directive in csp
    assert "unsafe-inline" not in csp
    page.get_by_role("button", name="Start now").click()
    continue_(page)  # an error: enhance.js (allowed by 'self') moves focus to the summary
    page.wait_for_function("() => document.activeElement.matches('.kil-error-summary')")

    assert problems == [], "the app's own pages broke their CSP or raised errors"

    with pytest.raises(Exception):  # an inline script, such as axe injected by add_script_tag, is refused
        page.add_script_tag(content="window.inlineRan = true")
    assert page.evaluate("() => window.inlineRan") is None
    assert len(problems) == 1 and "Content Security Policy" in problems[0]

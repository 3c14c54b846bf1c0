"""The survey completed in Welsh with JavaScript on, each page checked by axe-core, and the accessibility
statement in both languages."""
from __future__ import annotations

import re

import pytest

from tests.browser.helpers import axe_violations, format_violations

pytestmark = pytest.mark.browser

KIL = "/s/keep-it-local"
AXE_CONTEXT = {"bypass_csp": True}
REFERENCE = re.compile(r"KIL-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}")


def continue_(page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Parhau", exact=True).click()


def test_the_survey_completed_in_welsh(open_page):
    page = open_page(**AXE_CONTEXT)
    violations: list[str] = []
    page.goto(f"{KIL}/")
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("link", name="Cymraeg").click()  # the switch in the header
    assert page.locator("html").get_attribute("lang") == "cy"
    assert page.locator("h1").inner_text().startswith("Cadw’n Lleol")
    assert "aros i gael ei wirio gan siaradwr Cymraeg" in page.locator("main").inner_text()
    violations += axe_violations(page, "start (cy)")
    page.get_by_role("button", name="Dechrau nawr").click()

    page.get_by_label("Elusen", exact=True).check()
    violations += axe_violations(page, "respondent type (cy)")
    continue_(page)
    # A required question left unanswered: the error summary, in Welsh, has the focus.
    continue_(page)
    assert page.locator(".kil-error-summary").inner_text().startswith("Mae problem wedi codi")
    assert page.evaluate("() => document.activeElement.dataset.module") == "error-summary"
    assert page.title().startswith("Gwall:")
    violations += axe_violations(page, "capacity error (cy)")
    page.get_by_label("Fel unigolyn", exact=True).check()
    continue_(page)
    page.get_by_label(re.compile("Ym mha ardal awdurdod lleol")).select_option(label="Caerdydd")
    violations += axe_violations(page, "council (cy)")
    continue_(page)
    violations += axe_violations(page, "barriers (cy)")
    continue_(page)
    # The character count speaks Welsh (enhance.js takes its words from the page).
    box = page.locator("textarea")
    box.fill("Mae contractau mawr yn cau grwpiau bach allan.")
    page.wait_for_function("() => /nod yn weddill/.test(document.querySelector('.kil-character-count__message')"
                           ".textContent)")
    assert "Mae gennych 2,954 nod yn weddill" in page.locator(".kil-character-count__message").inner_text()
    violations += axe_violations(page, "long answer (cy)")
    while "Gawn ni gyhoeddi" not in page.locator("h1").inner_text():
        continue_(page)
    page.get_by_label("Cewch, cyhoeddwch a dyfynnwch ef yn ddienw").check()
    continue_(page)
    page.get_by_label("Na, peidiwch â chysylltu â mi").check()
    violations += axe_violations(page, "contact consent (cy)")
    continue_(page)

    assert page.locator("h1").inner_text() == "Gwiriwch eich atebion cyn anfon eich ymateb"
    main = page.locator("main").inner_text()
    assert "Elusen" in main and "Caerdydd" in main and "Mae contractau mawr" in main
    violations += axe_violations(page, "check answers (cy)")
    page.get_by_role("button", name="Derbyn ac anfon").click()
    assert page.locator("h1").inner_text() == "Ymateb wedi’i anfon"
    assert REFERENCE.search(page.locator(".kil-reference").inner_text())
    violations += axe_violations(page, "confirmation (cy)")
    page.get_by_role("link", name="Gweld eich atebion").click()
    assert page.locator("html").get_attribute("lang") == "cy"
    violations += axe_violations(page, "receipt (cy)")
    assert not violations, format_violations(violations)


def test_the_accessibility_statement_is_linked_from_the_footer_in_both_languages(open_page):
    page = open_page(**AXE_CONTEXT)
    violations: list[str] = []
    page.goto(f"{KIL}/")
    page.locator("footer").get_by_role("link", name="Accessibility statement").click()
    assert page.locator("h1").inner_text().startswith("Accessibility statement for Keep it Local")
    for heading in ("How accessible this website is", "Feedback and contact information", "Enforcement procedure",
                    "Preparation of this accessibility statement"):
        assert page.get_by_role("heading", name=heading).count() == 1
    violations += axe_violations(page, "statement (en)")
    page.get_by_role("link", name="Cymraeg").click()
    assert page.locator("html").get_attribute("lang") == "cy"
    assert page.locator("h1").inner_text().startswith("Datganiad hygyrchedd ar gyfer Cadw’n Lleol")
    violations += axe_violations(page, "statement (cy)")
    page.goto("/accessibility")
    violations += axe_violations(page, "site statement (cy)")
    assert not violations, format_violations(violations)

"""Publishing the outcome in a real browser, JavaScript on: a staff member publishes a version and one
moderated response; an anonymous visitor finds the outcome from the closed survey's page, opens the PDF and
the published responses; anything unpublished is not found. axe-core checks every page on the way.

The module's fixture seeds a survey of its own (the Keep it Local definition under another slug, so that
closing it leaves the other journeys alone), 30 coded responses and a first draft built by the service.
"""
from __future__ import annotations

import pytest

from tests.browser.helpers import axe_violations, format_violations
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

SLUG = "kil-outcome"
STAFF = ("lena.morris@example.org", "Lena Morris")
AXE_CONTEXT = {"bypass_csp": True}


@pytest.fixture(scope="module")
def seeded(live_server, database_url):
    from consult import create_app
    from consult.auth.models import Role
    from consult.auth.services import create_user
    from consult.extensions import db
    from consult.principles.services import build_version
    from consult.surveys.services import load_definition, read_definition
    from tests.browser.helpers import SURVEY_FILE
    from tests.consult.test_outcome import seed_coded_responses

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "JOBS_MODE": "inline"})
    with app.app_context():
        definition = read_definition(SURVEY_FILE) | {"slug": SLUG}
        survey = seed_coded_responses(load_definition(definition, open_survey=True).survey)
        create_user(*STAFF, PASSWORD, Role.STAFF)
        draft = build_version(survey, lambda *_: None)
        quote = draft.document["principles"][0]["quotes"][0]
        db.session.remove()
    return app, quote


def sign_in(page, email: str) -> None:
    page.goto("/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/workspace/**")


def test_publish_a_version_and_a_response_then_find_them_as_a_visitor(open_page, seeded):
    app, quote = seeded
    violations: list[str] = []

    staff = open_page(**AXE_CONTEXT)
    sign_in(staff, STAFF[0])
    staff.goto(f"/workspace/{SLUG}/principles/")
    staff.get_by_role("link", name="Publish", exact=True).click()
    assert staff.locator("h1").inner_text() == "Publish the outcome"
    violations += axe_violations(staff, "publish")
    staff.get_by_label("Version to publish").select_option("1")
    staff.get_by_label("What you did with the responses (optional)").fill(
        "We rewrote principle 3 and will publish the final principles in June.")
    staff.get_by_role("button", name="Publish this version").click()
    staff.wait_for_load_state("load")
    assert "Version 1 is published" in staff.locator(".kil-notification").inner_text()
    assert "Version 1 was published on" in staff.locator("main").inner_text()

    staff.get_by_role("link", name="Moderate responses").click()
    assert staff.locator("h1").inner_text() == "Moderate published responses"
    violations += axe_violations(staff, "moderation")
    first = staff.locator("section.kil-moderation").first
    who, reference = first.locator("h2").inner_text().rsplit(" (", 1)
    words = first.locator("dd").first.inner_text()
    held = staff.locator("section.kil-moderation").nth(1)
    held.get_by_label("Hold it back").check()
    held.get_by_role("button", name="Save the decision").click()  # no reason: refused, with a message
    staff.wait_for_load_state("load")
    assert "Give the reason for holding this response" in staff.locator(".kil-error-summary").inner_text()
    violations += axe_violations(staff, "moderation with an error")
    first = staff.locator("section.kil-moderation").first
    first.get_by_label("Publish it").check()
    first.get_by_role("button", name="Save the decision").click()
    staff.wait_for_load_state("load")
    assert "Response published." in staff.locator(".kil-notification").inner_text()
    assert "Published (1)" in staff.get_by_role("navigation", name="Responses by decision").inner_text()

    staff.goto(f"/workspace/{SLUG}/principles/compare")
    assert staff.locator("h1").inner_text() == "Compare two versions"
    violations += axe_violations(staff, "compare, one version")

    with app.app_context():
        from consult.surveys.models import SurveyState
        from consult.surveys.services import change_state, get_survey

        change_state(get_survey(SLUG), SurveyState.CLOSED)

    visitor = open_page(**AXE_CONTEXT)
    closed = visitor.goto(f"/s/{SLUG}/page/1")
    assert closed.status == 403 and visitor.locator("h1").inner_text() == "This consultation has closed"
    visitor.get_by_role("link", name="Read what we heard and what we did").click()
    visitor.wait_for_url(f"**/s/{SLUG}/outcome/")
    assert visitor.locator("h1").inner_text() == "What we heard and what we did"
    main = visitor.locator("main").inner_text()
    assert "Published on" in main and "We rewrote principle 3 and will publish the final principles in June." in main
    violations += axe_violations(visitor, "outcome")
    pdf_link = visitor.get_by_role("link", name="Download the report as a PDF")
    pdf = visitor.request.get(pdf_link.get_attribute("href"))
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")
    visitor.get_by_role("link", name="Read the report as a web page").click()
    visitor.wait_for_url(f"**/s/{SLUG}/outcome/report")
    report = visitor.locator("body").inner_text()
    assert "answer\u00a0" not in report and "Internal edition" not in report
    violations += axe_violations(visitor, "published report")
    visitor.go_back()
    visitor.get_by_role("link", name="Read the responses published with the permission of the people who sent them").click()
    visitor.wait_for_url(f"**/s/{SLUG}/outcome/responses")
    sections = visitor.locator("section.kil-published")
    assert sections.count() == 1 and sections.first.locator("h2").inner_text() == who
    assert words in sections.first.inner_text() and reference.rstrip(")") not in visitor.content()
    violations += axe_violations(visitor, "published responses")
    assert not violations, format_violations(violations)


def test_unpublished_material_is_not_found_by_visitors(open_page, seeded):
    app, _quote = seeded
    visitor = open_page()
    for path in ("/s/keep-it-local/outcome/", "/s/keep-it-local/outcome/report.pdf",
                 "/s/keep-it-local/outcome/responses", f"/s/{SLUG}/outcome/nothing-here"):
        assert visitor.goto(path).status == 404, path
    start = visitor.goto("/s/keep-it-local/")
    assert start.status == 200 and visitor.get_by_role("link", name="Read what we heard and what we did").count() == 0
    staff_only = visitor.goto(f"/workspace/{SLUG}/principles/1/internal")
    assert "/login" in visitor.url and staff_only.status == 200  # sent to sign in, shown nothing

    staff = open_page()
    sign_in(staff, STAFF[0])
    staff.goto(f"/workspace/{SLUG}/publish/")
    if staff.get_by_role("button", name="Stop publishing it").count():
        staff.get_by_role("button", name="Stop publishing it").click()
        staff.wait_for_load_state("load")
        assert "no longer published" in staff.locator(".kil-notification").inner_text()
    for path in (f"/s/{SLUG}/outcome/", f"/s/{SLUG}/outcome/report", f"/s/{SLUG}/outcome/report.pdf"):
        assert visitor.goto(path).status == 404, path

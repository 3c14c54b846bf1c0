"""Redaction in a real browser, JavaScript on: a researcher finds a name the machine missed in an answer the
draft quotes, selects it on the coding screen and redacts it, builds the next draft, and the draft quotes the
answer with the name hidden. axe-core checks the coding screen.

The module's fixture seeds a survey of its own (the Keep it Local definition under another slug), 30 coded
responses, one quoted answer holding a name the machine does not find, and a first draft built by the service.
"""
from __future__ import annotations

import pytest

from tests.browser.helpers import axe_violations, format_violations
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

SLUG = "kil-redaction"
RESEARCHER = ("rhys.morgan@example.org", "Rhys Morgan")
AXE_CONTEXT = {"bypass_csp": True}
PLANTED = "As old Thorne at the hall says, "  # a surname alone, without a cue: the machine leaves it


@pytest.fixture(scope="module")
def seeded(live_server, database_url):
    from sqlalchemy import delete

    from analysis.principles import build_draft
    from consult import create_app
    from consult.auth.models import Role
    from consult.auth.services import create_user
    from consult.extensions import db
    from consult.principles.loader import load
    from consult.principles.services import build_version
    from consult.redaction.models import Redaction, RedactionCheck
    from consult.responses.models import Answer
    from consult.surveys.services import load_definition, read_definition
    from tests.browser.helpers import SURVEY_FILE
    from tests.consult.test_outcome import seed_coded_responses

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "JOBS_MODE": "inline"})
    with app.app_context():
        definition = read_definition(SURVEY_FILE) | {"slug": SLUG}
        survey = seed_coded_responses(load_definition(definition, open_survey=True).survey,
                                      coder_email="redaction-coder@example.org")
        create_user(*RESEARCHER, PASSWORD, Role.RESEARCHER)
        loaded = load(survey)
        quoted = build_draft(loaded.evidence, campaigns=loaded.campaigns)["principles"][0]["quotes"][0]
        answer = db.session.get(Answer, int(quoted["answer_id"]))
        answer.text = PLANTED + answer.text  # as if the respondent had written it so
        for model in (Redaction, RedactionCheck):
            db.session.execute(delete(model).where(model.answer_id == answer.id))
        db.session.commit()
        draft = build_version(survey, lambda *_: None)
        principle = draft.document["principles"][0]
        first = next(q for q in principle["quotes"] + principle["quote_candidates"]
                     if q["answer_id"] == str(answer.id))
        assert "old Thorne at the hall" in first["text"]  # version 1 prints the name the machine missed
        answer_id = answer.id
        db.session.remove()
    return answer_id


def sign_in(page, email: str) -> None:
    page.goto("/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/workspace/**")


def select_words(page, words: str) -> None:
    """Select `words` in the answer as a mouse would."""
    page.evaluate("""(words) => {
        const node = document.getElementById("answer-text").firstChild;
        const start = node.textContent.indexOf(words);
        const range = document.createRange();
        range.setStart(node, start);
        range.setEnd(node, start + words.length);
        const selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
    }""", words)


def test_a_researcher_redacts_a_missed_name_and_the_next_draft_hides_it(open_page, seeded):
    answer_id = seeded
    page = open_page(**AXE_CONTEXT)
    sign_in(page, RESEARCHER[0])
    page.goto(f"/workspace/{SLUG}/code/{answer_id}")
    published = page.locator("#published-text")
    assert published.inner_text().startswith("As old Thorne at the hall says, ")  # nothing hides the name yet
    violations = axe_violations(page, "coding screen")

    select_words(page, "Thorne")
    page.get_by_role("button", name="Redact selected words").click()
    page.wait_for_load_state("load")
    assert "Redacted as a person’s name in 1 place" in page.locator(".kil-notification").inner_text()
    assert page.locator("#published-text").inner_text().startswith("As old [NAME] at the hall says, ")
    row = page.locator("#redactions tbody tr").filter(has_text="“Thorne”")
    assert "Rhys Morgan" in row.inner_text() and "Redacted" in row.inner_text()
    violations += axe_violations(page, "coding screen after redacting")

    page.goto(f"/workspace/{SLUG}/principles/")
    page.get_by_role("button", name="Build a new draft from the current coding").click()
    page.get_by_role("link", name="Go to version 2").click(timeout=120_000)
    assert page.locator("h1").inner_text() == "Version 2 of the draft principles"
    quote = page.locator(f"label[for='{page.locator(f'input[value=q-{answer_id}]').get_attribute('id')}']")
    text = quote.inner_text()
    assert text.startswith("“As old [NAME] at the hall says, ") and "Thorne" not in text
    assert not violations, format_violations(violations)

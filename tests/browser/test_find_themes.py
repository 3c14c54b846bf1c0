"""From a pile of answers to a codebook (issue 17), JavaScript on: a researcher finds themes in one question of a
survey with no codebook, watches the job's progress, accepts three proposed themes (renaming one), merges two,
reads the codebook they made, history included, and, having coded nothing, runs "Suggest codes" and sees the
accepted themes suggested on the uncoded answers. axe-core checks every page visited.

The module's fixture loads a survey of its own (the shared Keep it Local survey has a codebook from other
tests) with 64 answers to "What would make the biggest difference?" on four subjects, some on two at once.
"""
from __future__ import annotations

import random
import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import axe_violations, format_violations
from tests.factories import PASSWORD, survey_definition

pytestmark = pytest.mark.browser

SLUG = "themes-survey"
BASE = f"/workspace/{SLUG}"
RESEARCHER = "themes-researcher@example.org"
AXE_CONTEXT = {"bypass_csp": True, "viewport": {"width": 1280, "height": 900}}
PAGES = [
    {"section": "About you", "questions": [{"key": "capacity", "kind": "single_choice", "role": "capacity",
     "title": "How are you responding?", "required": True,
     "choices": [{"value": "individual", "label": "As an individual"},
                 {"value": "organisation", "label": "For an organisation"}]}]},
    {"questions": [{"key": "difference", "kind": "long_text", "title": "What would make the biggest difference?"}]},
    {"section": "Consent", "questions": [{"key": "publish", "kind": "consent", "purpose": "publication",
     "required": True, "title": "May we publish your response?",
     "choices": [{"value": "anonymous", "label": "Yes, anonymously"}, {"value": "not_published", "label": "No"}]}]},
]
SUBJECTS = {
    "parking": ["Car parking at the centre is too expensive.", "There is never enough parking near the hall.",
                "Free parking would help people visit.", "Parking charges put families off coming."],
    "buses": ["The bus service is too infrequent to rely on.", "More buses in the evening please.",
              "The last bus leaves far too early.", "Bus routes do not reach the estate."],
    "youth": ["Young people need a youth club to go to.", "Youth workers make a real difference.",
              "Activities for young people have been cut.", "Open the youth centre at weekends."],
    "funding": ["Small charities lose out on short-term funding.", "Grants last one year so funding is never secure.",
                "Longer funding would let charities plan.", "Funding rounds take too long to decide."],
}


def answer_texts() -> list[str]:
    rng = random.Random(17)
    texts = [" ".join(rng.sample(SUBJECTS[subject], 2)) for subject in SUBJECTS for _ in range(14)]
    texts += [f"{rng.choice(SUBJECTS['parking'])} {rng.choice(SUBJECTS['buses'])}" for _ in range(8)]
    return texts


@pytest.fixture(scope="module")
def themes_survey(live_server, database_url):
    """The survey, its 64 responses and a researcher, made through the app's own services."""
    from consult import create_app
    from consult.auth.models import Role
    from consult.auth.services import create_user
    from consult.extensions import db
    from consult.responses.submission import build_response
    from consult.surveys.services import load_definition

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_ENABLED": False, "JOBS_MODE": "inline"})
    with app.app_context():
        version = load_definition(survey_definition(SLUG, pages=PAGES), open_survey=True).version
        q = {question.key: question for question in version.questions}
        create_user(RESEARCHER, "Robin Themes", PASSWORD, Role.RESEARCHER)
        made = [build_response(version, {q["capacity"]: {"value": "organisation" if i % 4 == 0 else "individual", "text": None},
                                         q["difference"]: {"value": None, "text": text},
                                         q["publish"]: {"value": "anonymous", "text": None}}, channel="web")
                for i, text in enumerate(answer_texts())]
        db.session.add_all(made)
        db.session.commit()
        db.session.remove()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_a_researcher_turns_answers_into_a_codebook(open_page, themes_survey):
    from consult.coding.models import Theme
    from consult.extensions import db

    violations: list[str] = []
    page = open_page(**AXE_CONTEXT)
    page.goto("/login")
    page.get_by_label("Email address").fill(RESEARCHER)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{BASE}/codebook")
    assert "No themes yet" in page.get_by_role("table").inner_text()

    page.get_by_role("navigation", name=re.compile("Test consultation")).get_by_role("link", name="Find themes").click()
    assert page.locator("h1").inner_text() == "Find themes"
    violations += axe_violations(page, "find themes")
    page.get_by_role("button", name="Find themes").click()  # nothing chosen: a clear message, nothing lost
    assert "Choose one or more free-text questions" in page.get_by_role("alert").inner_text()
    page.get_by_label("What would make the biggest difference?").check()
    page.get_by_label("Themes to propose, at most").fill("6")
    page.get_by_role("button", name="Find themes").click()

    # the job's page shows progress, then reloads itself when the themes are ready
    page.wait_for_url(re.compile(r"/workspace/jobs/\d+$"))  # a click waits only until the page starts to load
    assert page.get_by_role("progressbar").count() == 1
    page.get_by_role("link", name="Review the proposed themes").click(timeout=60_000)
    assert page.locator("h1").inner_text() == "Proposed themes"
    violations += axe_violations(page, "proposed themes")
    sections = page.locator("section[data-proposal]")
    assert 4 <= sections.count() <= 6
    labels = [sections.nth(i).locator("h2").inner_text().replace("Proposed", "").strip() for i in range(3)]
    first = sections.nth(0)
    assert "answers" in first.get_by_text(re.compile(r"^\d+ answers")).first.inner_text()
    assert first.locator("blockquote").count() >= 1  # typical answers
    assert "no theme in the codebook covers these answers" in first.inner_text()

    # accept three, renaming the second
    names = [labels[0], "Renamed by Robin", labels[2]]
    for label, name in zip(labels, names):
        section = page.locator("section[data-proposal]").filter(has=page.get_by_role("heading", name=re.compile("^" + re.escape(label))))
        section.get_by_label("Name in the codebook").fill(name)
        section.get_by_role("button", name=re.compile("^Accept")).click()
        assert f"‘{name}’ added to the codebook" in page.locator(".kil-notification, [role=status], [role=alert]").first.inner_text()
    assert "In the codebook as Renamed by Robin" in page.locator("main").inner_text()

    # merge the first into the renamed one
    section = page.locator("section[data-proposal]").filter(has=page.get_by_role("heading", name=re.compile("^" + re.escape(labels[0]))))
    section.locator("summary").click()
    section.get_by_label(f"Merge ‘{labels[0]}’ into").select_option(label="Renamed by Robin")
    section.get_by_role("button", name="Merge").click()
    expect(page.locator("main")).to_contain_text(f"‘{labels[0]}’ merged into ‘Renamed by Robin’")
    violations += axe_violations(page, "proposed themes after decisions")

    page.get_by_role("link", name="Renamed by Robin").first.click()
    assert page.locator("h1").inner_text() == "Renamed by Robin"
    history = page.get_by_role("table").inner_text()
    assert f"proposed as ‘{labels[1]}’" in history and f"‘{labels[0]}’ merged into this theme" in history
    example = page.locator(".kil-summary-list").inner_text()
    assert "Not given" not in example.split("Example")[1].split("\n")[1]
    page.get_by_role("link", name="Back to the codebook").click()
    codebook = page.get_by_role("table").first.inner_text()
    assert "Renamed by Robin" in codebook and labels[2] in codebook and labels[0] not in codebook.split("\n")
    violations += axe_violations(page, "codebook")
    with themes_survey.app_context():
        found = {t.name: t for t in db.session.query(Theme).all() if t.survey_id is not None}
        assert found["Renamed by Robin"].active and not found[labels[0]].active and found[labels[2]].description

    # suggestions on the uncoded answers straight away, from the accepted themes' texts: nobody has coded
    page.get_by_role("navigation", name=re.compile("Test consultation")).get_by_role("link", name="Suggestions").click()
    page.get_by_role("button", name="Suggest codes").click()
    page.get_by_role("link", name="Review the suggestions").click(timeout=60_000)
    assert "from the codebook’s themes" in page.locator("#run-summary").inner_text()
    table = page.locator("#suggestions-table tbody")
    suggested = {tag.strip().split(" · ")[0] for tag in table.locator(".kil-tag").all_inner_texts()}
    assert {"Renamed by Robin", labels[2]} & suggested and suggested <= {"Renamed by Robin", labels[2], "Review",
                                                                         "Above the auto cut"}
    assert table.locator("tr").count() >= 20
    violations += axe_violations(page, "suggestions")
    table.get_by_role("link").first.click()  # one step on: the coding screen shows the suggestion to accept
    page.wait_for_url(re.compile(r"/code/\d+"))
    assert page.get_by_role("button", name=re.compile("^Accept")).count() >= 1
    with themes_survey.app_context():
        from consult.coding.models import CodeAssignment, Coder

        people = db.session.query(CodeAssignment).join(Coder, Coder.id == CodeAssignment.coder_id).filter(
            Coder.kind == "person").count()
        assert people == 0
    assert not violations, format_violations(violations)

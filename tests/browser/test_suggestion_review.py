"""A researcher in a real browser, after coding answers: runs "Suggest codes" as a background job and watches it
finish, orders the suggestions by confidence, accepts all above the auto cut, undoes that, and finds the
answers open again with the machine's suggestions and their confidence on the coding screen.

The module's fixture seeds a survey whose colleague has already decided 440 answers (a few "no code
applies"), enough for the supervised model and its auto cut; 60 answers nobody has decided.
"""
from __future__ import annotations

import random
import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import axe_violations, format_violations
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

SLUG = "bus-and-homes"
RESEARCHER = ("nia.evans@example.org", "Nia Evans")
COLLEAGUE = ("owen.price@example.org", "Owen Price")
PAGES = [{"section": "Your views", "questions": [{"key": "story", "kind": "long_text", "max_chars": 500,
                                                  "title": "What would make your town better?"}]}]
PHRASES = {
    "Transport": ["the bus is always late", "no buses on sunday", "bus fares keep rising", "the train station closed",
                  "trains are overcrowded", "the bus timetable is unreliable", "the bus route was cut"],
    "Housing": ["rent is too high", "no affordable homes here", "landlords raise the rent", "rented homes are damp",
                "the council housing list is long", "new homes are too expensive", "not enough social housing"],
    "Parks": ["the park is full of litter", "the playground is broken", "more trees in the park please",
              "dogs foul the green", "the benches in the park are broken", "the pond in the park is dirty"],
}
NOTHING = ["nothing to add", "no comment", "none", "not sure", "see above"]
CODED, UNDECIDED = 440, 60


def answers(n: int, seed: int = 3) -> list[tuple[str, list[str]]]:
    rng = random.Random(seed)
    rows = []
    for _ in range(n):
        if rng.random() < 0.1:
            rows.append((rng.choice(NOTHING), []))
            continue
        names = rng.sample(sorted(PHRASES), 2 if rng.random() > 0.85 else 1)
        text = " and ".join(rng.choice(PHRASES[name]) for name in names)
        if rng.random() < 0.15:
            names = [rng.choice(sorted(PHRASES))]
        rows.append((text, sorted(names)))
    return rows


@pytest.fixture(scope="module")
def seeded(live_server, database_url):
    """(app, survey id, theme ids by name, [(answer id, its true themes)] of the undecided answers) on the
    live server's database."""
    from consult import create_app
    from consult.auth.models import Role
    from consult.auth.services import create_user
    from consult.coding import assignments
    from consult.coding.services import create_theme
    from consult.extensions import db
    from consult.surveys.services import load_definition
    from tests.coded_answers import add_answers, decide
    from tests.factories import survey_definition

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_ENABLED": False})
    with app.app_context():
        survey = load_definition(survey_definition(SLUG, pages=PAGES, title="Bus and homes"), open_survey=True).survey
        colleague = create_user(*COLLEAGUE, PASSWORD, Role.RESEARCHER)
        create_user(*RESEARCHER, PASSWORD, Role.RESEARCHER)
        themes = {name: create_theme(survey, name, description=f"Answers about {name.lower()}", by=colleague).id
                  for name in sorted(PHRASES)}
        rows = answers(CODED + UNDECIDED)
        ids = add_answers(survey, [text for text, _ in rows])
        decide(assignments.person_coder(colleague),
               [(a, [themes[n] for n in names]) for a, (_, names) in zip(ids[:CODED], rows[:CODED])])
        survey_id = survey.id
        db.session.remove()
    undecided = [(a, names) for a, (_, names) in zip(ids[CODED:], rows[CODED:])]
    yield app, survey_id, themes, undecided
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def state(app) -> tuple:
    """Every code row and decision: what undo must put back exactly."""
    from sqlalchemy import select

    from consult.coding.models import AnswerReview, CodeAssignment
    from consult.extensions import db

    with app.app_context():
        codes = sorted(db.session.execute(select(CodeAssignment.id, CodeAssignment.answer_id, CodeAssignment.theme_id,
                                                 CodeAssignment.coder_id, CodeAssignment.status)).all())
        reviews = sorted(db.session.execute(select(AnswerReview.id, AnswerReview.answer_id,
                                                   AnswerReview.coder_id)).all())
        db.session.remove()
    return codes, reviews


def confidences(page) -> list[float]:
    page.wait_for_load_state("load")  # a click waits only for the next page to commit, not to be parsed
    return [float(v) for v in page.eval_on_selector_all("#suggestions-table td[data-confidence]",
                                                       "cells => cells.map(c => c.dataset.confidence)")]


def open_count(page) -> int:
    page.wait_for_load_state("load")
    return int(re.match(r"([\d,]+) undecided", page.locator("#suggestions-count").inner_text()).group(1).replace(",", ""))


def test_researcher_suggests_as_a_job_sorts_by_confidence_accepts_above_the_cut_and_undoes(open_page, seeded):
    app, survey_id, themes, undecided = seeded
    page = open_page(bypass_csp=True)
    violations: list[str] = []
    page.goto("/login")
    page.get_by_label("Email address").fill(RESEARCHER[0])
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    # The researcher codes two answers first, as people do (with "no code applies" where nothing fits).
    for answer_id, names in undecided[:2]:
        page.goto(f"/workspace/{SLUG}/code/{answer_id}?question=story")
        for name in names:
            page.locator(f"input[name=themes][value='{themes[name]}']").check()
        page.get_by_role("button", name="Save", exact=True).click()
        expect(page.locator("main")).to_contain_text("Saved.")

    # Suggest codes: a background job, with a status page the researcher watches until it finishes.
    page.get_by_role("link", name="Suggestions", exact=True).click()
    assert page.locator("h1").inner_text() == "Machine suggestions"
    expect(page.locator("main")).to_contain_text("has not suggested codes for this question yet")
    page.get_by_role("button", name="Suggest codes").click()
    assert re.search(r"/workspace/jobs/\d+$", page.url)
    review = page.get_by_role("link", name="Review the suggestions")
    review.wait_for(timeout=90_000)  # the page polls and reloads when the job is done
    summary = page.locator("main").inner_text()
    assert f"of {UNDECIDED - 2} undecided answers" in summary and f"learning from {CODED + 2} coded answers" in summary
    violations += axe_violations(page, "job finished")
    review.click()

    # Order by confidence (after looking at the most useful first).
    page.get_by_label("Order").select_option(label="Most useful to code first")
    page.get_by_role("button", name="Show suggestions").click()
    page.wait_for_url(re.compile(r"order=usefulness"))
    page.wait_for_load_state("load")
    ranks = [int(v) for v in page.locator("#suggestions-table tbody tr td:nth-child(5)").all_inner_texts()]
    assert ranks == sorted(ranks) and ranks[0] == 1
    page.get_by_label("Order").select_option(label="Most confident suggestion first")
    page.get_by_role("button", name="Show suggestions").click()
    page.wait_for_url(re.compile(r"order=confidence"))
    shown = confidences(page)
    assert open_count(page) == UNDECIDED - 2 and len(shown) == 50 and shown == sorted(shown, reverse=True)
    assert "No code applies" in page.locator("#suggestions-table").inner_text()  # "no code" is learnt too
    violations += axe_violations(page, "suggestions, most confident first")

    # Accept all above the auto cut.
    button = page.get_by_role("button", name=re.compile(r"Accept all \d+ above the auto cut"))
    above = int(re.search(r"Accept all (\d+)", button.inner_text()).group(1))
    assert 0 < above < UNDECIDED - 2
    before = state(app)
    button.click()
    expect(page.locator("main")).to_contain_text(f"Accepted the machine's codes on {above} answers above the auto cut")
    assert open_count(page) == UNDECIDED - 2 - above  # those answers are decided now, off the list
    codes, reviews = state(app)
    assert len(reviews) == len(before[1]) + above
    assert sum(1 for row in codes if row[4] == "accepted") > 0
    violations += axe_violations(page, "suggestions, accepted in bulk")

    # Undo: exactly the state before, and the answers come back with their suggestions open.
    page.get_by_role("button", name=re.compile(r"^Undo")).click()
    expect(page.locator("main")).to_contain_text(f"Undone: {above} answers are back as they were")
    assert state(app) == before
    assert page.locator("#acceptances").get_by_text("Undone").is_visible()
    assert open_count(page) == UNDECIDED - 2
    assert page.get_by_role("button", name=f"Accept all {above} above the auto cut").is_visible()

    # One step further: the most confident answer opens on the coding screen with its confidence shown.
    top = page.locator("#suggestions-table tbody tr").first
    top.get_by_role("link").click()
    assert "order=confidence" in page.url
    assert re.search(r"Confidence \d+%", page.locator("#suggestion-confidence").inner_text())
    assert "Above the auto cut" in page.locator("#suggestion-confidence").inner_text()
    violations += axe_violations(page, "coding screen with confidence")
    assert not violations, format_violations(violations)

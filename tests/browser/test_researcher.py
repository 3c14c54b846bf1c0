"""A researcher in a real browser: signs in, codes five answers with the keyboard only, accepts a machine
suggestion, opens the agreement page, and axe-core checks every researcher page on the way.

The module's fixture seeds the live server's database through the app's own services: a survey with a
free-text question, 40 responses, a codebook of five themes, a colleague's codes (enough for the machine
to learn from), machine suggestions on the answers nobody has coded, and a double-coding sample coded by
two other researchers (so the agreement and disagreement pages have figures and rows).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from tests.browser.helpers import axe_violations, focus_is_visible, format_violations, is_field, is_link, tab_to
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

SLUG = "local-services"
TITLE = "Local services consultation"
RESEARCHER = ("priya.shah@example.org", "Priya Shah")
COLLEAGUE = ("tom.reid@example.org", "Tom Reid")
SECOND_CODER = ("ana.costa@example.org", "Ana Costa")

PAGES = [
    {"section": "About you", "questions": [{"key": "respondent_type", "kind": "single_choice",
     "role": "respondent_type", "title": "Which of these best describes you?", "required": True,
     "choices": [{"value": "charity", "label": "A charity or voluntary group"},
                 {"value": "social_enterprise", "label": "A social enterprise"},
                 {"value": "council", "label": "A council officer"},
                 {"value": "member_of_public", "label": "A member of the public"}]}]},
    {"questions": [{"key": "capacity", "kind": "single_choice", "role": "capacity", "required": True,
                    "title": "Are you responding as an individual or for an organisation?",
                    "choices": [{"value": "individual", "label": "As an individual"},
                                {"value": "organisation", "label": "For an organisation"}]}]},
    {"section": "Your views", "questions": [{"key": "barriers", "kind": "long_text", "max_chars": 3000,
     "title": "What gets in the way of councils commissioning local organisations?"}]},
]

# (name, description, include when, exclude when, example, sentences respondents wrote about it)
THEMES = [
    ("Contract size", "Contracts bundled too large for local organisations to bid for.",
     "The answer says lots, contracts or areas are too big.", "Complaints about price alone.",
     "The council put three boroughs into one contract.",
     ["The council bundled three boroughs into one huge contract that no local group could bid for.",
      "Contracts are far too large for small local providers, only national firms can take them on.",
      "Lots are merged across the whole county so the contract size shuts out neighbourhood charities.",
      "A single contract covering every ward is too big for us to manage without a national partner.",
      "They keep merging small contracts into one large contract for the whole region.",
      "The contract was worth four million pounds, far too large for any local organisation.",
      "Splitting the contract into smaller lots by area would let local groups bid.",
      "When contracts cover the whole county only the big national providers can deliver them."]),
    ("Lowest price", "Decisions made mainly on cost rather than quality or social value.",
     "The answer says price, cost or cheapest wins.", "Complaints about the size of contracts.",
     "The cheapest bid always wins.",
     ["The cheapest bid always wins, whatever the quality of the service.",
      "Price is weighted at seventy percent so quality and social value barely count.",
      "Councils choose the lowest price and then the service falls apart within a year.",
      "We lost the tender on cost by a few pounds even though our quality score was higher.",
      "Everything comes down to the lowest price per hour of care.",
      "Cost is the only thing the panel seemed to care about in the evaluation.",
      "Cheapest price wins and social value is an afterthought worth five percent.",
      "A race to the bottom on price pushes out providers who pay the real living wage."]),
    ("Short-term funding", "Grants and contracts too short to plan, hire or invest.",
     "The answer mentions one-year grants, short terms or funding cliffs.", "One-off capital grants.",
     "Our grant is renewed a year at a time.",
     ["Our grant is only ever renewed for one year at a time so we cannot keep staff.",
      "Short-term funding means we spend every spring wondering whether the service will close.",
      "Twelve month grants make it impossible to plan or to invest in volunteers.",
      "Funding arrives in annual rounds and is often confirmed weeks after the year has started.",
      "We need three year grants, not the annual funding cliff we face every March.",
      "The youth project closed when its one year grant ended with no warning.",
      "Year to year funding means our best workers leave for secure jobs.",
      "Longer grants of three to five years would let us build something lasting."]),
    ("Procurement paperwork", "Tender forms, portals and compliance demands out of proportion to the work.",
     "The answer mentions forms, portals, bureaucracy or the time a bid takes.", "Complaints about price.",
     "The tender pack ran to ninety pages.",
     ["The tender documents ran to ninety pages for a contract worth twenty thousand pounds.",
      "Filling in the procurement portal took our only manager two full weeks.",
      "The paperwork and insurance requirements are designed for national companies, not us.",
      "Every bid asks for the same policies again in a different format on a different portal.",
      "The bureaucracy of tendering costs us more than the contract would pay.",
      "We gave up bidding because the forms take longer than delivering the service.",
      "Compliance questions about accounts and insurance rule out small charities straight away.",
      "A simpler application form for small contracts would make a huge difference."]),
    ("Local knowledge", "Local organisations' relationships and knowledge of their community.",
     "The answer says local groups know people, are trusted or reach those others miss.",
     "General praise of a service with no mention of local ties.",
     "We know every family on the estate.",
     ["We know every family on the estate and they trust us in a way they never trust the council.",
      "Local groups reach people that national providers never see, like older people living alone.",
      "Our volunteers live in the neighbourhood and understand what residents actually need.",
      "The national provider had no relationships with local schools or the mosque.",
      "Trust built over twenty years in the community cannot be bought in with a new contract.",
      "Local knowledge of who is struggling is what makes our food bank work.",
      "People come to us because we are part of the community, not an outside agency.",
      "Residents tell us things they would never tell a call centre two hundred miles away."]),
]
RESPONDENT_TYPES = ["charity", "social_enterprise", "council", "member_of_public"]
CHANNELS = ["web", "web", "web", "email", "paper"]
ANSWERS = 40
SAMPLE_SHARE = 0.2  # 8 answers double-coded by the colleague and the second coder
UNCODED = 10  # the first answers outside the sample stay uncoded: the machine suggests codes for them


def answer_texts() -> list[tuple[str, list[int]]]:
    """(text, theme positions) for each answer: one theme's sentence, and a second theme's every third answer."""
    out = []
    for i in range(ANSWERS):
        first, round_ = i % len(THEMES), i // len(THEMES)
        codes, text = [first], THEMES[first][5][round_]
        if i % 3 == 0:
            second = (first + 2) % len(THEMES)
            codes.append(second)
            text += " " + THEMES[second][5][(round_ + 3) % 8]
        out.append((text, codes))
    return out


@dataclass(frozen=True)
class Seeded:
    theme_ids: list[int]  # in codebook order: key 1 toggles theme_ids[0]
    sample_ids: list[int]  # answers in the double-coding sample
    disputed_ids: list[int]  # sample answers the two coders disagree on
    queue_ids: list[int]  # the uncoded answers the researcher meets first
    suggested_ids: list[int]  # answers with a machine suggestion


@pytest.fixture(scope="module")
def researcher_app(live_server, database_url):
    """An app on the live server's database, for seeding and for checking what the browser stored."""
    from consult import create_app
    from consult.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_ENABLED": False})
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    # The live_server fixture empties the whole database when the module finishes.


@pytest.fixture(scope="module")
def seeded(researcher_app) -> Seeded:
    from sqlalchemy import select

    from consult.auth.models import Role
    from consult.auth.services import create_user
    from consult.coding import assignments, samples, suggestions
    from consult.coding.models import CodeAssignment, Coder, SampleItem
    from consult.coding.services import create_theme
    from consult.extensions import db
    from consult.responses.submission import build_response
    from consult.surveys.services import load_definition
    from tests.factories import survey_definition

    with researcher_app.app_context():
        version = load_definition(survey_definition(SLUG, pages=PAGES, title=TITLE), open_survey=True).version
        survey = version.survey
        questions = {q.key: q for q in version.questions}
        colleague, second = (create_user(email, name, PASSWORD, Role.RESEARCHER)
                             for email, name in (COLLEAGUE, SECOND_CODER))
        create_user(*RESEARCHER, PASSWORD, Role.RESEARCHER)  # signs in through the browser, with no codes yet
        themes = [create_theme(survey, name, description=description, inclusion=inclusion, exclusion=exclusion,
                               example=example, by=colleague)
                  for name, description, inclusion, exclusion, example, _sentences in THEMES]
        texts = answer_texts()
        responses = []
        for i, (text, _codes) in enumerate(texts):
            kind = RESPONDENT_TYPES[i % len(RESPONDENT_TYPES)]
            capacity = "individual" if kind == "member_of_public" or i % 7 == 0 else "organisation"
            responses.append(build_response(version, {
                questions["respondent_type"]: {"value": kind, "text": None},
                questions["capacity"]: {"value": capacity, "text": None},
                questions["barriers"]: {"value": None, "text": text}}, channel=CHANNELS[i % len(CHANNELS)]))
        db.session.add_all(responses)
        db.session.commit()
        answers, truth = {}, {}  # by answer id: the free-text answer, and the codes its text was written for
        for response, (_text, codes) in zip(responses, texts):
            answer = next(a for a in response.answers if a.question_id == questions["barriers"].id)
            answers[answer.id], truth[answer.id] = answer, [themes[t].id for t in codes]
        answer_ids = sorted(answers)

        sample = samples.create_sample(survey, "barriers", SAMPLE_SHARE, colleague, second, seed=7, by=colleague)
        sample_ids = sorted(db.session.scalars(select(SampleItem.answer_id).where(SampleItem.sample_id == sample.id)))
        disputed = sample_ids[:2]
        for answer_id in sample_ids:
            assignments.save_codes(answers[answer_id], assignments.person_coder(colleague), set(truth[answer_id]),
                                   by=colleague)
            codes = set(truth[answer_id])
            if answer_id in disputed:  # the second coder adds a code the colleague did not use
                codes |= {next(t.id for t in themes if t.id not in codes)}
            assignments.save_codes(answers[answer_id], assignments.person_coder(second), codes, by=second)
        others = [answer_id for answer_id in answer_ids if answer_id not in sample_ids]
        queue, coded = others[:UNCODED], others[UNCODED:]
        for answer_id in coded:
            assignments.save_codes(answers[answer_id], assignments.person_coder(colleague), set(truth[answer_id]),
                                   by=colleague)

        run = suggestions.run_suggestions(survey, "barriers", by=colleague, seed=0)
        assert run.trained_on >= 20 and run.answers > 0
        suggested = sorted(set(db.session.scalars(
            select(CodeAssignment.answer_id).join(Coder, Coder.id == CodeAssignment.coder_id)
            .where(Coder.kind == "machine", CodeAssignment.status == "suggested",
                   CodeAssignment.answer_id.in_(answer_ids)))))  # other modules' surveys share the database
        assert set(suggested) <= set(queue)
        seeded = Seeded([t.id for t in themes], sample_ids, disputed, queue, suggested)
        db.session.remove()
    return seeded


AXE_CONTEXT = {"bypass_csp": True}  # axe is injected as an inline script: see helpers.axe_violations
# Number keys pressed on each of the five answers (key 1 toggles the first code in the codebook).
KEYS = [["1"], ["2", "4"], ["3"], ["5"], ["1", "3"]]


def heading(page) -> str:
    return page.locator("h1").first.inner_text().strip()


def press(page, key: str) -> None:
    """Press a key that submits a form or follows a link, and wait for the next page."""
    with page.expect_navigation():
        page.keyboard.press(key)


def coding_answer_id(page) -> int:
    match = re.search(rf"/workspace/{SLUG}/code/(\d+)", page.url)
    assert match, f"not on the coding screen: {page.url}"
    return int(match.group(1))


def checked_codes(page) -> set[int]:
    return {int(v) for v in page.evaluate(
        "() => [...document.querySelectorAll('input[name=themes]:checked')].map(e => e.value)")}


def open_suggestion(app, answer_id: int) -> tuple[int, int]:
    """(assignment id, theme id) of the suggestion the a key accepts: the likeliest one still open."""
    from consult.coding.suggestions import machine_rows
    from consult.extensions import db
    from consult.responses.models import Answer

    with app.app_context():
        rows = [r for r in machine_rows(db.session.get(Answer, answer_id)) if r.status == "suggested"]
        found = (rows[0].id, rows[0].theme_id)
        db.session.remove()
    return found


def stored_codes(app, email: str) -> dict[int, set[int]]:
    """{answer id: whole-answer theme ids} applied by this person's coder identity."""
    from sqlalchemy import select

    from consult.auth.models import User
    from consult.coding.models import CodeAssignment, Coder
    from consult.extensions import db

    with app.app_context():
        rows = db.session.execute(
            select(CodeAssignment.answer_id, CodeAssignment.theme_id).join(Coder, Coder.id == CodeAssignment.coder_id)
            .join(User, User.id == Coder.user_id).where(User.email == email, Coder.kind == "person",
                                                        CodeAssignment.status == "applied",
                                                        CodeAssignment.span_start.is_(None))).all()
        db.session.remove()
    codes: dict[int, set[int]] = {}
    for answer_id, theme_id in rows:
        codes.setdefault(answer_id, set()).add(theme_id)
    return codes


def suggestion_status(app, assignment_id: int) -> str:
    from consult.coding.models import CodeAssignment
    from consult.extensions import db

    with app.app_context():
        status = db.session.get(CodeAssignment, assignment_id).status
        db.session.remove()
    return status


def test_researcher_codes_by_keyboard_accepts_a_suggestion_and_pages_pass_axe(open_page, seeded, researcher_app):
    """Typing and keys only from sign-in to the agreement page; axe-core on every researcher page visited."""
    page = open_page(**AXE_CONTEXT)
    violations: list[str] = []
    visited: list[str] = []

    def visit(label: str) -> None:
        visited.append(label)
        violations.extend(axe_violations(page, label))

    # Sign in: email, Tab, password, Enter. A wrong password first.
    page.goto("/login")
    visit("sign in")
    tab_to(page, is_field("email"))
    assert focus_is_visible(page), "the focused email field shows no focus indicator"
    page.keyboard.type(RESEARCHER[0])
    page.keyboard.press("Tab")
    page.keyboard.type("not my password")
    press(page, "Enter")
    assert page.title().startswith("Error: ")
    assert "Enter a correct email address and password" in page.locator(".kil-error-summary").inner_text()
    visit("sign in, with an error")
    tab_to(page, is_field("password"))
    page.keyboard.type(PASSWORD)
    press(page, "Enter")
    assert heading(page) == "Surveys"
    visit("workspace list")

    tab_to(page, is_link(TITLE))
    press(page, "Enter")
    assert heading(page) == TITLE
    visit("survey overview")
    tab_to(page, is_link("Code answers"))
    press(page, "Enter")

    # Five answers: number keys toggle codes, n saves and moves on; a accepts the machine's suggestion.
    themes = seeded.theme_ids
    expected: dict[int, set[int]] = {}
    accepted: tuple[int, int, int] | None = None  # (answer id, suggestion id, theme id)
    for keys in KEYS:
        answer_id = coding_answer_id(page)
        assert answer_id in seeded.queue_ids, "the queue skips answers coded by others or sampled for others"
        assert answer_id not in expected, "n went to an answer already coded"
        assert checked_codes(page) == set()
        codes: set[int] = set()
        if accepted is None and page.locator(".kil-suggestion button[value=accept]").count():
            visit("coding screen, with suggestions")
            page.keyboard.press("?")
            assert page.locator("#shortcut-help").evaluate("el => el.open")
            visit("coding screen, shortcut help open")
            suggestion_id, theme_id = open_suggestion(researcher_app, answer_id)
            press(page, "a")
            assert coding_answer_id(page) == answer_id
            assert "Suggestion accepted" in page.locator(".kil-notification").inner_text()
            assert "Accepted" in page.locator(".kil-suggestion").first.inner_text()
            assert checked_codes(page) == {theme_id}
            visit("coding screen, suggestion accepted")
            accepted, codes = (answer_id, suggestion_id, theme_id), {theme_id}
            keys = [str(themes.index(t) + 1) for t in themes if t != theme_id][:1]  # add one more code
        for key in keys:
            page.keyboard.press(key)
            codes ^= {themes[int(key) - 1]}
        assert checked_codes(page) == codes
        assert focus_is_visible(page), "the code the number key toggled shows no focus indicator"
        expected[answer_id] = codes
        press(page, "n")
    assert accepted is not None, f"none of the answers {sorted(expected)} showed a machine suggestion"

    # The agreement page, by Tab and Enter from the coding screen.
    coding_answer_id(page)
    visit("coding screen")
    tab_to(page, is_link("Agreement"))
    press(page, "Enter")
    assert heading(page) == "Agreement between coders"
    pair = page.locator("tbody tr").filter(has_text="Ana Costa").filter(has_text="Tom Reid").first
    assert pair.locator("td").first.inner_text().strip() == str(len(seeded.sample_ids))
    assert re.fullmatch(r"-?\d\.\d\d", pair.locator("td").nth(1).inner_text().strip()), "no kappa for the pair"
    assert page.locator("tbody tr").filter(has_text="Machine").filter(has_text="Priya Shah").count() == 1
    visit("agreement")

    # Stored: each answer's codes under the researcher's own coder, and the suggestion accepted.
    mine = stored_codes(researcher_app, RESEARCHER[0])
    assert mine == expected
    assert not set(expected) & set(stored_codes(researcher_app, COLLEAGUE[0])), "codes stored for the wrong coder"
    answer_id, suggestion_id, theme_id = accepted
    assert answer_id in seeded.suggested_ids
    assert suggestion_status(researcher_app, suggestion_id) == "accepted"
    assert theme_id in mine[answer_id]  # the person's own 'applied' row, beside the machine's

    tab_to(page, is_link(f"{len(seeded.disputed_ids)} answers with disagreements"))
    press(page, "Enter")
    assert heading(page) == "Disagreements to adjudicate"
    visit("disagreements")
    tab_to(page, is_link(f"Answer {seeded.disputed_ids[0]}"))
    press(page, "Enter")
    assert heading(page) == f"Adjudicate answer {seeded.disputed_ids[0]}"
    visit("adjudication")

    # The other researcher pages.
    base = f"/workspace/{SLUG}"
    charts = "svg[role=img]"
    for path, title, label, shown in [
        (f"{base}/responses?search=contract&respondent_type=charity", "Responses", "responses, filtered",
         "text=match these filters"),
        (f"{base}/questions/respondent_type", "Which of these best describes you?", "question with a chart", charts),
        (f"{base}/questions/capacity?by=respondent_type", "Are you responding as an individual or for an organisation?",
         "question with a chart, by respondent type", "caption:has-text('by respondent type')"),
        (f"{base}/codebook", "Codebook", "codebook", f"a:has-text('{THEMES[4][0]}')"),
        (f"{base}/codebook/{themes[0]}", THEMES[0][0], "theme", f"text={THEMES[0][1]}"),
        (f"{base}/import", "Import responses", "import", "input[type=file]"),
        (f"{base}/export", "Export responses", "export", "button[type=submit]"),
        (f"{base}/workshops", "Workshop notes", "workshop notes", "textarea"),
        (f"{base}/principles/", "Draft principles", "principles drafts", "main"),
    ]:
        response = page.goto(path)
        assert response.status == 200, f"{label}: {response.status}"
        assert heading(page) == title
        assert page.locator(shown).count() >= 1, f"{label}: nothing matches {shown}"
        visit(label)
        if label == "responses, filtered":
            snippets = page.locator("tbody tr td:nth-child(4)").all_inner_texts()
            assert snippets and all("contract" in text.lower() for text in snippets), snippets
            tab_to(page, lambda el: el["tag"] == "a" and el["text"].startswith("TST-"))
            press(page, "Enter")
            assert heading(page).startswith("Response TST-")
            visit("response detail")
    assert len(visited) >= 20
    assert not violations, format_violations(violations)

"""The Keep it Local workspace as researchers and staff use it in their first hour (issue 15), JavaScript on:
filters, paging and cross-tabs without false errors, pages that fit 1280px, a response found by its
reference and coded from its page, an 18-theme codebook coded from the keyboard, an import with a column
select and a received date, the workshop notes the overview counts, and phone-sized pages at 320px.
Every test goes one step past the page it checks, and axe-core checks every workspace page visited.

The module's fixture seeds the live server's Keep it Local survey (loaded by the module's live_server)
through the app's own services: 64 responses from every respondent type and channel, some with contact
details, an 18-theme codebook, one account per role, and a finished export job.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from tests.browser.helpers import axe_violations, format_violations, scroll_width
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

SLUG = "keep-it-local"
BASE = f"/workspace/{SLUG}"
ADMIN, RESEARCHER, CODER, STAFF = ("ws-admin@example.org", "ws-researcher@example.org", "ws-coder@example.org",
                                   "ws-staff@example.org")
TYPES = ["commissioner", "councillor", "council_officer", "community_organisation", "charity", "social_enterprise",
         "policy_expert", "member_of_public"]
AGREE = ["strongly_agree", "agree", "agree", "neither", "disagree", "dont_know"]
THEMES = ["Contract size", "Lowest price", "Short-term funding", "Procurement paperwork", "Local knowledge",
          "Social value", "Early help", "Trust", "Neighbourhood hubs", "Council capacity", "Volunteers",
          "Joined-up services", "Payment terms", "Risk transfer", "Co-design", "Local spend", "Market shaping",
          "Data and monitoring"]
CHANNELS = ["web"] * 7 + ["email"]  # every eighth response arrived by email
WORKSHOPS = 5
RESPONSES = 64
EMAIL = "named.person@example.org"
# An unbroken address in an answer, as people paste them: it must wrap, not widen the page.
REPORT_URL = "https://www.example.org/research/2026/the-social-value-of-community-organisations-in-local-commissioning.pdf"
AXE_CONTEXT = {"bypass_csp": True}  # axe is injected as an inline script: see helpers.axe_violations
WIDE = {"viewport": {"width": 1280, "height": 900}, **AXE_CONTEXT}
PHONE = {"viewport": {"width": 320, "height": 640}, **AXE_CONTEXT}


@dataclass(frozen=True)
class Seeded:
    named: str  # reference of a response with contact details
    named_id: int
    why_answer: int  # its answer to "Principle 3: local spend – why"
    theme_ids: dict[str, int]
    export_job: int


@pytest.fixture(scope="module")
def workspace_app(live_server, database_url):
    """An app on the live server's database, for seeding and for checking what the browser stored."""
    from consult import create_app
    from consult.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_ENABLED": False, "JOBS_MODE": "inline"})
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="module")
def seeded(workspace_app) -> Seeded:
    from consult.auth.models import Role
    from consult.auth.services import create_user
    from consult.coding.services import create_theme
    from consult.extensions import db
    from consult.jobs.services import submit
    from consult.responses.submission import build_response
    from consult.surveys.services import get_survey

    with workspace_app.app_context():
        survey = get_survey(SLUG)
        version = survey.current_version
        q = {question.key: question for question in version.questions}
        users = {email: create_user(email, email.split("@")[0].replace("ws-", "").title(), PASSWORD, role)
                 for email, role in ((ADMIN, Role.ADMIN), (RESEARCHER, Role.RESEARCHER), (CODER, Role.RESEARCHER),
                                     (STAFF, Role.STAFF))}
        themes = {name: create_theme(survey, name, description=f"Answers about {name.lower()}.", by=users[ADMIN]).id
                  for name in THEMES}
        made = []
        for i in range(RESPONSES + WORKSHOPS):
            workshop = i >= RESPONSES
            answers = {q["respondent_type"]: {"value": TYPES[i % len(TYPES)], "text": None},
                       q["capacity"]: {"value": "individual" if i % 3 else "organisation", "text": None},
                       q["principle_3_why"]: {"value": None, "text": f"Money spent locally stays local (answer {i})."
                                              + (f" See {REPORT_URL}" if i % 10 == 9 else "")},
                       q["publish_consent"]: {"value": "with_name" if i == 0 else "anonymous", "text": None},
                       q["contact_consent"]: {"value": "yes" if i == 0 else "no", "text": None}}
            for k in range(1, 7):
                answers[q[f"principle_{k}_agreement"]] = {"value": AGREE[(i + k) % len(AGREE)], "text": None}
            if i == 0:
                answers[q["respondent_name"]] = {"value": None, "text": "Named Person"}
                answers[q["contact_email"]] = {"value": EMAIL, "text": None}
            channel = "workshop" if workshop else CHANNELS[i % len(CHANNELS)]
            made.append(build_response(version, answers, channel=channel))
        db.session.add_all(made)
        db.session.commit()
        named = made[0]
        why = next(a for a in named.answers if a.question_id == q["principle_3_why"].id)
        job = submit("responses_export", survey_id=survey.id, user_id=users[RESEARCHER].id,
                     params={"survey_id": survey.id, "format": "csv", "title": f"Exporting {survey.title} as CSV"})
        seeded = Seeded(named.reference, named.id, why.id, themes, job.id)
        db.session.remove()
    return seeded


class Visits:
    """axe-core on each page visited; the violations are asserted at the end of the test."""

    def __init__(self, page):
        self.page, self.violations, self.labels = page, [], []

    def __call__(self, label: str) -> None:
        self.labels.append(label)
        self.violations.extend(axe_violations(self.page, label))

    def check(self) -> None:
        assert not self.violations, format_violations(self.violations)


def sign_in(open_page, email: str, **options):
    page = open_page(**{**AXE_CONTEXT, **options})
    page.goto("/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    assert heading(page) == "Surveys"
    return page


def heading(page) -> str:
    return page.locator("h1").first.inner_text().strip()


def no_error_summary(page) -> None:
    page.wait_for_load_state("load")
    assert page.locator(".kil-error-summary").count() == 0, page.locator(".kil-error-summary").inner_text()


def fits(page, width: int, label: str) -> None:
    assert scroll_width(page) <= width, f"{label} is {scroll_width(page)}px wide at a {width}px window ({page.url})"


def stored_codes(app, email: str, answer_id: int) -> set[str]:
    from sqlalchemy import select

    from consult.auth.models import User
    from consult.coding.models import CodeAssignment, Coder, Theme
    from consult.extensions import db

    with app.app_context():
        names = set(db.session.scalars(
            select(Theme.name).join(CodeAssignment, CodeAssignment.theme_id == Theme.id)
            .join(Coder, Coder.id == CodeAssignment.coder_id).join(User, User.id == Coder.user_id)
            .where(User.email == email, CodeAssignment.answer_id == answer_id, CodeAssignment.status == "applied")))
        db.session.remove()
    return names


def answer_channel(app, answer_id: int) -> str:
    from consult.extensions import db
    from consult.responses.models import Answer

    with app.app_context():
        channel = db.session.get(Answer, answer_id).response.channel
        db.session.remove()
    return channel


def coding_answer_id(page) -> int:
    match = re.search(rf"{BASE}/code/(\d+)", page.url)
    assert match, f"not on the coding screen: {page.url}"
    return int(match.group(1))


def test_filters_paging_and_cross_tabs_show_no_false_errors_and_fit_1280px(open_page, seeded):
    page = sign_in(open_page, RESEARCHER, **WIDE)
    visit = Visits(page)
    page.goto(f"{BASE}/responses")
    fits(page, 1280, "the response list")
    listing = page.get_by_role("region", name="Responses")
    assert listing.evaluate("el => el.scrollWidth <= el.clientWidth"), "the Codes column is cut off at 1280px"
    visit("responses")

    page.get_by_label("Channel").select_option(label="Web")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"channel=web"))
    no_error_summary(page)
    assert "respondent_type=" not in page.url, "the script leaves empty fields out of the address"
    assert "responses match these filters" in page.get_by_role("status").first.inner_text()
    fits(page, 1280, "the filtered response list")
    visit("responses, filtered")

    page.get_by_role("link", name="Next page").click()
    page.wait_for_url(re.compile(r"page=2"))
    no_error_summary(page)
    assert "Page 2 of" in page.locator(".kil-pagination").inner_text()
    visit("responses, page 2")

    # A click waits only until the next page starts to load, and count() does not wait: wait for the page first.
    page.get_by_role("navigation", name=re.compile("Keep it Local")).get_by_role("link", name="Questions").click()
    page.wait_for_url(re.compile(r"/questions$"))
    for k in range(1, 7):  # six principles, six names
        assert page.get_by_role("link", name=re.compile(rf"^Principle {k}: .* – agreement$")).count() == 1
    visit("questions")
    page.get_by_role("link", name="Principle 3: local spend – agreement").click()
    page.wait_for_url(re.compile(r"/questions/principle_3_agreement"))
    assert heading(page) == "Principle 3: local spend – agreement"
    visit("question")

    page.get_by_role("link", name="Cross-tabulate by respondent type").click()
    page.wait_for_url(re.compile(r"by=respondent_type"))
    no_error_summary(page)
    region = page.get_by_role("region", name=re.compile("by respondent type$")).first
    assert region.locator("caption").inner_text().endswith("by respondent type")
    fits(page, 1280, "the question page with its cross-tab")
    region.focus()
    assert region.evaluate("el => el === document.activeElement"), "the table's region takes keyboard focus"
    visit("question, cross-tabulated")

    # One step past: filter the cross-tab by another principle's answer; the table stays, nothing errs.
    answer = page.get_by_label("Answer to a question")
    assert answer.locator("optgroup").count() >= 8  # every closed question, six principles among them
    answer.select_option(value="principle_6_agreement:agree")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"answer=principle_6_agreement"))
    no_error_summary(page)
    assert "by=respondent_type" in page.url and page.locator("caption", has_text="by respondent type").count()
    visit("question, cross-tabulated and filtered")
    page.get_by_role("cell").get_by_role("link", name=re.compile(r"^KIL-")).first.click()
    assert heading(page).startswith("Response KIL-")
    visit("response")
    visit.check()


def test_a_response_found_by_reference_is_read_by_staff_and_coded_by_a_researcher(open_page, seeded, workspace_app):
    staff = sign_in(open_page, STAFF)
    visit = Visits(staff)
    staff.goto(f"{BASE}/responses")
    staff.get_by_label("Search answers or references").fill(f" {seeded.named.lower()} ")
    staff.get_by_role("button", name="Apply filters").click()
    staff.wait_for_url(re.compile(r"search="))
    no_error_summary(staff)
    assert "1 response matches these filters" in staff.get_by_role("status").first.inner_text()
    visit("responses, searched by reference")
    staff.get_by_role("link", name=seeded.named).click()
    assert heading(staff) == f"Response {seeded.named}"
    body = staff.locator("main").inner_text()
    assert "Contact details held" in body and EMAIL not in body and "Named Person" not in body
    assert staff.get_by_role("link", name=re.compile("Code this answer")).count() == 0
    visit("response, as staff")
    staff.goto(f"{BASE}/code/{seeded.why_answer}")  # a coding link shared by a researcher
    assert staff.url.endswith(f"/responses/{seeded.named_id}#answer-{seeded.why_answer}")
    assert heading(staff) == f"Response {seeded.named}"

    researcher = sign_in(open_page, RESEARCHER)
    visit.page = researcher
    researcher.goto(f"{BASE}/responses")
    researcher.get_by_label("Search answers or references").fill(seeded.named)
    researcher.keyboard.press("Enter")
    researcher.wait_for_url(re.compile(r"search="))
    researcher.get_by_role("link", name=seeded.named).click()
    visit("response, as a researcher")
    researcher.get_by_role("link", name=re.compile(r"^Code this answer\W+Principle 3: local spend – why$")).click()
    assert coding_answer_id(researcher) == seeded.why_answer
    assert researcher.locator("#question-title").inner_text() == "Principle 3: local spend – why"
    context = researcher.locator(".kil-coding__context").inner_text()
    assert "Contact details held" in context and EMAIL not in context and "Named Person" not in context
    visit("coding screen, from the response page")

    # One step past: code it and move on; the code is stored as this researcher's.
    researcher.keyboard.press("6")  # Social value
    with researcher.expect_navigation():
        researcher.keyboard.press("n")
    assert coding_answer_id(researcher) != seeded.why_answer
    assert stored_codes(workspace_app, RESEARCHER, seeded.why_answer) == {"Social value"}
    visit("coding screen, next answer")
    visit.check()


def test_an_18_theme_codebook_is_coded_from_the_keyboard_on_emailed_answers(open_page, seeded, workspace_app):
    page = sign_in(open_page, CODER, **WIDE)
    visit = Visits(page)
    page.goto(f"{BASE}/code?channel=email")  # imported and emailed answers, without skipping through the queue
    first = coding_answer_id(page)
    assert answer_channel(workspace_app, first) == "email"
    assert page.locator("input[name=themes]").count() == len(THEMES)
    visit("coding screen, emailed answers")

    page.keyboard.press("/")
    finder = page.get_by_label("Find a code")
    assert finder.evaluate("el => el === document.activeElement")
    page.keyboard.type("procure")
    assert page.locator("#code-finder-status").inner_text() == "1 code matches: Procurement paperwork."
    assert page.locator(".kil-checkboxes__item:visible").count() == 1
    visit("coding screen, finding a code")
    page.keyboard.press("Enter")  # toggles the one code listed; the form is not sent
    assert page.get_by_label("Procurement paperwork").is_checked() and coding_answer_id(page) == first
    assert page.locator(".kil-checkboxes__item:visible").count() == len(THEMES)  # the search is cleared
    page.keyboard.type("data monit")
    page.keyboard.press("ArrowDown")  # to the first code listed, then Space as on any checkbox
    page.keyboard.press("Space")
    assert page.get_by_label("Data and monitoring").is_checked()
    page.keyboard.press("2")  # number keys still toggle the first nine codes
    assert page.get_by_label("Lowest price").is_checked()

    # One step past: n saves and opens the next emailed answer.
    with page.expect_navigation():
        page.keyboard.press("n")
    following = coding_answer_id(page)
    assert following != first and answer_channel(workspace_app, following) == "email" and "channel=email" in page.url
    assert stored_codes(workspace_app, CODER, first) == {"Procurement paperwork", "Data and monitoring", "Lowest price"}
    visit("coding screen, the next emailed answer")
    page.goto(f"{BASE}/code?question=principle_1_why&channel=workshop")  # no workshop answered it: nothing to code
    assert ("no uncoded answers for you to ‘Principle 1: whole system – why’ that arrived by workshop"
            in page.locator("main").inner_text())
    visit("coding, nothing left")
    visit.check()


def test_an_import_matched_by_column_selects_is_dated_when_received_and_coded(open_page, seeded, workspace_app):
    page = sign_in(open_page, RESEARCHER)
    visit = Visits(page)
    page.goto(f"{BASE}/import")
    visit("import")
    letters = ("Letter,Sent on,What they wrote,Writer\n"
               "L-1,03/11/2026,Our parish council wants contracts small enough for the village hall to bid.,Councillor\n"
               "L-2,2026-11-05,The food bank has run on one-year grants for a decade.,Charity\n").encode()
    page.set_input_files("#upload", files=[{"name": "letters.csv", "mimeType": "text/csv", "buffer": letters}])
    page.get_by_label("Paper").check()
    page.get_by_role("button", name="Preview import").click()
    assert heading(page) == "Check the import"
    visit("import preview, columns not yet matched")
    page.get_by_label("Import column Letter as").select_option(label="The row’s own id (a reference or number)")
    page.get_by_label("Import column Sent on as").select_option(label="When the answer was received")
    page.get_by_label("Import column What they wrote as").select_option(label="Anything else")
    page.get_by_label("Import column Writer as").select_option(label="Respondent type")
    page.get_by_role("button", name="Check the matching").click()
    no_error_summary(page)
    assert "Column ‘Sent on’: when each answer was received" in page.locator("#import-dated").inner_text()
    assert page.get_by_text("Received 3 November 2026").count() == 1
    visit("import preview, matched")
    page.get_by_role("button", name="Import 2 responses").click()
    assert "Imported letters.csv: 2 new" in page.locator(".kil-notification").inner_text()
    visit("import, done")

    # One step past: code the letters just imported, reached by their channel.
    page.get_by_role("link", name="Code the answers that arrived by paper").click()
    coded = coding_answer_id(page)
    assert answer_channel(workspace_app, coded) == "paper"
    assert page.locator("#question-title").inner_text() == "Anything else"
    assert "3 November 2026" in page.locator(".kil-coding__context").inner_text()
    visit("coding screen, an imported letter")
    visit.check()


def workshop_count(app) -> int:
    from sqlalchemy import func, select

    from consult.extensions import db
    from consult.responses.models import Response

    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(Response).where(Response.channel == "workshop"))
        db.session.remove()
    return count


def test_workshop_notes_match_the_overview_and_phone_pages_fit_320px(open_page, seeded, workspace_app):
    page = sign_in(open_page, ADMIN, **WIDE)
    visit = Visits(page)
    page.goto(f"{BASE}/")
    counted = workshop_count(workspace_app)
    shown = page.locator("#by-channel tr", has_text="Workshop").locator("td").inner_text()
    assert shown in (str(counted), "not shown")  # small counts may be suppressed beside another small one
    visit("overview")
    page.get_by_role("link", name="Workshop notes").click()
    page.wait_for_url(re.compile(r"/workshops$"))
    assert f"{counted} responses from workshops and events" in page.get_by_role("status").first.inner_text()
    assert page.get_by_role("region", name="Workshop responses").locator("tbody tr").count() == counted
    visit("workshop notes")
    page.get_by_role("link", name="See them in the response list").click()  # one step past
    no_error_summary(page)
    assert f"{counted} responses match these filters" in page.get_by_role("status").first.inner_text()
    page.goto(f"{BASE}/responses/{seeded.named_id}")
    assert EMAIL in page.locator("main").inner_text()  # an admin sees contact details
    visit("response, as an admin")
    page.goto(f"{BASE}/samples")
    assert page.get_by_label("Question").locator("option", has_text="Principle 3: local spend – why").count() == 1
    visit("double-coding samples")
    visit.check()

    phone = open_page(**PHONE)
    visit = Visits(phone)
    phone.goto("/login")
    fits(phone, 320, "sign in")
    visit("sign in, 320px")
    phone.get_by_label("Email address").fill(RESEARCHER)
    phone.get_by_label("Password").fill(PASSWORD)
    phone.get_by_role("button", name="Sign in").click()
    assert heading(phone) == "Surveys"
    phone.wait_for_load_state("load")  # measure the survey list whole, not as it loads
    fits(phone, 320, "the survey list")
    phone.goto(f"/workspace/jobs/{seeded.export_job}")
    fits(phone, 320, "job status")
    visit("job status, 320px")
    phone.goto(f"{BASE}/export")
    fits(phone, 320, "downloads")
    visit("downloads, 320px")
    phone.goto(f"/workspace/jobs/{seeded.export_job}")
    with phone.expect_download() as download:  # one step past: the file downloads
        phone.get_by_role("link", name="Download the CSV file").click()
    assert download.value.suggested_filename.endswith(".csv")
    visit.check()

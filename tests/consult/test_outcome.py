"""Publishing the outcome ("We asked, you said, we did") and moderated responses; nothing unpublished is public;
erasing a response takes its words out of every stored version and every published page; comparing versions."""
from __future__ import annotations

import io
import json

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from consult.auth.models import User
from consult.coding.models import CodeAssignment, Coder, Theme
from consult.demo import content
from consult.extensions import db
from consult.principles.models import PrincipleDraft, ResponseModeration
from consult.responses.models import Response
from consult.surveys.models import Survey, SurveyState
from consult.surveys.services import change_state, load_definition
from tests.factories import make_response, make_user

SLUG = "keep-it-local"
PUBLIC = [f"/s/{SLUG}/outcome/", f"/s/{SLUG}/outcome/report", f"/s/{SLUG}/outcome/report.pdf",
          f"/s/{SLUG}/outcome/responses"]


SENTENCES = sorted({(theme, sentence) for p in content.WHY.values() for pairs in p.values() for theme, sentence in pairs}
                   | {(theme, sentence) for bank in content.BANK.values() for theme, texts in bank.items()
                      for sentence in texts})


@pytest.fixture
def coded_survey(app, kil_definition):
    return seed_coded_responses(load_definition(kil_definition, open_survey=True).survey)


def seed_coded_responses(survey, coder_email: str = "coder@example.org"):
    """30 coded responses whose 'why' answers are distinct sentences (the demonstration's banks), 20 of them
    from people who agreed to publication, and one answer holding an email address. (Modules seeding one
    shared database each give their own coder_email.)"""
    name = "Coder" if coder_email == "coder@example.org" else coder_email  # coder names are unique too
    user = db.session.scalar(select(User).where(User.email == coder_email)) or make_user("researcher", coder_email)
    coder = (db.session.scalar(select(Coder).where(Coder.user_id == user.id))
             or Coder(kind="person", user_id=user.id, name=name))
    themes = {key: Theme(survey_id=survey.id, name=name, description=description)
              for key, name, _parent, description in content.THEMES}
    db.session.add_all([coder, *themes.values()])
    db.session.commit()
    kinds = ["charity", "community_organisation", "councillor", "commissioner", "member_of_public"]
    for n in range(30):
        answers = {"respondent_type": {"value": kinds[n % 5]}, "capacity": {"value": "individual"},
                   "publish_consent": {"value": "anonymous" if n % 3 else "not_published"},
                   "contact_consent": {"value": "no"}}
        for p in range(1, 7):
            # principle 1's answers hold sentences no other answer holds; the others share the rest
            first = 2 * n if p == 1 else 60 + (2 * (30 * (p - 2) + n)) % (len(SENTENCES) - 61)
            (theme, sentence), (theme2, sentence2) = SENTENCES[first], SENTENCES[first + 1]
            text = f"{sentence} {sentence2}".replace("{place}", "Eastbrook").replace("{service}", "youth club") \
                .replace("{n}", "three").replace("{money}", "£40,000")
            if n == 1 and p == 1:
                text += " Write to me at jo.bloggs@example.org for our evaluation."
            answers[f"principle_{p}_agreement"] = {"value": "agree" if n % 4 else "disagree"}
            answers[f"principle_{p}_why"] = {"value": None, "text": text, "themes": [theme, theme2]}
        make_response(survey, {k: {"value": v.get("value"), "text": v.get("text")} for k, v in answers.items()})
        for key, value in answers.items():
            if "themes" in value:
                response = db.session.scalar(select(Response).order_by(Response.id.desc()))
                answer = next(a for a in response.answers if a.question.key == key)
                for theme in dict.fromkeys(value["themes"]):
                    db.session.add(CodeAssignment(answer_id=answer.id, theme_id=themes[theme].id, coder_id=coder.id,
                                                  status="applied"))
    db.session.commit()
    return survey


def _build(client) -> PrincipleDraft:
    assert client.post(f"/workspace/{SLUG}/principles/build").status_code == 303
    survey = db.session.scalar(select(Survey).where(Survey.slug == SLUG))
    return db.session.scalar(select(PrincipleDraft).where(PrincipleDraft.survey_id == survey.id)
                             .order_by(PrincipleDraft.number.desc()))


class _Anonymous:
    """A visitor who is not signed in. Each request runs in its own app context: the test's context would
    otherwise carry the signed-in user (flask_login keeps it on `g`) from one client to the other."""

    def __init__(self, app):
        self.app, self.client = app, app.test_client()

    def get(self, url):
        with self.app.app_context():
            response = self.client.get(url)
            response.get_data()
            return response


def _anonymous(app):
    return _Anonymous(app)


def test_nothing_is_public_until_published_and_after_it_is_withdrawn(app, client, login, coded_survey):  # noqa: F811
    for url in PUBLIC:
        assert _anonymous(app).get(url).status_code == 404, url
    login("staff")
    draft = _build(client)
    for url in PUBLIC:  # a version exists, but none is published
        assert _anonymous(app).get(url).status_code == 404, url
    anonymous = _anonymous(app)
    for url in (f"/workspace/{SLUG}/principles/1/download.pdf", f"/workspace/{SLUG}/principles/1/internal",
                f"/workspace/{SLUG}/publish/", f"/workspace/{SLUG}/publish/responses"):
        response = anonymous.get(url)
        assert response.status_code == 302 and response.location.startswith("/login"), url
    assert client.post(f"/workspace/{SLUG}/publish/", data={"version": draft.number}).status_code == 303
    assert _anonymous(app).get(PUBLIC[0]).status_code == 200
    assert _anonymous(app).get(PUBLIC[3]).status_code == 404  # no response is published yet
    assert client.post(f"/workspace/{SLUG}/publish/unpublish").status_code == 303
    for url in PUBLIC:
        assert _anonymous(app).get(url).status_code == 404, url


def test_the_published_outcome_is_found_from_the_survey_pages(app, client, login, coded_survey):  # noqa: F811
    login("staff")
    draft = _build(client)
    start = _anonymous(app).get(f"/s/{SLUG}/").get_data(as_text=True)
    assert "what we heard and what we did" not in start.lower()
    published = client.post(f"/workspace/{SLUG}/publish/", data={
        "version": draft.number, "what_we_did": "We changed principle 3 and will publish the final principles in June."})
    assert published.status_code == 303
    change_state(coded_survey, SurveyState.CLOSED)
    anonymous = _anonymous(app)
    closed = anonymous.get(f"/s/{SLUG}/page/1")
    assert closed.status_code == 403 and f'href="/s/{SLUG}/outcome/"' in closed.get_data(as_text=True)
    assert f'href="/s/{SLUG}/outcome/"' in anonymous.get(f"/s/{SLUG}/").get_data(as_text=True)
    page = anonymous.get(f"/s/{SLUG}/outcome/").get_data(as_text=True)
    assert "What we heard and what we did" in page and "Published on" in page
    assert "We changed principle 3 and will publish the final principles in June." in page
    assert "Download the report as a PDF" in page
    report = anonymous.get(f"/s/{SLUG}/outcome/report").get_data(as_text=True)
    assert report == draft.html and "answer&nbsp;" not in report and "/workspace/" not in report
    pdf = anonymous.get(f"/s/{SLUG}/outcome/report.pdf")
    assert pdf.mimetype == "application/pdf" and pdf.data == draft.pdf


def test_responses_are_published_only_when_a_moderator_accepts_them(app, client, login, coded_survey):  # noqa: F811
    login("staff")
    draft = _build(client)
    client.post(f"/workspace/{SLUG}/publish/", data={"version": draft.number})
    page = client.get(f"/workspace/{SLUG}/publish/responses").get_data(as_text=True)
    assert "Waiting (20)" in page  # 20 of the 30 agreed to publication; 10 did not
    consenting = [r for r in db.session.scalars(select(Response).order_by(Response.id))
                  if any(a.question.key == "publish_consent" and a.value == "anonymous" for a in r.answers)]
    refused = next(r for r in db.session.scalars(select(Response))
                   if any(a.question.key == "publish_consent" and a.value == "not_published" for a in r.answers))
    first, second = consenting[:2]
    assert any("jo.bloggs" in (a.text or "") for a in first.answers)
    held = client.post(f"/workspace/{SLUG}/publish/responses/{second.id}", data={f"r{second.id}-decision": "held"})
    assert held.status_code == 400 and "Give the reason for holding this response" in held.get_data(as_text=True)
    client.post(f"/workspace/{SLUG}/publish/responses/{second.id}",
                data={f"r{second.id}-decision": "held", f"r{second.id}-reason": "Names a member of staff"})
    client.post(f"/workspace/{SLUG}/publish/responses/{first.id}", data={f"r{first.id}-decision": "accepted"})
    client.post(f"/workspace/{SLUG}/publish/responses/{refused.id}", data={f"r{refused.id}-decision": "accepted"})
    decisions = dict(db.session.execute(select(ResponseModeration.response_id, ResponseModeration.decision)).all())
    assert decisions == {first.id: "accepted", second.id: "held"}  # the one who refused cannot be published
    public = _anonymous(app).get(f"/s/{SLUG}/outcome/responses").get_data(as_text=True)
    why = next(a.text for a in first.answers if a.question.key == "principle_1_why")
    assert why.split(" Write to me")[0].replace("'", "&#39;") in public and "Anonymous respondent" in public
    assert "jo.bloggs@example.org" not in public and "[EMAIL]" in public  # redacted as it is published
    assert next(a.text for a in second.answers if a.question.key == "principle_1_why") not in public
    assert first.reference not in public


def test_erasure_reaches_every_version_and_the_published_pages(app, client, login, coded_survey):  # noqa: F811
    from consult.principles.services import edit_version
    from consult.workspace.services import erase_response

    user = login("staff")
    first = _build(client)
    document = first.document
    p1 = document["principles"][0]
    target = p1["quotes"][0]
    response = db.session.scalar(select(Response).where(Response.reference == target["respondent_id"]))
    erased = {str(a.id) for a in response.answers}
    chosen = [target["id"]] + [q["id"] for q in p1["quotes"][1:3]]
    second = edit_version(first, {}, {p1["id"]: chosen}, user.id)
    client.post(f"/workspace/{SLUG}/publish/", data={"version": second.number})
    client.post(f"/workspace/{SLUG}/publish/responses/{response.id}", data={f"r{response.id}-decision": "accepted"})
    assert target["text"][:40] in _anonymous(app).get(f"/s/{SLUG}/outcome/report").get_data(as_text=True)

    erase_response(response)  # the background job that renders the versions again runs inline in tests

    for draft in db.session.scalars(select(PrincipleDraft)):
        db.session.refresh(draft)
        stored = json.dumps(draft.document) + json.dumps(draft.edits) + draft.html
        pdf = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(draft.pdf)).pages)
        assert target["respondent_id"] not in stored and target["id"] not in stored, draft.number
        cited = [item for chapter in draft.document["principles"] + draft.document["barriers"]
                 for field in ("what_we_heard", "reasons_for", "reasons_against", "recommendations", "quotes",
                               "quote_candidates") for item in chapter.get(field) or []]
        assert cited and not any(item["answer_id"] in erased for item in cited), draft.number
        assert target["text"][:60] not in stored and target["text"][:60] not in " ".join(pdf.split()), draft.number
        assert not draft.rerendering and draft.document["withdrawn"] >= 1
        assert "withdrawn after it was made" in draft.html
    assert db.session.scalar(select(func.count()).select_from(ResponseModeration)) == 0
    anonymous = _anonymous(app)
    assert target["text"][:40] not in anonymous.get(f"/s/{SLUG}/outcome/report").get_data(as_text=True)
    assert anonymous.get(f"/s/{SLUG}/outcome/responses").status_code == 404
    third = edit_version(db.session.get(PrincipleDraft, first.id), {}, {p1["id"]: chosen}, user.id)
    assert target["id"] not in json.dumps(third.edits) and target["text"][:40] not in third.html


def test_a_version_being_rendered_again_says_so(app, client, login, coded_survey):  # noqa: F811
    login("staff")
    draft = _build(client)
    client.post(f"/workspace/{SLUG}/publish/", data={"version": draft.number})
    draft.rerendering, draft.html, draft.pdf = True, "", b""
    db.session.commit()
    download = client.get(f"/workspace/{SLUG}/principles/{draft.number}/download.pdf")
    assert download.status_code == 503 and "is being updated" in download.get_data(as_text=True)
    public = _anonymous(app).get(f"/s/{SLUG}/outcome/report.pdf")
    assert public.status_code == 503 and public.headers["Retry-After"] == "30"
    page = client.get(f"/workspace/{SLUG}/publish/").get_data(as_text=True)
    assert f'<option value="{draft.number}"' not in page  # it cannot be published again until it is rendered


def test_compare_without_parameters_is_a_page_to_choose_versions(app, client, login, coded_survey):  # noqa: F811
    user = login("staff")
    page = client.get(f"/workspace/{SLUG}/principles/compare")
    assert page.status_code == 200 and "Compare two versions" in page.get_data(as_text=True)
    first = _build(client)
    from consult.principles.services import edit_version

    p1 = first.document["principles"][0]
    edit_version(first, {p1["id"]: "Commission for the whole system, not for silos"},
                 {p1["id"]: [q["id"] for q in p1["quotes"][:2]]}, user.id)
    chooser = client.get(f"/workspace/{SLUG}/principles/compare").get_data(as_text=True)
    assert '<select class="kil-select" id="a" name="a">' in chooser and '<option value="1" selected>' in chooser
    changed = client.get(f"/workspace/{SLUG}/principles/compare?a=1&b=2").get_data(as_text=True)
    assert "Think about the whole system, not service silos" in changed
    assert "Commission for the whole system, not for silos" in changed
    for q in p1["quotes"][2:]:
        assert q["text"][:30].replace("'", "&#39;") in changed  # the quotes taken out, in full
    assert "p1 quotes" not in changed and ">p1<" not in changed
    same = client.get(f"/workspace/{SLUG}/principles/compare?a=2&b=2")
    assert same.status_code == 400 and "Choose two different versions" in same.get_data(as_text=True)
    huge = client.get(f"/workspace/{SLUG}/principles/compare?a=1&b={2 ** 64}")
    assert huge.status_code == 400


@pytest.mark.parametrize("role", ["staff"])
def test_the_internal_edition_is_for_signed_in_staff(app, client, login, coded_survey, role):  # noqa: F811
    login(role)
    draft = _build(client)
    internal = client.get(f"/workspace/{SLUG}/principles/{draft.number}/internal").get_data(as_text=True)
    assert "Internal edition" in internal and f'href="/workspace/{SLUG}/responses/' in internal
    assert "Internal edition" not in draft.html


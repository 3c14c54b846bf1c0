"""A draft built from demonstration data, read as a policy team would read it before sending it to councils:
no email address anywhere, no sentence twice in a principle's chapter, candidate principles headed by a
respondent's own recommendation, every quote attributed exactly as its author chose, and a methods chapter
of short sentences that names coders by role."""
from __future__ import annotations

import io
import json
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from analysis.draft_selection import sentence_key, sentences_of
from analysis.prescriptive import imperative_verbs, recommendation
from consult.extensions import db
from consult.principles.models import PrincipleDraft
from consult.responses.models import Answer, Response
from consult.surveys.models import Question

SLUG = "keep-it-local"
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
CITED = ("what_we_heard", "reasons_for", "reasons_against", "recommendations", "quotes")


@pytest.fixture(scope="module")
def built(database_url):
    """Demonstration data and a draft built from the web button, with its two editions."""
    from consult import create_app
    from tests.conftest import empty_database
    from tests.factories import PASSWORD, make_user

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True, "WTF_CSRF_ENABLED": False,
                      "RATELIMIT_ENABLED": False, "SERVER_NAME": "localhost", "JOBS_MODE": "inline"})
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["demo", "--survey", SLUG, "--responses", "600", "--seed", "3"])
        assert result.exit_code == 0, result.output
        client = app.test_client()
        make_user("staff", "reader@example.org")
        assert client.post("/login", data={"email": "reader@example.org", "password": PASSWORD}).status_code == 302
        assert client.post(f"/workspace/{SLUG}/principles/build").status_code == 303
        draft = db.session.scalar(select(PrincipleDraft))
        internal = client.get(f"/workspace/{SLUG}/principles/1/internal").get_data(as_text=True)
        pdf = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(draft.pdf)).pages)
        yield {"app": app, "document": draft.document, "html": draft.html, "pdf": pdf, "internal": internal}
        empty_database()


def chapters(document):
    return document["principles"] + document.get("barriers", [])


def test_no_email_address_anywhere(built):
    document = json.dumps(built["document"])
    for name, text in (("document", document), ("public page", built["html"]), ("PDF", built["pdf"]),
                       ("internal page", built["internal"].replace("reader@example.org", ""))):
        assert not EMAIL.search(text), (name, EMAIL.search(text).group())


def test_no_sentence_repeated_within_a_principles_chapter(built):
    checked = 0
    for chapter in chapters(built["document"]):
        printed = [x["text"] for field in CITED for x in chapter.get(field) or []]
        if chapter.get("headline_source"):
            printed.append(chapter["headline_source"]["text"])
        keys = [sentence_key(s) for text in printed for s in sentences_of(text)]
        assert len(keys) == len(set(keys)), [k for k in keys if keys.count(k) > 1]
        answers = [x["answer_id"] for field in CITED for x in chapter.get(field) or []]
        assert len(answers) == len(set(answers))
        checked += len(keys)
    assert checked > 100


def test_candidate_principles_are_recommendations_taken_from_answers(built):
    candidates = [p for p in built["document"]["principles"] if p["source"] == "new"]
    assert candidates, "the demonstration has themes with recommendations outside the consulted principles"
    verbs = imperative_verbs()
    with built["app"].app_context():
        for p in candidates:
            source = p["headline_source"]
            assert len(p["headline"].split()) >= 4
            assert recommendation(source["text"], verbs) is not None
            answer = db.session.get(Answer, int(source["answer_id"]))
            assert source["text"] in answer.text and p["headline"][1:] in answer.text
            assert answer.response.reference == source["respondent_id"]
            assert p["recommended_by"] >= 0.05 * p["raised_by"]
    assert all(b["theme"] != p.get("theme") for b in built["document"]["barriers"] for p in candidates)


def _chosen(response: Response) -> dict[str, str | None]:
    facts = {}
    for answer in response.answers:
        role = answer.question.role or answer.question.key
        label = dict((c["value"], c["label"]) for c in answer.question.settings.get("choices", []))
        facts[role] = label.get(answer.value, answer.value) if role in ("organisation_type", "respondent_type") \
            else (answer.value or answer.text)
    return facts


def _article(label: str) -> str:
    first = label.split()[0]
    if first.isupper():  # an acronym keeps its capitals
        return ("An " if first[0] in "AEFHILMNORSX" else "A ") + label
    vowel = label[0].lower() in "aeiou" and not label.lower().startswith(("uni", "use"))
    return ("An " if vowel else "A ") + label[0].lower() + label[1:]


def test_attribution_matches_each_quoted_respondents_choice(built):
    quoted = [(q["respondent_id"], q["attribution"]) for chapter in chapters(built["document"])
              for q in chapter.get("quotes", []) + chapter.get("quote_candidates", [])]
    quoted += [(p["headline_source"]["respondent_id"], p["headline_source"]["attribution"])
               for p in built["document"]["principles"] if p.get("headline_source")]
    seen = set()
    with built["app"].app_context():
        for reference, printed in quoted:
            response = db.session.scalar(select(Response).where(Response.reference == reference))
            facts = _chosen(response)
            choice = facts["publish_consent"]
            if choice == "with_name":
                expected = facts.get("respondent_name") or "Anonymous respondent"
            elif choice == "organisation_only" and facts.get("organisation_name"):
                expected = f"{facts['organisation_name']}, {_article(facts['organisation_type'])[0].lower()}" \
                           f"{_article(facts['organisation_type'])[1:]}"
            elif choice == "organisation_only":
                expected = _article(facts["respondent_type"])
            else:
                assert choice == "anonymous", f"{reference} chose {choice} and is quoted"
                expected = "Anonymous respondent"
            assert printed == expected, (reference, choice)
            seen.add(choice if choice != "organisation_only" or facts.get("organisation_name") else "type only")
    assert {"with_name", "organisation_only", "anonymous"} <= seen


def test_organisation_types_are_written_as_people_write_them(built):
    attributions = {q["attribution"] for chapter in chapters(built["document"]) for q in chapter.get("quotes", [])
                    + chapter.get("quote_candidates", [])}
    assert not any(re.search(r"\b(a|an) nhs\b", a) for a in attributions)
    assert not any(a.startswith("A charity (") for a in attributions)


def test_the_methods_chapter_is_short_sentences_naming_coders_by_role(built):
    paragraphs = built["document"]["methodology"]["paragraphs"]
    rendered = built["html"][built["html"].index('id="methodology"'):built["html"].index('id="questions"')]
    texts = paragraphs + [re.sub(r"<[^>]+>", "", p) for p in re.findall(r"<p[^>]*>(.*?)</p>", rendered, re.S)]
    longest = max(len(s.split()) for text in texts for s in sentences_of(text))
    assert longest <= 70
    said = " ".join(paragraphs)
    assert "2 researchers coded" in said and "Demo coder" not in said
    agreement = built["document"]["methodology"]["coding"]["agreement"]
    assert agreement[0]["label"] == "All codes" and agreement[0]["alpha"] is not None and agreement[0]["kappa"] is not None
    assert all(row["n"] >= 30 for row in agreement[1:])


def test_the_internal_edition_links_each_cited_answer_to_its_response(built):
    with built["app"].app_context():
        quote = next(q for p in built["document"]["principles"] for q in p["quotes"])
        answer = db.session.get(Answer, int(quote["answer_id"]))
        link = f'/workspace/{SLUG}/responses/{answer.response_id}#answer-{answer.id}'
    assert f'<a href="{link}">answer&nbsp;{answer.id}</a>' in built["internal"]
    assert "answer&nbsp;" not in built["html"] and "/workspace/" not in built["html"]


def test_suggestions_on_answers_that_are_not_codable_are_not_counted(built):
    from consult.coding.assignments import machine_coder
    from consult.coding.figures import coding_facts
    from consult.coding.models import CodeAssignment, Theme
    from consult.surveys.services import get_survey

    with built["app"].app_context():
        survey = get_survey(SLUG)
        before = coding_facts(survey)
        names = db.session.scalars(select(Answer).join(Question).where(Question.role == "organisation_name")).all()[:5]
        theme = db.session.scalars(select(Theme)).first()
        machine = machine_coder()
        for answer in names:
            db.session.add(CodeAssignment(answer_id=answer.id, theme_id=theme.id, coder_id=machine.id, status="suggested"))
        db.session.commit()
        assert coding_facts(survey).machine_suggested == before.machine_suggested
        db.session.execute(CodeAssignment.__table__.delete().where(CodeAssignment.coder_id == machine.id))
        db.session.commit()

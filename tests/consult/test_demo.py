"""`consult demo`: labelled demonstration responses, codes and a double-coded sample, on a fresh database only."""
from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select

from consult.auth.models import User
from consult.coding.assignments import person_coder
from consult.coding.models import (
    Adjudication,
    CodeAssignment,
    Coder,
    CodingSample,
    SampleItem,
    Theme,
)
from consult.demo.generator import plan
from consult.demo.services import CODER_EMAILS, demo_survey, remove_demo
from consult.extensions import db
from consult.responses.journey import first_incomplete_page, submitted_answers
from consult.responses.models import Answer, Response
from consult.responses.submission import build_response
from consult.surveys.local_authorities import all_authorities
from consult.surveys.models import Question
from tests.factories import make_response, make_survey, make_user

AUTHORITIES = [a.slug for a in all_authorities()]


def _demo(runner, *args: str):
    return runner.invoke(args=["demo", "--survey", "keep-it-local", *args])


def _texts() -> list[tuple[str, str]]:
    return [tuple(row) for row in db.session.execute(
        select(Question.key, Answer.text).join(Question, Question.id == Answer.question_id)
        .join(Response, Response.id == Answer.response_id).where(Answer.text.is_not(None))
        .order_by(Response.id, Answer.id))]


def test_sixty_labelled_responses_coded_with_a_double_coded_sample(runner):
    result = _demo(runner, "--responses", "60", "--seed", "3")
    assert result.exit_code == 0, result.output
    assert "password:" in result.output and "demonstration only" in result.output
    assert "/workspace/keep-it-local/principles/" in result.output

    references = list(db.session.scalars(select(Response.reference)))
    assert len(references) == 60 and all(r.startswith("DEMO-") and len(r) == 19 for r in references)
    answers = {key: text for key, text in _texts() if key in ("organisation_name", "respondent_name")}
    assert answers and all(t.startswith("Demo") for t in answers.values())
    channels = Counter(db.session.scalars(select(Response.channel)))
    assert channels["web"] > 30 and len(channels) >= 2

    long_ids = set(db.session.scalars(select(Answer.id).join(Question, Question.id == Answer.question_id)
                                      .where(Question.kind == "long_text", Answer.text.is_not(None))))
    coded = set(db.session.scalars(select(CodeAssignment.answer_id).distinct()))
    assert len(long_ids) > 100 and len(coded & long_ids) >= 0.9 * len(long_ids)
    themes = list(db.session.scalars(select(Theme)))
    assert 12 <= len(themes) <= 16 and any(t.parent_id for t in themes) and all(t.description for t in themes)

    samples = list(db.session.scalars(select(CodingSample)))
    assert samples and all(s.coder_a_id != s.coder_b_id for s in samples)
    demo_coders = set(db.session.scalars(select(Coder.id).join(User).where(User.email.in_(CODER_EMAILS))))
    assert {s.coder_a_id for s in samples} | {s.coder_b_id for s in samples} == demo_coders
    items = list(db.session.scalars(select(SampleItem.answer_id)))
    both = db.session.scalar(select(func.count()).select_from(
        select(CodeAssignment.answer_id).where(CodeAssignment.answer_id.in_(items))
        .group_by(CodeAssignment.answer_id).having(func.count(CodeAssignment.coder_id.distinct()) == 2).subquery()))
    assert items and both >= 0.8 * len(items)
    roles = {email: role for email, role in db.session.execute(select(User.email, User.role))}
    assert roles["demo-admin@example.org"] == "admin" and all(roles[e] == "researcher" for e in CODER_EMAILS)


def test_planned_answers_are_complete_and_views_differ_by_principle_and_group(app):
    version = demo_survey("keep-it-local").current_version
    planned = plan(600, 0, AUTHORITIES)
    for response in planned:
        assert first_incomplete_page(version, response.answers) is None, response.number
        assert {q.key for q in submitted_answers(version, response.answers)} == set(response.answers)
    votes: dict[tuple[int, str], Counter] = {}
    for response in planned:
        group = "councils" if response.answers["respondent_type"]["value"] in (
            "commissioner", "councillor", "council_officer") else "all"
        for n in (3, 4):
            value = response.answers.get(f"principle_{n}_agreement", {}).get("value")
            for key in {(n, group), (n, "all")}:
                votes.setdefault(key, Counter())[value] += 1

    def leaning(n: int, group: str) -> float:
        tally = votes[(n, group)]
        net = tally["strongly_agree"] + tally["agree"] - tally["disagree"] - tally["strongly_disagree"]
        return net / sum(tally.values())

    assert leaning(3, "all") < 0 and leaning(3, "councils") < leaning(3, "all") and leaning(4, "all") > 0
    campaign = [r for r in planned if r.campaign]
    assert 20 <= len(campaign) <= 40
    assert len({r.answers["anything_else"]["text"] for r in campaign}) > 3
    texts = " ".join(a["text"] or "" for r in planned for a in r.answers.values())
    assert "07700 900" in texts and "@example.com" in texts and "My name is" in texts
    assert Counter(r.answers["publish_consent"]["value"] for r in planned).keys() == {
        "with_name", "organisation_only", "anonymous", "not_published"}


def test_same_seed_gives_the_same_texts_and_replace_starts_again(runner):
    assert _demo(runner, "--responses", "40", "--seed", "7").exit_code == 0
    first = _texts()
    refused = _demo(runner, "--responses", "40", "--seed", "7")
    assert refused.exit_code != 0 and "--replace" in refused.output
    again = _demo(runner, "--responses", "40", "--seed", "7", "--replace")
    assert again.exit_code == 0, again.output
    assert "Deleted 40 earlier demonstration responses" in again.output and "already exists" in again.output
    assert _texts() == first and len(first) > 50
    assert _demo(runner, "--responses", "40", "--seed", "8", "--replace").exit_code == 0
    assert _texts() != first


def test_refuses_when_the_survey_has_real_responses(runner):
    survey = demo_survey("keep-it-local")
    questions = {q.key: q for q in survey.current_version.questions}
    db.session.add(build_response(survey.current_version, {
        questions["respondent_type"]: {"value": "charity", "text": None},
        questions["capacity"]: {"value": "individual", "text": None},
        questions["anything_else"]: {"value": None, "text": "A real answer."}}, channel="email"))
    db.session.commit()
    for args in (("--responses", "10"), ("--responses", "10", "--replace")):
        result = _demo(runner, *args)
        assert result.exit_code != 0 and "1 real response." in result.output
    assert db.session.scalar(select(func.count()).select_from(Response)) == 1
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_replace_removes_only_demonstration_data(runner):
    other = make_survey()
    kept = make_response(other)
    researcher = make_user("researcher")
    assert _demo(runner, "--responses", "30").exit_code == 0
    theme = db.session.scalar(select(Theme).limit(1))
    real_coder = person_coder(researcher)
    db.session.add(CodeAssignment(answer_id=kept.answers[0].id, theme_id=theme.id, coder_id=real_coder.id))
    db.session.commit()

    survey = demo_survey("keep-it-local")
    assert remove_demo(survey) == 30
    assert db.session.scalar(select(func.count()).select_from(Response).where(Response.survey_id == survey.id)) == 0
    assert db.session.scalar(select(func.count()).select_from(CodingSample)) == 0
    assert db.session.scalar(select(func.count()).select_from(Adjudication)) == 0
    assert list(db.session.scalars(select(Coder.id))) == [real_coder.id]
    assert db.session.scalar(select(func.count()).select_from(CodeAssignment)) == 1
    assert db.session.get(Response, kept.id) is not None
    assert db.session.scalar(select(func.count()).select_from(Theme)) >= 12

    result = _demo(runner, "--responses", "30", "--replace")
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(func.count()).select_from(Response).where(Response.survey_id == survey.id)) == 30
    assert db.session.get(Response, kept.id) is not None and db.session.get(Coder, real_coder.id) is not None

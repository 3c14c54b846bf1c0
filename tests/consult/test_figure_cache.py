"""Kept figures (consult.surveys.figure_cache) are reused only until what they count changes: every way the
coding, the codebook or the responses change shows at once on the codebook, agreement and overview figures."""
from __future__ import annotations

import pytest
from sqlalchemy import delete, select

from consult.coding import agreement, assignments, services
from consult.coding.figures import codebook_counts, themes_by_group
from consult.coding.models import CodeAssignment
from consult.extensions import db
from consult.surveys.models import FigureCache, Survey
from consult.workspace.browsing import Filters, overview_counts, response_page
from consult.workspace.services import erase_response
from tests.factories import make_response, make_survey, make_user

pytestmark = pytest.mark.usefixtures("app")

BASE = {"capacity": {"value": "individual", "text": None}, "p1": {"value": "agree", "text": None},
        "publish": {"value": "anonymous", "text": None}, "contact": {"value": "no", "text": None}}


def story(survey, text):
    response = make_response(survey, {**BASE, "story": {"value": None, "text": text}})
    return next(a for a in response.answers if a.question.key == "story")


def revision(survey) -> int:
    return db.session.scalar(select(Survey.figures_revision).where(Survey.id == survey.id))


def test_codebook_counts_follow_codes_saved_merged_and_erased():
    survey = make_survey()
    cost, price = services.create_theme(survey, "Cost"), services.create_theme(survey, "Price")
    coder = assignments.person_coder(make_user("researcher"), commit=True)
    first, second = story(survey, "Too dear to park here"), story(survey, "Prices keep going up")
    assert codebook_counts(survey).answers == {}
    assert db.session.scalar(select(FigureCache.name).where(FigureCache.survey_id == survey.id)) == "codebook_counts"

    assignments.save_codes(first, coder, {cost.id})
    assert codebook_counts(survey).answers == {cost.id: 1}
    assignments.save_codes(second, coder, {price.id})
    assert codebook_counts(survey).answers == {cost.id: 1, price.id: 1}
    assert codebook_counts(survey).answers == {cost.id: 1, price.id: 1}  # reused: the same figures

    services.merge_themes(price, cost)
    assert codebook_counts(survey).answers == {cost.id: 2}
    erase_response(second.response)
    assert codebook_counts(survey).answers == {cost.id: 1}
    assignments.save_codes(first, coder, set())  # "no code applies"
    assert codebook_counts(survey).answers == {}


def test_bulk_statements_and_new_responses_move_figures_on():
    survey = make_survey()
    cost = services.create_theme(survey, "Cost")
    coder = assignments.person_coder(make_user("researcher"), commit=True)
    answer = story(survey, "Too dear to park here")
    assignments.save_codes(answer, coder, {cost.id})
    assert codebook_counts(survey).answers == {cost.id: 1}
    before = revision(survey)
    db.session.execute(delete(CodeAssignment).where(CodeAssignment.answer_id == answer.id))
    db.session.commit()
    assert revision(survey) > before
    assert codebook_counts(survey).answers == {}

    assert overview_counts(survey, 1)["total"] == 1
    assert response_page(survey, Filters()).total == 1
    late = story(survey, "Buses are late")
    assert overview_counts(survey, 1)["total"] == 2  # a new response: the newest id is in the stamp
    assert response_page(survey, Filters()).total == 2
    erase_response(late.response)
    assert response_page(survey, Filters()).total == 1
    assert themes_by_group(survey, 1)["rows"] == []


def test_a_survey_s_coding_leaves_another_survey_s_figures_kept():
    survey, other = make_survey(), make_survey("other-survey")
    cost = services.create_theme(survey, "Cost")
    coder = assignments.person_coder(make_user("researcher"), commit=True)
    answer = story(survey, "Too dear to park here")
    kept = revision(other)
    assignments.save_codes(answer, coder, {cost.id})
    assert revision(other) == kept
    assert revision(survey) > 0


def test_agreement_figures_and_pending_disagreements_follow_adjudication():
    survey = make_survey()
    cost, price = services.create_theme(survey, "Cost"), services.create_theme(survey, "Price")
    ann, bob = make_user("researcher", "ann@example.org"), make_user("researcher", "bob@example.org")
    a, b = assignments.person_coder(ann, commit=True), assignments.person_coder(bob, commit=True)
    answer = story(survey, "Too dear to park here")
    assignments.save_codes(answer, a, {cost.id})
    assignments.save_codes(answer, b, {cost.id})
    rows, overall, themes, pending = agreement.kept_figures(survey)
    assert pending == 0 and rows[0].figures.n == 1 and themes[cost.id] == "Cost"
    assert (rows, overall, themes, pending) == agreement.kept_figures(survey)[:3] + (pending,)

    assignments.save_codes(answer, b, {price.id})
    assert agreement.kept_figures(survey)[3] == 1
    agreement.adjudicate(answer, [price.id], ann)
    assert agreement.kept_figures(survey)[3] == 0
    assert codebook_counts(survey).answers == {price.id: 1}

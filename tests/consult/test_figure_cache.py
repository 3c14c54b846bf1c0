"""Kept figures (consult.surveys.figure_cache) are reused only until what they count changes: every way the
coding, the codebook or the responses change shows at once on the codebook, agreement and overview figures."""
from __future__ import annotations

import pytest
from sqlalchemy import delete, select

from consult.coding import agreement, assignments, disagreements, services
from consult.coding.figures import codebook_counts, recount_codebook, themes_by_group
from consult.coding.models import CodeAssignment
from consult.extensions import db
from consult.responses.counts import ALL, kept_option_counts, option_counts
from consult.surveys.models import FigureCache, Survey
from consult.surveys.services import question_ids
from consult.workspace.browsing import Filters, overview_counts, response_conditions, response_page
from consult.workspace.services import erase_response
from tests.factories import PASSWORD, make_response, make_survey, make_user

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
    disagreements.adjudicate(answer, [price.id], ann)
    assert agreement.kept_figures(survey)[3] == 0
    assert codebook_counts(survey).answers == {price.id: 1}


def test_pending_disagreements_are_counted_one_way_on_both_pages_from_figures_kept_before_an_adjudication(
        app, client, monkeypatch):
    """While a job counts the agreement figures again after an adjudication, the agreement page's "N answers
    with disagreements to adjudicate" and the disagreements list count adjudications as they stand now."""
    survey = make_survey()
    cost, price = services.create_theme(survey, "Cost"), services.create_theme(survey, "Price")
    ann, bob = make_user("researcher", "researcher@example.org"), make_user("researcher", "bob@example.org")
    a, b = assignments.person_coder(ann, commit=True), assignments.person_coder(bob, commit=True)
    answers = [story(survey, f"Too dear to park, {n}") for n in range(3)]
    for answer in answers:
        assignments.save_codes(answer, a, {cost.id})
        assignments.save_codes(answer, b, {price.id})
    client.post("/login", data={"email": "researcher@example.org", "password": PASSWORD})
    base = f"/workspace/{survey.slug}/agreement"
    assert "3 answers with disagreements to adjudicate" in client.get(base).get_data(as_text=True)

    app.config["RECOUNT_INLINE_RESPONSES"] = 0  # as on a survey too large to count while the page loads
    monkeypatch.setattr("consult.surveys.recount.submit", _waiting_job)
    disagreements.adjudicate(answers[1], [price.id], ann)
    page = client.get(base).get_data(as_text=True)
    assert 'data-figures-state="stale"' in page and "2 answers with disagreements to adjudicate" in page
    listing = client.get(f"{base}/disagreements").get_data(as_text=True)
    assert "2 answers" in listing and f"Answer {answers[1].id}<" not in listing
    rows, total, _recount = disagreements.disagreements_page(survey, None, include_settled=True)
    assert total == 3 and [row["answer"].id for row in rows] == [answers[0].id, answers[2].id, answers[1].id]
    assert rows[-1]["adjudication"].theme_ids == [price.id] and rows[0]["sets"] == {
        a.name: [cost.id], b.name: [price.id]}


def _agree(survey, value, capacity="individual"):
    return make_response(survey, {**BASE, "capacity": {"value": capacity, "text": None},
                                  "p1": {"value": value, "text": None}})


def test_option_counts_are_topped_up_with_new_responses_and_counted_again_after_an_erasure():
    survey = make_survey()
    ids = question_ids(survey, keys=["p1"])
    only_organisations = response_conditions(survey, Filters(capacity="organisation"))[1:]

    def same_as_counting_now(**kwargs):
        kept = kept_option_counts(survey.id, ids, **kwargs)
        assert kept == option_counts(ids, **kwargs)
        return kept

    _agree(survey, "agree")
    assert same_as_counting_now().chosen == {(ALL, "agree"): 1}
    _agree(survey, "disagree", "organisation")
    late = _agree(survey, "agree", "organisation")
    assert same_as_counting_now().chosen == {(ALL, "agree"): 2, (ALL, "disagree"): 1}  # topped up
    assert same_as_counting_now(where=only_organisations).answering == {ALL: 2}
    assert same_as_counting_now(by_type=True).answering == {None: 3}
    before = db.session.scalar(select(Survey.responses_revision).where(Survey.id == survey.id))
    erase_response(late)
    assert db.session.scalar(select(Survey.responses_revision).where(Survey.id == survey.id)) > before
    assert same_as_counting_now().chosen == {(ALL, "agree"): 1, (ALL, "disagree"): 1}
    assert same_as_counting_now(where=only_organisations).chosen == {(ALL, "disagree"): 1}


def test_counts_keep_settled_responses_and_start_again_after_several_are_stored_in_one_transaction():
    """A response is kept in the counts once it is older than SETTLE_SECONDS (a submission whose id came
    before a newer one's may commit just after it); an import stores many in one transaction, whose ids may
    commit long after newer ones: the counts start again."""
    from datetime import timedelta

    from sqlalchemy import update

    from consult.responses.models import Response
    from consult.responses.submission import build_response
    from consult.timeutil import utcnow

    survey = make_survey()
    ids = question_ids(survey, keys=["p1"])
    _agree(survey, "agree")
    _agree(survey, "disagree")
    assert kept_option_counts(survey.id, ids).chosen == {(ALL, "agree"): 1, (ALL, "disagree"): 1}
    assert db.session.scalar(select(FigureCache.value).where(FigureCache.name.like("options:%"))) is None
    db.session.execute(update(Response).values(submitted_at=utcnow() - timedelta(hours=1)))
    db.session.commit()
    assert kept_option_counts(survey.id, ids).chosen == {(ALL, "agree"): 1, (ALL, "disagree"): 1}
    kept = db.session.scalar(select(FigureCache).where(FigureCache.name.like("options:%")))
    assert sorted(kept.value.values()) == [1, 1, 2]  # agree, disagree, answering: kept now

    before = db.session.scalar(select(Survey.responses_revision).where(Survey.id == survey.id))
    version = survey.versions[-1]
    p1 = next(q for q in version.questions if q.key == "p1")
    for _ in range(2):
        db.session.add(build_response(version, {p1: {"value": "agree"}}, channel="paper"))
    db.session.commit()
    assert db.session.scalar(select(Survey.responses_revision).where(Survey.id == survey.id)) == before + 1
    assert kept_option_counts(survey.id, ids) == option_counts(ids)
    assert kept_option_counts(survey.id, ids).chosen == {(ALL, "agree"): 3, (ALL, "disagree"): 1}
    _agree(survey, "agree")  # one response in a transaction: topped up, no new start
    assert db.session.scalar(select(Survey.responses_revision).where(Survey.id == survey.id)) == before + 1
    assert kept_option_counts(survey.id, ids).chosen == {(ALL, "agree"): 4, (ALL, "disagree"): 1}
    assert response_page(survey, Filters(capacity="individual")).total == 3


def test_the_codebook_page_shows_kept_figures_while_a_job_counts_them_again(app, client, monkeypatch):
    survey = make_survey()
    cost = services.create_theme(survey, "Cost")
    coder = assignments.person_coder(make_user("researcher"), commit=True)
    assignments.save_codes(story(survey, "Too dear to park here"), coder, {cost.id})
    client.post("/login", data={"email": "researcher@example.org", "password": PASSWORD})
    page = client.get(f"/workspace/{survey.slug}/codebook").get_data(as_text=True)
    assert "data-figures-state" not in page  # counted within the request (JOBS_MODE=inline): current
    assert codebook_counts(survey).answers == {cost.id: 1}

    app.config["RECOUNT_INLINE_RESPONSES"] = 0  # as on a survey too large to count while the page loads
    queued = []
    monkeypatch.setattr("consult.surveys.recount.submit",
                        lambda kind, **kw: queued.append(kw) or _waiting_job(kind, **kw))
    assignments.save_codes(story(survey, "Prices keep going up"), coder, {cost.id})
    page = client.get(f"/workspace/{survey.slug}/codebook").get_data(as_text=True)
    assert 'data-figures-state="stale"' in page and "being counted again" in page
    assert '<td class="kil-num">1</td>' in page  # the kept figure, until the job has counted again
    assert len(queued) == 1
    client.get(f"/workspace/{survey.slug}/codebook")
    assert len(queued) == 1  # one job for the same figures
    recount_codebook(survey, lambda *_: None, min_cell=app.config["CROSSTAB_MIN_CELL"])
    page = client.get(f"/workspace/{survey.slug}/codebook").get_data(as_text=True)
    assert "data-figures-state" not in page and '<td class="kil-num">2</td>' in page


def _waiting_job(kind, *, params, survey_id, timeout):
    from consult.jobs.models import Job

    job = Job(kind=kind, params=params, survey_id=survey_id, timeout_seconds=timeout)
    db.session.add(job)
    db.session.commit()
    return job


def test_a_figure_counted_while_another_connection_writes_is_shown_and_kept_later():
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite has one writer at a time")
    survey = make_survey()
    services.create_theme(survey, "Cost")
    db.session.commit()
    mine = db.session.connection()
    mine.exec_driver_sql("PRAGMA busy_timeout=200")  # not the 10 s a request waits
    try:
        with db.engine.connect() as job:  # a job's write transaction, open while this request counts
            job.exec_driver_sql("BEGIN IMMEDIATE")
            job.exec_driver_sql("UPDATE survey SET title = title WHERE id = ?", (survey.id,))
            assert codebook_counts(survey).answers == {}  # counted and shown, though it cannot be kept now
            job.rollback()
        assert db.session.scalar(select(FigureCache.name).where(FigureCache.survey_id == survey.id)) is None
        assert codebook_counts(survey).answers == {}
        assert db.session.scalar(select(FigureCache.name).where(FigureCache.survey_id == survey.id)) == "codebook_counts"
    finally:
        db.session.connection().exec_driver_sql("PRAGMA busy_timeout=10000")

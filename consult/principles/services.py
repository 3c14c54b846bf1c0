"""Drafting principles: build a numbered draft from the current coding (as a job), edit, compare; and keep
the facts about each response that drafting at scale reads (campaign signatures, votes, found campaigns)."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Callable

from flask import current_app
from sqlalchemy import delete, func, select

from analysis.records import Campaign
from consult.auth.services import record
from consult.extensions import db
from consult.jobs.models import Job
from consult.jobs.services import JobError, submit, task
from consult.principles import campaigns as campaign_index
from consult.principles import facts
from consult.principles.models import AgreementVote, CampaignCache, PrincipleDraft, ResponseSignature
from consult.responses.models import Response
from consult.surveys.models import Question, Survey, SurveyVersion
from consult.timeutil import utcnow

Progress = Callable[[float, str], None]


def drafts_of(survey: Survey) -> list[PrincipleDraft]:
    return list(db.session.scalars(select(PrincipleDraft).where(PrincipleDraft.survey_id == survey.id)
                                   .order_by(PrincipleDraft.number.desc())))


def get_draft(survey: Survey, number: int) -> PrincipleDraft | None:
    return db.session.scalar(select(PrincipleDraft).where(PrincipleDraft.survey_id == survey.id,
                                                          PrincipleDraft.number == number))


def start_build(survey: Survey, user_id: int | None) -> Job:
    """Queue a new draft built from the survey's coding as it stands now."""
    return submit("principles_draft", survey_id=survey.id, user_id=user_id,
                  params={"survey_id": survey.id, "title": f"Drafting principles for {survey.title}"},
                  timeout=current_app.config["DRAFT_TIMEOUT_SECONDS"])


def build_version(survey: Survey, progress: Progress, user_id: int | None = None) -> PrincipleDraft:
    """Load the evidence, draft, render and save it as the next numbered version.

    Staff edits to the latest version carry over where the same principle still exists.
    """
    from analysis.principles import build_draft
    from consult.principles.loader import load

    progress(0.05, "Loading responses and codes")
    loaded = load(survey, min_cell=current_app.config["CROSSTAB_MIN_CELL"])
    evidence = loaded.evidence
    if not evidence.respondents:
        raise JobError("There are no responses to draft from yet")
    progress(0.25, f"Looking for organised campaigns among {len(evidence.respondents):,} responses")
    campaigns = survey_campaigns(survey, loaded.reference_of)
    progress(0.45, f"Drafting from {len(evidence.respondents):,} responses")
    document = build_draft(evidence, campaigns=campaigns)
    latest = next(iter(drafts_of(survey)), None)
    ids = {p["id"] for p in document["principles"]}
    edits = {kind: {pid: value for pid, value in (latest.edits.get(kind) or {}).items() if pid in ids}
             for kind in ("headlines", "quotes")} if latest else {}
    progress(0.6, "Rendering the PDF and web page")
    return _save(survey, document, edits, based_on=latest, user_id=user_id,
                 note="Built from the current coding", progress=progress)


def _save(survey: Survey, document: dict[str, Any], edits: dict[str, Any], *, based_on: PrincipleDraft | None,
          user_id: int | None, note: str, progress: Progress | None = None) -> PrincipleDraft:
    from analysis.principles import apply_edits
    from analysis.report import render_html, render_pdf

    final = apply_edits(document, edits)
    html, pdf = render_html(final), render_pdf(final)
    if progress:
        progress(0.95, "Saving the draft")
    number = (db.session.scalar(select(func.max(PrincipleDraft.number)).where(PrincipleDraft.survey_id == survey.id)) or 0) + 1
    draft = PrincipleDraft(survey_id=survey.id, number=number, based_on_id=based_on.id if based_on else None,
                           document=document, edits=edits, note=note, pdf=pdf, html=html,
                           respondents=document["counts"]["respondents"], demo=bool(document.get("demo")),
                           created_by=user_id)
    db.session.add(draft)
    db.session.flush()
    record("principles.drafted", draft, {"survey": survey.slug, "number": number, "note": note}, by=None)
    db.session.commit()
    return draft


def edit_version(draft: PrincipleDraft, headlines: dict[str, str], quotes: dict[str, list[str]],
                 user_id: int | None) -> PrincipleDraft:
    """Save staff edits (headline wording, chosen quotes) as a new version; the old one stays as it was."""
    edits = {"headlines": {**(draft.edits.get("headlines") or {}), **headlines},
             "quotes": {**(draft.edits.get("quotes") or {}), **quotes}}
    survey = db.session.get(Survey, draft.survey_id)
    return _save(survey, draft.document, edits, based_on=draft, user_id=user_id,
                 note=f"Edited from version {draft.number}")


def edited_document(draft: PrincipleDraft) -> dict[str, Any]:
    from analysis.principles import apply_edits

    return apply_edits(draft.document, draft.edits)


def compare_versions(older: PrincipleDraft, newer: PrincipleDraft) -> list[dict[str, Any]]:
    from analysis.principles import compare

    return compare(edited_document(older), edited_document(newer))


@task("principles_draft")
def run_build(job: Job, progress: Progress) -> dict[str, Any]:
    survey = db.session.get(Survey, job.params["survey_id"])
    if survey is None:
        raise JobError("That survey no longer exists")
    draft = build_version(survey, progress, user_id=job.created_by)
    return {"summary": f"Draft version {draft.number} is ready, built from {draft.respondents:,} responses.",
            "draft": draft.number, "next": {"endpoint": "principles.drafts", "values": {"slug": survey.slug}},
            "next_label": "Go to the drafts"}


def store_facts(version: SurveyVersion, stored: Sequence[tuple[int, Response]],
                questions: Iterable[Question] | None = None) -> None:
    """Insert, in the session's transaction, the facts of new responses of any channel: (response id, the
    Response build_response made), once inserted. Two bulk inserts: their campaign signatures and their
    votes on consulted principles. `questions`: those answered, when at hand (else the version's)."""
    found = facts.of_built({q.id: q for q in (version.questions if questions is None else questions)},
                           [r for _, r in stored])
    _insert_facts(version.survey_id, [rid for rid, _ in stored], found)


def backfill_facts(survey: Survey) -> int:
    """Work out and store the facts of the survey's responses that have none under the current signature
    scheme (stored before facts were kept, or under older parameters), and commit. Returns how many."""
    in_survey = Response.survey_id == survey.id
    counted = select(func.count()).select_from(ResponseSignature).where(ResponseSignature.survey_id == survey.id,
                                                                        ResponseSignature.scheme == facts.SCHEME)
    if db.session.scalar(select(func.count()).select_from(Response).where(in_survey)) == db.session.scalar(counted):
        return 0
    current = select(ResponseSignature.response_id).where(ResponseSignature.scheme == facts.SCHEME)
    missing = list(db.session.scalars(select(Response.id).where(in_survey, Response.id.not_in(current))
                                      .order_by(Response.id)))
    questions = list(db.session.scalars(select(Question).join(SurveyVersion).where(SurveyVersion.survey_id == survey.id)))
    for start in range(0, len(missing), 5000):
        chunk = missing[start:start + 5000]
        for model in (ResponseSignature, AgreementVote):
            db.session.execute(delete(model).where(model.response_id.in_(chunk)))
        _insert_facts(survey.id, chunk, facts.of_stored(questions, chunk))
    db.session.commit()
    return len(missing)


def _insert_facts(survey_id: int, response_ids: Sequence[int], found: Sequence[facts.Facts]) -> None:
    if not response_ids:
        return
    connection = db.session.connection()
    connection.execute(ResponseSignature.__table__.insert(), [
        {"response_id": rid, "survey_id": survey_id, **signature} for rid, (signature, _) in zip(response_ids, found)])
    votes = [{"response_id": rid, **vote} for rid, (_, votes) in zip(response_ids, found) for vote in votes]
    if votes:
        connection.execute(AgreementVote.__table__.insert(), votes)


def refresh_campaigns(survey: Survey) -> campaign_index.Found:
    """The survey's campaigns as response ids: from CampaignCache while its fingerprint matches the stored
    signatures, else found again and kept there (committed). Fills in missing facts first."""
    backfill_facts(survey)
    fingerprint = campaign_index.fingerprint(survey.id)
    cache = db.session.get(CampaignCache, survey.id)
    if cache is not None and cache.scheme == facts.SCHEME and cache.fingerprint == fingerprint:
        return cache.campaigns
    found = campaign_index.find(survey.id)
    if cache is None:
        cache = CampaignCache(survey_id=survey.id)
        db.session.add(cache)
    cache.scheme, cache.fingerprint, cache.campaigns = facts.SCHEME, fingerprint, found
    cache.computed_at = utcnow()
    db.session.commit()
    return found


def survey_campaigns(survey: Survey, reference_of: dict[int, str]) -> list[Campaign]:
    """The survey's organised campaigns with respondents named by reference (as the loaded evidence names
    them), for build_draft."""
    return [Campaign(id=i, answer_ids=tuple(reference_of[m] for m in members), representative_id=reference_of[rep],
                     min_similarity=similarity)
            for i, (members, rep, similarity) in enumerate(refresh_campaigns(survey), 1)]

"""Drafting principles: build a numbered draft from the current coding, save staff edits as a new version, and
compare versions. A version's PDF is only ever rendered in a background job (building and editing alike)."""
from __future__ import annotations

from typing import Any, Callable

from flask import current_app
from sqlalchemy import func, select

from analysis.draft_edits import carried_edits
from consult.auth.services import record
from consult.extensions import db
from consult.jobs.models import Job
from consult.jobs.services import JobError, submit, task
from consult.principles.models import PrincipleDraft
from consult.responses.models import Answer, Response
from consult.surveys.models import Survey
from consult.surveys.services import job_survey

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


def start_edit(draft: PrincipleDraft, headlines: dict[str, str], quotes: dict[str, list[str]],
               user_id: int | None) -> Job:
    """Queue staff edits (headline wording, chosen quotes) to be saved, rendered, as a new version."""
    return submit("principles_edit", survey_id=draft.survey_id, user_id=user_id, params={
        "draft_id": draft.id, "headlines": headlines, "quotes": quotes,
        "title": f"Saving edits to version {draft.number} as a new version"},
        timeout=current_app.config["DRAFT_TIMEOUT_SECONDS"])


def build_version(survey: Survey, progress: Progress, user_id: int | None = None) -> PrincipleDraft:
    """Load the evidence, draft, render and save it as the next numbered version.

    Staff edits to the latest version carry over where the same principle still exists.
    """
    from analysis.principles import build_draft
    from consult.principles.loader import load, survey_campaigns

    progress(0.05, "Loading responses and codes")
    loaded = load(survey, min_cell=current_app.config["CROSSTAB_MIN_CELL"], with_campaigns=False)
    if not loaded.evidence.respondents:
        raise JobError("There are no responses to draft from yet")
    progress(0.35, "Finding organised campaigns")
    campaigns = survey_campaigns(survey, loaded.reference_of)
    progress(0.45, f"Drafting from {len(loaded.evidence.respondents):,} responses")
    document = build_draft(loaded.evidence, campaigns=campaigns)
    latest = next(iter(drafts_of(survey)), None)
    edits = carried_edits(latest.edits, document) if latest else {}
    progress(0.6, "Rendering the PDF and web page")
    return _save(survey, document, edits, based_on=latest, user_id=user_id,
                 note="Built from the current coding", progress=progress)


def edit_version(draft: PrincipleDraft, headlines: dict[str, str], quotes: dict[str, list[str]],
                 user_id: int | None, progress: Progress | None = None) -> PrincipleDraft:
    """Save staff edits as a new version, rendered; the old one stays as it was."""
    edits = carried_edits({"headlines": {**(draft.edits.get("headlines") or {}), **headlines},
                           "quotes": {**(draft.edits.get("quotes") or {}), **quotes}}, draft.document)
    survey = db.session.get(Survey, draft.survey_id)
    return _save(survey, draft.document, edits, based_on=draft, user_id=user_id,
                 note=f"Edited from version {draft.number}", progress=progress)


def _render(document: dict[str, Any], edits: dict[str, Any]) -> tuple[str, bytes]:
    """The public edition of a version, as a web page and a PDF."""
    from analysis.principles import apply_edits
    from analysis.report import render_html, render_pdf

    final = apply_edits(document, edits)
    return render_html(final), render_pdf(final)


def _save(survey: Survey, document: dict[str, Any], edits: dict[str, Any], *, based_on: PrincipleDraft | None,
          user_id: int | None, note: str, progress: Progress | None = None) -> PrincipleDraft:
    from consult.auth.models import User

    html, pdf = _render(document, edits)
    if progress:
        progress(0.95, "Saving the draft")
    number = (db.session.scalar(select(func.max(PrincipleDraft.number)).where(PrincipleDraft.survey_id == survey.id)) or 0) + 1
    draft = PrincipleDraft(survey_id=survey.id, number=number, based_on_id=based_on.id if based_on else None,
                           document=document, edits=edits, note=note, pdf=pdf, html=html,
                           respondents=document["counts"]["respondents"], demo=bool(document.get("demo")),
                           created_by=user_id)
    db.session.add(draft)
    db.session.flush()
    by = db.session.get(User, user_id) if user_id else None
    record("principles.drafted", draft, {"survey": survey.slug, "number": number, "note": note}, by=by)
    db.session.commit()
    return draft


def record_download(draft: PrincipleDraft, kind: str) -> None:
    """Log who downloaded which version, in which format."""
    record("principles.downloaded", draft, {"number": draft.number, "format": kind})
    db.session.commit()


def edited_document(draft: PrincipleDraft) -> dict[str, Any]:
    from analysis.principles import apply_edits

    return apply_edits(draft.document, draft.edits)


def internal_edition(draft: PrincipleDraft, link: Callable[[int], str]) -> str:
    """The internal edition of a version as a web page: each cited answer named, and linked (`link(response
    id)`) to its response in the workspace while that response exists. Rendered when asked for, from the
    version's frozen document."""
    from analysis.report import render_html

    document = edited_document(draft)
    cited = {str(item["answer_id"]) for chapter in document["principles"] + (document.get("barriers") or [])
             for field in ("what_we_heard", "reasons_for", "reasons_against", "recommendations", "quotes")
             for item in chapter.get(field) or []}
    cited |= {str(p["headline_source"]["answer_id"]) for p in document["principles"] if p.get("headline_source")}
    numeric = [int(a) for a in cited if a.isdigit()]
    response_of = dict(db.session.execute(select(Answer.id, Answer.response_id).join(Response).where(
        Answer.id.in_(numeric), Response.survey_id == draft.survey_id)).all()) if numeric else {}

    def cite(item: dict) -> str | None:
        answer = str(item.get("answer_id", ""))
        response = response_of.get(int(answer)) if answer.isdigit() else None
        return f"{link(response)}#answer-{answer}" if response else None

    return render_html(document, internal=True, cite=cite)


def compare_versions(older: PrincipleDraft, newer: PrincipleDraft) -> list[dict[str, Any]]:
    from analysis.principles import compare

    return compare(edited_document(older), edited_document(newer))


def _ready(draft: PrincipleDraft, survey: Survey, verb: str) -> dict[str, Any]:
    return {"summary": f"Draft version {draft.number} is {verb}, built from {draft.respondents:,} responses.",
            "draft": draft.number, "next": {"endpoint": "principles.edit",
                                            "values": {"slug": survey.slug, "number": draft.number}},
            "next_label": f"Go to version {draft.number}"}


@task("principles_draft")
def run_build(job: Job, progress: Progress) -> dict[str, Any]:
    survey = job_survey(job)
    return _ready(build_version(survey, progress, user_id=job.created_by), survey, "ready")


@task("principles_edit")
def run_edit(job: Job, progress: Progress) -> dict[str, Any]:
    draft = db.session.get(PrincipleDraft, job.params["draft_id"])
    if draft is None:
        raise JobError("That version no longer exists")
    progress(0.2, "Rendering the PDF and web page")
    new = edit_version(draft, job.params["headlines"], job.params["quotes"], job.created_by, progress)
    return _ready(new, db.session.get(Survey, new.survey_id), "saved")

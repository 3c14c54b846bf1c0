"""A survey's organised campaigns: signatures kept for each response, and the campaigns found from them
(analysis.campaigns.find_campaigns_signed gives the same campaigns as detecting them from the texts).

Signatures are worked out in a background job after responses are stored (`responses_stored`), and for any
still missing when campaigns are asked for. The campaigns found are kept in CampaignCache under a
fingerprint of the signatures, and reused until a response is added or erased.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from flask import current_app
from sqlalchemy import exists, func, select

from analysis.campaign_signatures import DEFAULTS
from analysis.campaigns import find_campaigns_signed
from analysis.draft_campaigns import voice
from consult.campaigns.models import CampaignCache, ResponseSignature
from consult.campaigns.signatures import SCHEME, campaign_texts, signature_rows
from consult.database import replace_rows
from consult.extensions import db
from consult.jobs.models import Job
from consult.jobs.services import submit, task, waiting_jobs
from consult.responses.consent import quotable
from consult.responses.models import Response
from consult.surveys.models import Question, Survey, SurveyVersion
from consult.surveys.services import job_survey
from consult.timeutil import utcnow

CHUNK = 5000


@dataclass(frozen=True)
class Campaign:
    """Responses whose free text is near-identical: `members` (response ids in response order), the
    `representative` that speaks for the campaign once in theme counts and quotes
    (analysis.draft_campaigns.voice), and the lowest similarity of a member to the most central."""

    members: tuple[int, ...]
    representative: int
    min_similarity: float


def store_signatures(survey: Survey) -> int:
    """Work out and store the signatures of the survey's responses that have none under the current scheme
    (new, or stored under older parameters), and commit. Returns how many."""
    in_survey = Response.survey_id == survey.id
    # NOT EXISTS, an anti-join: NOT IN over a million ids outgrows the hash PostgreSQL keeps in work_mem and
    # falls back to a scan per response (measured: still running after 4 minutes at 1,000,000 responses).
    signed = exists().where(ResponseSignature.response_id == Response.id, ResponseSignature.scheme == SCHEME)
    missing = list(db.session.scalars(select(Response.id).where(in_survey, ~signed).order_by(Response.id)))
    if not missing:
        return 0
    questions = list(db.session.scalars(select(Question).join(SurveyVersion).where(SurveyVersion.survey_id == survey.id)))
    for start in range(0, len(missing), CHUNK):
        chunk = missing[start:start + CHUNK]
        rows = signature_rows(campaign_texts(questions, chunk))
        # Replaces a signature stored under older parameters, and one a concurrent request or job stored meanwhile.
        replace_rows(ResponseSignature.__table__,
                     [{"response_id": rid, "survey_id": survey.id, **row} for rid, row in zip(chunk, rows)])
        db.session.commit()
    return len(missing)


def fingerprint(survey_id: int) -> str:
    """Changes whenever a response of the survey is added or erased (or its signature is remade): the count,
    the largest and the sum of the response ids, and a sum over the text keys (SQLite may give a new response
    the id of an erased last one; its words then change the sum unless they are the same words)."""
    count, largest, total, texts = db.session.execute(
        select(func.count(), func.max(ResponseSignature.response_id), func.sum(ResponseSignature.response_id),
               func.sum(func.coalesce(ResponseSignature.text_key.op("/")(1048576), 0)))  # integer division
        .where(ResponseSignature.survey_id == survey_id, ResponseSignature.scheme == SCHEME)).one()
    return f"{SCHEME}:{count}:{largest or 0}:{total or 0}:{texts or 0}"


def _find(survey_id: int) -> list[list]:
    """The survey's campaigns found from its stored signatures: [[member ids], representative, similarity]."""
    found = db.session.execute(
        select(ResponseSignature.response_id, ResponseSignature.text_key, ResponseSignature.signature,
               ResponseSignature.shingles)
        .where(ResponseSignature.survey_id == survey_id, ResponseSignature.scheme == SCHEME,
               ResponseSignature.signature.is_not(None)).order_by(ResponseSignature.response_id)).all()
    if not found:
        return []
    ids = [r[0] for r in found]
    keys = np.array([r[1] for r in found], dtype=np.int64)
    matrix = np.frombuffer(b"".join(bytes(r[2]) for r in found), dtype="<u4").reshape(len(found), DEFAULTS["num_perm"])
    sizes = np.array([r[3] for r in found], dtype=np.int64)
    return [[list(c.answer_ids), c.representative_id, c.min_similarity]
            for c in find_campaigns_signed(ids, keys, matrix, sizes, seed=DEFAULTS["seed"])]


def campaign_stamp(survey_id: int) -> str:
    """Cheap to read, and changes when a response is added or signed: for figures kept with the campaigns they
    were counted with (consult.surveys.figure_cache; an erasure moves the survey's revision on)."""
    newest = db.session.scalar(select(func.max(Response.id)).where(Response.survey_id == survey_id))
    signed = db.session.scalar(select(func.max(ResponseSignature.response_id)).where(
        ResponseSignature.survey_id == survey_id, ResponseSignature.scheme == SCHEME))
    return f"{SCHEME}:{newest or 0}:{signed or 0}"


def current_campaigns(survey: Survey) -> list[Campaign]:
    """The survey's campaigns as they stand: from CampaignCache while its fingerprint matches the stored
    signatures, else found again (missing signatures first) and kept there."""
    store_signatures(survey)
    mark = fingerprint(survey.id)
    cache = db.session.get(CampaignCache, survey.id)
    if cache is None or cache.scheme != SCHEME or cache.fingerprint != mark:
        campaigns = _find(survey.id)
        replace_rows(CampaignCache.__table__, [{"survey_id": survey.id, "scheme": SCHEME, "fingerprint": mark,
                                                 "campaigns": campaigns, "computed_at": utcnow()}])
        db.session.commit()
    else:
        campaigns = cache.campaigns
    may_quote = quotable(survey, [m for members, _rep, _sim in campaigns for m in members])
    return [Campaign(tuple(members), voice(members, central, may_quote.__contains__), similarity)
            for members, central, similarity in campaigns]


def queue_signatures(survey_id: int, *, find: bool = False) -> Job | None:
    """Queue the job that signs new responses (and with `find`, finds the campaigns too), unless one that
    does as much for this survey is already waiting to start."""
    if any(job.params.get("find") or not find for job in waiting_jobs("campaign_signatures", survey_id)):
        return None
    return submit("campaign_signatures", survey_id=survey_id,
                  gather=0 if find else current_app.config["JOBS_GATHER_SECONDS"], params={
        "survey_id": survey_id, "find": find,
        "title": "Finding organised campaigns" if find else "Signing new responses for campaign detection"})


@task("campaign_signatures")
def run_signatures(job: Job, progress) -> dict:
    survey = job_survey(job)
    progress(0.1, "Signing new responses")
    signed = store_signatures(survey)
    if not job.params.get("find"):
        return {"summary": f"{signed:,} new responses signed for campaign detection."}
    progress(0.6, "Finding organised campaigns")
    found = current_campaigns(survey)
    return {"summary": f"{len(found):,} organised campaign{'' if len(found) == 1 else 's'} found."}

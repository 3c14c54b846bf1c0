"""Organised campaigns in a survey, found from the signatures stored with each response
(analysis.campaigns.find_campaigns_signed: the same campaigns as detecting them from the texts).

Reads only; consult.principles.services keeps the found campaigns in CampaignCache under a fingerprint of
the signatures, so a draft reuses them until a response is added or erased.
"""
from __future__ import annotations

from typing import Any

import numpy as np
from sqlalchemy import func, select

from analysis.campaigns import DEFAULTS, find_campaigns_signed
from consult.extensions import db
from consult.principles.facts import SCHEME
from consult.principles.fetch import rows
from consult.principles.models import ResponseSignature

Found = list[list[Any]]  # [[member response ids in order], representative response id, min similarity]


def fingerprint(survey_id: int) -> str:
    """Changes whenever a response of the survey is added or erased (or its signature is remade): the count,
    the largest and the sum of the response ids, and a sum over the text keys (SQLite may give a new response
    the id of an erased last one; its words then change the sum unless they are the same words)."""
    count, largest, total, texts = db.session.execute(
        select(func.count(), func.max(ResponseSignature.response_id), func.sum(ResponseSignature.response_id),
               func.sum(func.coalesce(ResponseSignature.text_key.op("/")(1048576), 0)))  # integer division
        .where(ResponseSignature.survey_id == survey_id, ResponseSignature.scheme == SCHEME)).one()
    return f"{SCHEME}:{count}:{largest or 0}:{total or 0}:{texts or 0}"


def find(survey_id: int) -> Found:
    """The survey's campaigns, from its stored signatures, respondents in response order."""
    found = rows(select(ResponseSignature.response_id, ResponseSignature.text_key, ResponseSignature.signature,
                        ResponseSignature.shingles)
                 .where(ResponseSignature.survey_id == survey_id, ResponseSignature.scheme == SCHEME,
                        ResponseSignature.signature.is_not(None)).order_by(ResponseSignature.response_id))
    if not found:
        return []
    ids = [r[0] for r in found]
    keys = np.fromiter((r[1] for r in found), dtype=np.int64, count=len(found))
    matrix = np.frombuffer(b"".join(bytes(r[2]) for r in found), dtype="<u4").reshape(len(found), DEFAULTS["num_perm"])
    sizes = np.fromiter((r[3] for r in found), dtype=np.int64, count=len(found))
    return [[list(c.answer_ids), c.representative_id, c.min_similarity]
            for c in find_campaigns_signed(ids, keys, matrix, sizes, seed=DEFAULTS["seed"])]

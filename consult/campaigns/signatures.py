"""The signature of each response's free text that campaign detection compares: the key and MinHash signature
of its codable answers' text joined as analysis.draft_campaigns.campaign_text joins it. Worked out once per
response (its answers never change); consult.campaigns.services stores the rows."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select

from analysis.campaign_signatures import DEFAULTS, scheme, signatures
from analysis.draft_campaigns import campaign_text
from analysis.records import Answer as TextRecord
from consult.extensions import db
from consult.responses.models import Answer
from consult.surveys.kinds import kind_of
from consult.surveys.models import Question

SCHEME = scheme(**DEFAULTS)
CHUNK = 2000


def signature_rows(texts: Sequence[str]) -> list[dict[str, Any]]:
    """{"scheme", "text_key", "signature", "shingles"} for each campaign text (all NULL when too short)."""
    sig = signatures([TextRecord(str(i), text) for i, text in enumerate(texts)], **DEFAULTS)
    out = []
    for row in sig.text_of.tolist():
        if row < 0:
            out.append({"scheme": SCHEME, "text_key": None, "signature": None, "shingles": None})
        else:
            out.append({"scheme": SCHEME, "text_key": int(sig.keys[row]),
                        "signature": sig.matrix[row].astype("<u4").tobytes(), "shingles": int(sig.sizes[row])})
    return out


def campaign_texts(questions: Sequence[Question], response_ids: Sequence[int]) -> list[str]:
    """What campaign detection compares for each response: its codable answers' text, in answer order."""
    codable = [q.id for q in questions if kind_of(q).codable(q)]
    texts: dict[int, list[str]] = defaultdict(list)
    for start in range(0, len(response_ids), CHUNK):
        for response_id, text in db.session.execute(
                select(Answer.response_id, Answer.text).where(
                    Answer.response_id.in_(response_ids[start:start + CHUNK]), Answer.question_id.in_(codable),
                    Answer.text.is_not(None)).order_by(Answer.id)):
            texts[response_id].append(text)
    return [campaign_text(texts.get(r, ())) for r in response_ids]

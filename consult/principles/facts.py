"""The facts a draft needs from each response, worked out once from its answers (which never change once
stored): what campaign detection compares (the key and MinHash signature of its free text, as
analysis.draft_campaigns.campaign_text joins it) and its votes on the consulted principles.

Nothing here writes; consult.principles.services stores the rows.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import select

from analysis.campaigns import DEFAULTS, scheme, signatures
from analysis.draft_campaigns import campaign_text
from analysis.records import Answer as TextRecord
from consult.principles.fetch import rows
from consult.responses.models import Answer, AnswerOption, Response
from consult.surveys.models import Question

SCHEME = scheme(**DEFAULTS)
FREE_TEXT = ("long_text", "short_text")
CLOSED_KINDS = ("single_choice", "multiple_choice", "agree_scale")

Facts = tuple[dict[str, Any], list[dict[str, Any]]]  # (signature row, vote rows), without response_id


def compared(question: Question) -> bool:
    """Whether a question's answers go into campaign detection (as they go into a draft's answers)."""
    return question.kind in FREE_TEXT and question.role is None


def voted(question: Question) -> bool:
    """Whether a question holds a vote on a consulted principle."""
    return question.role == "principle" and question.kind in CLOSED_KINDS


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


def of_built(questions: dict[int, Question], responses: Sequence[Response]) -> list[Facts]:
    """Facts of responses made by build_response and not stored yet: their answers are in the order they
    will be stored (and numbered), each with its chosen options."""
    texts = [campaign_text([a.text for a in r.answers if a.text is not None and compared(questions[a.question_id])])
             for r in responses]
    return [(signature, [{"question_id": a.question_id, "respondent_type": r.respondent_type, "value": a.options[0].value}
                         for a in r.answers if a.options and voted(questions[a.question_id])])
            for r, signature in zip(responses, signature_rows(texts))]


def of_stored(questions: Iterable[Question], response_ids: Sequence[int]) -> list[Facts]:
    """Facts of stored responses, from their answers (for responses stored before facts were kept)."""
    questions = list(questions)
    free = [q.id for q in questions if compared(q)]
    votes = [q.id for q in questions if voted(q)]
    texts: dict[int, list[str]] = defaultdict(list)
    chosen: dict[int, dict[int, str]] = defaultdict(dict)
    kinds: dict[int, str | None] = {}
    for start in range(0, len(response_ids), 2000):  # by id range: bulk backfills read consecutive ids
        low, high = min(response_ids[start:start + 2000]), max(response_ids[start:start + 2000])
        in_range = Answer.response_id.between(low, high)
        kinds.update(rows(select(Response.id, Response.respondent_type).where(Response.id.between(low, high))))
        for response_id, text in rows(select(Answer.response_id, Answer.text).where(
                in_range, Answer.question_id.in_(free), Answer.text.is_not(None)).order_by(Answer.id)):
            texts[response_id].append(text)
        for response_id, question_id, value in rows(
                select(Answer.response_id, Answer.question_id, AnswerOption.value).select_from(Answer)
                .join(AnswerOption, AnswerOption.answer_id == Answer.id)
                .where(in_range, Answer.question_id.in_(votes)).order_by(AnswerOption.id)):
            chosen[response_id].setdefault(question_id, value)  # the first chosen, as drafts count it
    signature = signature_rows([campaign_text(texts.get(r, ())) for r in response_ids])
    return [(signature[i], [{"question_id": q, "respondent_type": kinds.get(r), "value": v}
                            for q, v in chosen.get(r, {}).items()])
            for i, r in enumerate(response_ids)]

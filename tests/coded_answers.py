"""Many free-text answers, coded as people code them, in a few bulk inserts (for suggestion tests and benches).

A response per answer (as imported letters arrive); a person's decision is their 'applied' code rows plus
the AnswerReview that says they decided the answer, so an empty set is "no code applies".
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path

from sqlalchemy import insert, select

from consult.coding.models import AnswerReview, CodeAssignment, Coder, Theme
from consult.extensions import db
from consult.responses.models import Answer, Response
from consult.surveys.models import Survey


def add_answers(survey: Survey, texts: Sequence[str], key: str = "story") -> list[int]:
    """One emailed response per text, answering question `key`; the new answers' ids in order."""
    question = next(q for q in survey.current_version.questions if q.key == key)
    start = db.session.scalar(select(db.func.count()).select_from(Response)) or 0
    refs = [f"SUG{start + i:09d}" for i in range(len(texts))]
    db.session.execute(insert(Response), [{"survey_id": survey.id, "version_id": survey.current_version.id,
                                           "reference": ref, "channel": "email"} for ref in refs])
    ids = dict(db.session.execute(select(Response.reference, Response.id).where(Response.reference.in_(refs))).all())
    db.session.execute(insert(Answer), [{"response_id": ids[ref], "question_id": question.id, "text": text}
                                        for ref, text in zip(refs, texts)])
    answers = dict(db.session.execute(select(Answer.response_id, Answer.id).where(
        Answer.response_id.in_(list(ids.values())))).all())
    db.session.commit()
    return [answers[ids[ref]] for ref in refs]


def decide(coder: Coder, decisions: Iterable[tuple[int, Iterable[int]]]) -> None:
    """The coder decides each (answer id, theme ids): their codes, or "no code applies" for an empty set."""
    decisions = [(answer_id, list(theme_ids)) for answer_id, theme_ids in decisions]
    if not decisions:
        return
    db.session.execute(insert(AnswerReview), [{"answer_id": a, "coder_id": coder.id} for a, _ in decisions])
    codes = [{"answer_id": a, "theme_id": t, "coder_id": coder.id, "status": "applied"} for a, ts in decisions for t in ts]
    if codes:
        db.session.execute(insert(CodeAssignment), codes)
    db.session.commit()


def themes_by_name(survey: Survey, names: Iterable[str]) -> dict[str, int]:
    """Theme ids by name, adding the themes the codebook lacks."""
    have = dict(db.session.execute(select(Theme.name, Theme.id).where(Theme.survey_id == survey.id)).all())
    for position, name in enumerate(n for n in dict.fromkeys(names) if n not in have):
        theme = Theme(survey_id=survey.id, name=name, position=len(have) + position)
        db.session.add(theme)
        db.session.flush()
        have[name] = theme.id
    db.session.commit()
    return have


def nhs_rows(data_dir: str | Path) -> list[dict]:
    """The shared NHS feedback set's coded answers ({"id", "text", "codes", "question", ...}), in file order."""
    with open(Path(data_dir) / "nhs-feedback/coded.jsonl", encoding="utf-8") as stream:
        return [json.loads(line) for line in stream if line.strip()]


def fake_vectors(texts):
    """A stand-in for the optional sentence model (not installed in CI): words hashed into 16 numbers, unit length,
    so answers about one theme point one way."""
    import hashlib

    import numpy as np

    out = np.zeros((len(texts), 16), dtype=np.float32)
    for i, text in enumerate(texts):
        for word in text.lower().split():
            out[i, hashlib.blake2s(word.encode(), digest_size=1).digest()[0] % 16] += 1.0
    return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)

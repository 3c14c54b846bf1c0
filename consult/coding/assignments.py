"""Coding writes and the queue: each person's own codes, spans, memos, flags, and the next uncoded answer.

A person's codes are CodeAssignment rows (status 'applied') under their own Coder; whole-answer codes
have no span, passage codes have span_start/span_end character offsets into Answer.text.
"""
from __future__ import annotations

from sqlalchemy import and_, delete, exists, func, or_, select
from sqlalchemy.exc import IntegrityError

from consult.auth import services as audit
from consult.auth.models import User
from consult.coding.models import (
    AnswerNote,
    AnswerReview,
    AnswerSuggestion,
    CodeAssignment,
    Coder,
    CodingSample,
    SampleItem,
    Theme,
)
from consult.extensions import db
from consult.responses.models import Answer, Response
from consult.surveys.kinds import kind_of
from consult.surveys.models import Question, Survey, SurveyVersion

MACHINE_NAME = "Machine suggestions"
QUEUE_ORDERS = {"confidence": "Most confident suggestion first", "usefulness": "Most useful to code first"}


class CodingError(ValueError):
    pass


def coder_name(display_name: str, taken: set[str]) -> str:
    """A coder's name: the display name the person chose (never their email address), numbered when another
    coder already has it ("Sam Jones (2)")."""
    base = " ".join(display_name.split())[:110] or "Coder"
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base} ({n})"
    return name


def person_coder(user: User, *, commit: bool = False) -> Coder:
    """The user's own coder identity, made on first use (and saved at once with `commit`). Two requests of the
    same person's first use may make it at once (two tabs): the one that loses uses the other's; two people of
    the same name: the one that loses is numbered again."""
    found = select(Coder).where(Coder.user_id == user.id)
    attempts = 3
    while (coder := db.session.scalar(found)) is None:
        base = " ".join(user.name.split())[:110]
        taken = set(db.session.scalars(select(Coder.name).where(Coder.name.startswith(base))))
        attempts -= 1
        try:
            with db.session.begin_nested():
                coder = Coder(kind="person", user_id=user.id, name=coder_name(user.name, taken))
                db.session.add(coder)
        except IntegrityError:
            if not attempts:
                raise
            continue
        break
    if commit and attempts < 3:  # made here, or tried to be (SQLite then holds the write lock until the commit)
        db.session.commit()
    return coder


def others_codes(answer: Answer, coder: Coder) -> list[tuple[str, str]]:
    """(coder name, theme name) of the codes other people applied to the answer."""
    return list(db.session.execute(
        select(Coder.name, Theme.name).select_from(CodeAssignment).join(Coder, Coder.id == CodeAssignment.coder_id)
        .join(Theme, Theme.id == CodeAssignment.theme_id)
        .where(CodeAssignment.answer_id == answer.id, Coder.kind == "person", Coder.id != coder.id,
               CodeAssignment.status == "applied")).all())


def machine_coder() -> Coder:
    """The one coder that machine suggestions are made under, made on first use (by whichever job comes first)."""
    found = select(Coder).where(Coder.kind == "machine", Coder.name == MACHINE_NAME)
    coder = db.session.scalar(found)
    if coder is None:
        try:
            with db.session.begin_nested():
                coder = Coder(kind="machine", name=MACHINE_NAME)
                db.session.add(coder)
        except IntegrityError:  # another job made it first
            coder = db.session.scalar(found)
    return coder


def free_text_answers(survey: Survey, question_key: str | None = None):
    """A select() of the survey's codable answers that have text (optionally for one question key)."""
    return select(Answer).where(Answer.question_id.in_(codable_question_ids(survey, question_key)),
                                Answer.text.is_not(None), Answer.text != "")


def in_survey(survey: Survey, answer_id: int) -> Answer | None:
    answer = db.session.get(Answer, answer_id)
    return answer if answer is not None and answer.response.survey_id == survey.id else None


def own_codes(answer: Answer, coder: Coder) -> list[CodeAssignment]:
    return list(db.session.scalars(select(CodeAssignment).where(
        CodeAssignment.answer_id == answer.id, CodeAssignment.coder_id == coder.id, CodeAssignment.status == "applied")
        .order_by(CodeAssignment.span_start.is_not(None), CodeAssignment.span_start, CodeAssignment.id)))


def _coded_by(coder: Coder, answer_id=Answer.id):
    return exists().where(CodeAssignment.answer_id == answer_id, CodeAssignment.coder_id == coder.id,
                          CodeAssignment.status == "applied")


def _reviewed_by(coder: Coder, answer_id=Answer.id):
    return exists().where(AnswerReview.answer_id == answer_id, AnswerReview.coder_id == coder.id)


def undecided_in(samples: list[int], coder: Coder):
    """The answer ids in these samples that the coder has not decided (no code of theirs applied, and no "no code
    applies"): the queue's rule and the samples page's progress. Tested on the sample's rows and the
    coder's own index entries alone (OFFSET 0 keeps it so on PostgreSQL): a coder who has finished a sample of
    20,000 answers asks this on every "next", and reading each answer first took 700 ms."""
    return (select(SampleItem.answer_id).where(SampleItem.sample_id.in_(samples),
                                               ~_coded_by(coder, SampleItem.answer_id),
                                               ~_reviewed_by(coder, SampleItem.answer_id)).offset(0))


def codable_question_ids(survey: Survey, question_key: str | None = None) -> list[int]:
    """Every version's rows of the questions whose answers are coded (free-text opinions; optionally one key)."""
    questions = db.session.scalars(select(Question).join(SurveyVersion, SurveyVersion.id == Question.version_id)
                                   .where(SurveyVersion.survey_id == survey.id))
    return [q.id for q in questions if kind_of(q).codable(q) and (question_key is None or q.key == question_key)]


def next_uncoded(survey: Survey, coder: Coder, question_key: str | None = None, after: int | None = None,
                 channel: str | None = None, order: str | None = None) -> int | None:
    """The next answer this coder has not coded: their own sample answers first, then the rest in id order,
    skipping answers sampled only for other coders; optionally only one question's, or only answers that
    arrived by one channel (say, the emails just imported). The search starts after `after` (else after the
    last answer the coder coded, so it does not walk past thousands of coded answers) and wraps round.
    With `order` ("confidence" or "usefulness") the answers come in the order of the machine's suggestions
    on them instead of id order."""
    question_ids = codable_question_ids(survey, question_key)
    if not question_ids:
        return None
    base = select(Answer.id).where(Answer.question_id.in_(question_ids), Answer.text.is_not(None), Answer.text != "",
                                   ~_coded_by(coder), ~_reviewed_by(coder))
    if channel:
        base = base.where(Answer.response_id.in_(select(Response.id).where(Response.survey_id == survey.id,
                                                                          Response.channel == channel)))
    queries = []
    sample_ids = db.session.execute(select(CodingSample.id, CodingSample.coder_a_id, CodingSample.coder_b_id)
                                    .where(CodingSample.survey_id == survey.id)).all()
    mine = [sid for sid, a, b in sample_ids if coder.id in (a, b)]
    others = [sid for sid, a, b in sample_ids if coder.id not in (a, b)]
    if mine:  # a set counted whole (see `undecided_in`): read once, in the order after `start`, then wrapping round
        queries.append((base.where(Answer.id.in_(undecided_in(mine, coder))), True))
    if others:
        others_only = select(SampleItem.answer_id).where(SampleItem.sample_id.in_(others))
        if mine:
            others_only = others_only.where(SampleItem.answer_id.not_in(
                select(SampleItem.answer_id).where(SampleItem.sample_id.in_(mine))))
        base = base.where(Answer.id.not_in(others_only))
    queries.append((base, False))
    start = after if after is not None else db.session.scalar(
        select(func.max(CodeAssignment.answer_id)).where(CodeAssignment.coder_id == coder.id)) or 0
    for query, whole in queries:
        if order in QUEUE_ORDERS:
            found = next_in_order(query, order, after)
            if found is not None:
                return found
            continue
        if whole:
            found = db.session.scalar(query.where(Answer.id != (after or 0))
                                      .order_by(Answer.id <= start, Answer.id).limit(1))
            if found is not None:
                return found
            continue
        found = db.session.scalar(query.where(Answer.id > start).order_by(Answer.id).limit(1))
        if found is None:
            found = db.session.scalar(query.where(Answer.id <= start, Answer.id != (after or 0))
                                      .order_by(Answer.id).limit(1))
        if found is not None:
            return found
    return None


def next_in_order(candidates, order: str, after: int | None) -> int | None:
    """The first answer id of `candidates` (a select() of Answer.id) in suggestion `order` that comes after the
    answer `after` (wrapping round); answers without a suggestion come last, in id order."""
    query = candidates.outerjoin(AnswerSuggestion, AnswerSuggestion.answer_id == Answer.id)
    if order == "usefulness":
        key = func.coalesce(AnswerSuggestion.review_rank, 2**31 - 1)
        ordering = (key, Answer.id)
    else:
        key = func.coalesce(AnswerSuggestion.confidence, -1.0)
        ordering = (key.desc(), Answer.id)
    if after is not None:
        mark = db.session.scalar(select(key).select_from(Answer).outerjoin(
            AnswerSuggestion, AnswerSuggestion.answer_id == Answer.id).where(Answer.id == after))
        if mark is not None:
            later = (key > mark) if order == "usefulness" else (key < mark)
            found = db.session.scalar(query.where(or_(later, and_(key == mark, Answer.id > after)))
                                      .order_by(*ordering).limit(1))
            if found is not None:
                return found
            return db.session.scalar(query.where(Answer.id != after).order_by(*ordering).limit(1))
    return db.session.scalar(query.order_by(*ordering).limit(1))


def original_offsets(text: str, start: int, end: int) -> tuple[int, int]:
    """Offsets counted in the answer as a browser shows it (CR LF and CR become one line break) → offsets in `text`."""
    if "\r" not in text:
        return start, end
    positions = [i for i, ch in enumerate(text) if not (ch == "\r" and text[i + 1:i + 2] == "\n")]
    positions.append(len(text))
    clamp = len(positions) - 1
    return positions[min(start, clamp)], positions[min(end, clamp)]


def save_codes(answer: Answer, coder: Coder, theme_ids: set[int], span: tuple[int, int, int] | None = None,
               by: User | None = None) -> dict[str, list[int]]:
    """Set the coder's whole-answer codes to `theme_ids`, and add a passage code (theme, start, end) if given.

    Saving records that the coder has decided this answer, so an empty set means "no code applies".
    """
    themes = {t.id: t for t in db.session.scalars(select(Theme).where(
        Theme.survey_id == answer.response.survey_id, Theme.merged_into_id.is_(None)))}
    unknown = set(theme_ids) - set(themes)
    if unknown:
        raise CodingError("Choose codes from this survey's current codebook")
    whole = {row.theme_id: row for row in own_codes(answer, coder) if row.span_start is None}
    added = sorted(set(theme_ids) - set(whole))
    removed = sorted(set(whole) - set(theme_ids))
    for theme_id in removed:
        db.session.delete(whole[theme_id])
    for theme_id in added:
        db.session.add(CodeAssignment(answer_id=answer.id, theme_id=theme_id, coder_id=coder.id, status="applied"))
    span_added = None
    if span is not None:
        theme_id, start, end = span
        text = answer.text or ""
        if theme_id not in themes:
            raise CodingError("Choose a code for the passage")
        shown = len(text.replace("\r\n", "\n"))
        if not (0 <= start < end <= shown):
            raise CodingError(f"A passage must start before it ends, within the answer's {shown} characters")
        start, end = original_offsets(text, start, end)
        db.session.add(CodeAssignment(answer_id=answer.id, theme_id=theme_id, coder_id=coder.id, status="applied",
                                      span_start=start, span_end=end))
        span_added = [theme_id, start, end]
    if db.session.scalar(select(AnswerReview.id).where(AnswerReview.answer_id == answer.id,
                                                       AnswerReview.coder_id == coder.id)) is None:
        db.session.add(AnswerReview(answer_id=answer.id, coder_id=coder.id))
    change = {"added": added, "removed": removed}
    if not theme_ids and not span_added and not any(row.span_start is not None for row in own_codes(answer, coder)):
        audit.record("codes.none_apply", answer, {"answer_id": answer.id, "removed": removed}, by=by)
    elif added or removed or span_added:
        audit.record("codes.applied", answer, {"answer_id": answer.id, "theme_ids": sorted(theme_ids),
                                               **change, "span": span_added}, by=by)
    db.session.commit()
    return change


def remove_span(answer: Answer, coder: Coder, assignment_id: int, by: User | None = None) -> bool:
    """Remove one of the coder's own passage codes."""
    row = db.session.get(CodeAssignment, assignment_id)
    if row is None or row.answer_id != answer.id or row.coder_id != coder.id or row.span_start is None:
        return False
    audit.record("codes.applied", answer, {"answer_id": answer.id, "theme_ids": [], "removed_span":
                                           [row.theme_id, row.span_start, row.span_end]}, by=by)
    db.session.delete(row)
    db.session.commit()
    return True


def add_note(answer: Answer, user: User, kind: str, text: str) -> AnswerNote | None:
    """Keep a memo (one per person per answer, replaced when edited) or add a flag with its reason."""
    text = (text or "").strip()
    if kind == "memo":
        memo = db.session.scalar(select(AnswerNote).where(AnswerNote.answer_id == answer.id,
                                                          AnswerNote.user_id == user.id, AnswerNote.kind == "memo"))
        if memo is not None and memo.text == text:
            return memo
        if memo is None and not text:
            return None
        if memo is None:
            memo = AnswerNote(answer_id=answer.id, response_id=answer.response_id, user_id=user.id, kind="memo")
            db.session.add(memo)
        memo.text = text
        audit.record("codes.memo", answer, {"answer_id": answer.id}, by=user)
        db.session.commit()
        return memo
    if not text:
        raise CodingError("Enter why you are flagging this answer, for example possible personal data")
    flag = AnswerNote(answer_id=answer.id, response_id=answer.response_id, user_id=user.id, kind="flag", text=text)
    db.session.add(flag)
    audit.record("codes.flagged", answer, {"answer_id": answer.id, "reason": text}, by=user)
    db.session.commit()
    return flag


def resolve_flag(answer: Answer, note_id: int, by: User) -> bool:
    note = db.session.get(AnswerNote, note_id)
    if note is None or note.answer_id != answer.id or note.kind != "flag":
        return False
    note.resolved = True
    audit.record("codes.flag_resolved", answer, {"answer_id": answer.id, "note_id": note.id}, by=by)
    db.session.commit()
    return True


def notes(answer: Answer, user: User) -> tuple[AnswerNote | None, list[AnswerNote]]:
    """(this person's memo, flags). Flags are shown to all; other people's memos never reach the form."""
    memo = db.session.scalar(select(AnswerNote).where(AnswerNote.answer_id == answer.id, AnswerNote.user_id == user.id,
                                                      AnswerNote.kind == "memo"))
    flags = list(db.session.scalars(select(AnswerNote).where(AnswerNote.answer_id == answer.id, AnswerNote.kind == "flag")
                                    .order_by(AnswerNote.at)))
    return memo, flags


def clear_machine_suggestions(answer_ids: list[int], machine: Coder) -> None:
    db.session.execute(delete(CodeAssignment).where(CodeAssignment.answer_id.in_(answer_ids),
                                                    CodeAssignment.coder_id == machine.id,
                                                    CodeAssignment.status == "suggested"))

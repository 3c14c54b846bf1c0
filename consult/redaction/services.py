"""Redaction of personal data in answers: the machine's spans, stored once per answer in a background job after
responses are stored; a researcher's changes to them (undo, redact again, add); and the one function that gives
an answer's final redacted text (`redacted_texts`), which everything that publishes respondent text uses."""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from analysis.redact import find_spans
from consult.auth.services import record
from consult.extensions import db
from consult.jobs.models import Job
from consult.jobs.services import preload, submit, task, waiting_jobs
from consult.redaction.models import Redaction, RedactionCheck
from consult.responses.models import Answer, Response
from consult.surveys.kinds import kind_of
from consult.surveys.models import Question, SurveyVersion
from consult.surveys.services import job_survey
from consult.timeutil import utcnow

# Names the rules the stored spans came from; answers checked under an older scheme are not read again.
SCHEME = "analysis.redact/2"
CHUNK = 2000
KINDS = (("NAME", "A person’s name"), ("ADDRESS", "An address"), ("POSTCODE", "A postcode"),
         ("EMAIL", "An email address"), ("PHONE", "A phone number"), ("DATE_OF_BIRTH", "A date of birth"),
         ("OTHER", "Other personal data"))
KIND_NAMES = dict(KINDS)
WORDS_MAX = 200


class RedactionError(Exception):
    """A change a researcher asked for that cannot be made, with the reason to show them."""


# -- the final text ---------------------------------------------------------------------------------------------

def apply_spans(text: str, spans: Iterable[tuple[int, int, str]]) -> str:
    """`text` with each (start, end, kind) span replaced by `[KIND]`; overlapping spans hide their union once,
    labelled by the first."""
    merged: list[list[Any]] = []
    for start, end, kind in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end, kind])
    parts, last = [], 0
    for start, end, kind in merged:
        parts += [text[last:start], f"[{kind}]"]
        last = end
    parts.append(text[last:])
    return "".join(parts)


@preload
def warm_up() -> None:
    """Load the machine redactor's word lists, name tagger and patterns now (about 0.5 s of CPU, once a process):
    a process that runs jobs pays it at start, not in its first redaction job (nor, on RQ, in every job's work
    horse)."""
    find_spans("Ask Jo Bloggs at 1 High Street, AB1 2CD, on 07700 900123.")


def _machine_spans(text: str) -> list[tuple[int, int, str]]:
    return [(s.start, s.end, s.label) for s in find_spans(text)]


def redacted_texts(answers: Sequence[tuple[int, str]], survey_id: int | None = None, *,
                   unread: set[int] | None = None) -> dict[int, str]:
    """{answer id: its final redacted text} for these (answer id, text) pairs: the machine's spans less those a
    researcher undid, plus those a researcher added. An answer the background job has not read yet is redacted
    by the machine here and now (the same spans the job will store), so nothing unredacted is ever printed;
    unless the caller gives a set as `unread`: such answers are then added to it with their text as given, for a
    caller that has the machine redact only the few it prints (a draft of a survey whose new answers the job
    has not reached: a million of them took minutes to read).

    Given the answers' `survey_id` (a draft reads every answer of a survey), the survey's redactions are read
    in one pass instead of by answer id."""
    checked: set[int] = set()
    active: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    spans = select(Redaction.answer_id, Redaction.span_start, Redaction.span_end, Redaction.kind).where(
        Redaction.state == "active")
    if survey_id is not None:
        checked.update(db.session.scalars(select(RedactionCheck.answer_id).where(RedactionCheck.survey_id == survey_id)))
        parts = [spans.where(Redaction.survey_id == survey_id)]
    else:
        ids = [a for a, _t in answers]
        parts = []
        for start in range(0, len(ids), 10_000):  # under every database's limit on bound parameters
            chunk = ids[start:start + 10_000]
            checked.update(db.session.scalars(select(RedactionCheck.answer_id).where(
                RedactionCheck.answer_id.in_(chunk))))
            parts.append(spans.where(Redaction.answer_id.in_(chunk)))
    for query in parts:
        for answer_id, s, e, kind in db.session.execute(query):
            active[answer_id].append((s, e, kind))
    out = {}
    for answer_id, text in answers:
        if not text:
            out[answer_id] = text
            continue
        found = active.get(answer_id, [])
        if answer_id not in checked:
            if unread is not None:
                unread.add(answer_id)
            else:
                found = found + _machine_spans(text)
        out[answer_id] = apply_spans(text, found) if found else text
    return out


def redacted_text(answer: Answer) -> str:
    """One answer's final redacted text (see `redacted_texts`)."""
    return redacted_texts([(answer.id, answer.text or "")])[answer.id]


# -- the machine, once per answer -------------------------------------------------------------------------------

def _codable_question_ids(survey_id: int) -> list[int]:
    questions = db.session.scalars(select(Question).join(SurveyVersion).where(SurveyVersion.survey_id == survey_id))
    return [q.id for q in questions if kind_of(q).codable(q)]


def _store_machine(survey_id: int, rows: Sequence[tuple[int, str]]) -> int:
    """Redact these (answer id, text) by the machine, store their spans and checks, and commit. An answer the
    coding screen (or another job) stored meanwhile is left as that stored it."""
    try:
        found = _add_machine(survey_id, rows)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        done = set(db.session.scalars(select(RedactionCheck.answer_id).where(
            RedactionCheck.answer_id.in_([a for a, _t in rows]))))
        found = _add_machine(survey_id, [(a, t) for a, t in rows if a not in done])
        db.session.commit()
    return found


def _add_machine(survey_id: int, rows: Sequence[tuple[int, str]]) -> int:
    if not rows:
        return 0
    now = utcnow()
    spans = [{"answer_id": answer_id, "survey_id": survey_id, "span_start": s, "span_end": e, "kind": kind,
              "source": "machine", "state": "active", "created_at": now}
             for answer_id, text in rows for s, e, kind in _machine_spans(text)]
    db.session.execute(RedactionCheck.__table__.insert(),
                       [{"answer_id": a, "survey_id": survey_id, "scheme": SCHEME, "checked_at": now} for a, _t in rows])
    if spans:
        db.session.execute(Redaction.__table__.insert(), spans)
    return len(spans)


def redact_new_answers(survey_id: int, progress: Callable[[float, str], None] | None = None) -> tuple[int, int]:
    """Let the machine read every free-text answer of the survey it has not read, store the spans it finds,
    and commit every CHUNK answers. Returns (answers read, spans found)."""
    questions = _codable_question_ids(survey_id)
    # The ids first, then each chunk's texts by id: paging one joined query by id made the database sort
    # what was left for every chunk.
    unread = list(db.session.scalars(
        select(Answer.id).join(Response, Response.id == Answer.response_id)
        .outerjoin(RedactionCheck, RedactionCheck.answer_id == Answer.id)
        .where(Response.survey_id == survey_id, Answer.question_id.in_(questions), Answer.text.is_not(None),
               Answer.text != "", RedactionCheck.answer_id.is_(None)).order_by(Answer.id)))
    found = 0
    for start in range(0, len(unread), CHUNK):
        chunk = unread[start:start + CHUNK]
        rows = db.session.execute(select(Answer.id, Answer.text).where(Answer.id.in_(chunk)).order_by(Answer.id)).all()
        found += _store_machine(survey_id, [(a, t) for a, t in rows])
        if progress:
            done = start + len(chunk)
            progress(0.05 + 0.9 * done / len(unread), f"Redacted {done:,} of {len(unread):,} answers")
    read = len(unread)
    return read, found


def queue_redaction(survey_id: int) -> Job | None:
    """Queue the job that redacts the survey's new answers, unless one is already waiting to start."""
    if waiting_jobs("redaction", survey_id):
        return None
    return submit("redaction", survey_id=survey_id, gather=current_app.config["JOBS_GATHER_SECONDS"],
                  params={"survey_id": survey_id, "title": "Redacting personal data in new answers"})


@task("redaction")
def run_redaction(job: Job, progress) -> dict:
    job_survey(job)
    progress(0.02, "Finding answers not yet redacted")
    read, found = redact_new_answers(job.params["survey_id"], progress)
    return {"summary": f"{read:,} new answer{'' if read == 1 else 's'} redacted: {found:,} piece"
                       f"{'' if found == 1 else 's'} of personal data found."}


# -- what a researcher sees and changes -------------------------------------------------------------------------

def answer_redactions(answer: Answer) -> list[Redaction]:
    """The answer's redactions in text order, the machine's stored first if the job has not reached it yet."""
    if answer.text and db.session.get(RedactionCheck, answer.id) is None:
        _store_machine(answer.response.survey_id, [(answer.id, answer.text)])
    return list(db.session.scalars(select(Redaction).where(Redaction.answer_id == answer.id)
                                   .order_by(Redaction.span_start, Redaction.id)))


def people_of(redactions: Iterable[Redaction]) -> dict[int, str]:
    """{user id: name} of the people who added or changed these redactions, for the screen's audit column."""
    from consult.auth.models import User

    ids = {i for r in redactions for i in (r.created_by, r.changed_by) if i}
    return {u.id: u.name or u.email for u in db.session.scalars(select(User).where(User.id.in_(ids)))} if ids else {}


def _redaction_of(answer: Answer, redaction_id: int) -> Redaction:
    found = db.session.get(Redaction, redaction_id)
    if found is None or found.answer_id != answer.id:
        raise RedactionError("That redaction is not on this answer")
    return found


def set_state(answer: Answer, redaction_id: int, state: str, user) -> Redaction:
    """Undo a redaction (`state` "undone": its words are printed again) or redact them again ("active"),
    recording who and when on the span and in the audit log, and commit."""
    if state not in ("active", "undone"):
        raise RedactionError("Choose whether to undo the redaction or redact the words again")
    redaction = _redaction_of(answer, redaction_id)
    if redaction.state == state:
        raise RedactionError("That redaction has already been undone" if state == "undone"
                             else "Those words are already redacted")
    redaction.state, redaction.changed_by, redaction.changed_at = state, user.id, utcnow()
    record("redaction.undone" if state == "undone" else "redaction.restored", redaction,
           {"answer": answer.id, "kind": redaction.kind, "source": redaction.source}, by=user)
    db.session.commit()
    return redaction


def _occurrences(text: str, words: str) -> list[tuple[int, int]]:
    """Where `words` occur in `text`, ignoring case, as whole words where they start or end with a letter."""
    pattern = re.escape(words)
    if re.match(r"\w", words):
        pattern = r"(?<!\w)" + pattern
    if re.search(r"\w$", words):
        pattern += r"(?!\w)"
    return [m.span() for m in re.finditer(pattern, text, re.IGNORECASE)]


def add_words(answer: Answer, words: str, kind: str, user, start: int | None = None) -> list[Redaction]:
    """Redact `words` wherever they occur in the answer (a name hidden once is hidden each time it is written),
    or, given `start` where those exact words begin (a selection), there too. Commits, audited.

    Raises RedactionError when the words are not in the answer or are all redacted already."""
    words = " ".join((words or "").split()) if start is None else (words or "").strip()
    if not words:
        raise RedactionError("Enter the words to redact, exactly as they are written in the answer")
    if len(words) > WORDS_MAX:
        raise RedactionError(f"Redact at most {WORDS_MAX} characters at a time")
    if kind not in KIND_NAMES:
        raise RedactionError("Choose what kind of personal data the words are")
    text = answer.text or ""
    places = _occurrences(text, words)
    if start is not None and text[start:start + len(words)] == words and (start, start + len(words)) not in places:
        places.append((start, start + len(words)))
    if not places and start is None:
        # Typed words may differ from the answer in spacing only ("Siân  Rowlands", a line break).
        spaced = r"\s+".join(map(re.escape, words.split()))
        places = [m.span() for m in re.finditer(spaced, text, re.IGNORECASE)]
    if not places:
        raise RedactionError(f"“{words}” is not in this answer. Copy the words exactly as they are written.")
    existing = answer_redactions(answer)
    hidden = [(r.span_start, r.span_end) for r in existing if r.active]
    added = []
    for s, e in places:
        if any(hs <= s and e <= he for hs, he in hidden):
            continue
        same = next((r for r in existing if (r.span_start, r.span_end) == (s, e) and not r.active), None)
        if same is not None:  # the very span was undone: redact it again
            same.state, same.changed_by, same.changed_at = "active", user.id, utcnow()
            same.kind = kind
            added.append(same)
            continue
        redaction = Redaction(answer_id=answer.id, survey_id=answer.response.survey_id, span_start=s, span_end=e,
                              kind=kind, source="person", state="active", created_by=user.id, created_at=utcnow())
        db.session.add(redaction)
        added.append(redaction)
    if not added:
        raise RedactionError(f"“{words}” is already redacted everywhere in this answer")
    db.session.flush()
    for redaction in added:
        record("redaction.added", redaction, {"answer": answer.id, "kind": kind}, by=user)
    db.session.commit()
    return added


def erase_answers(answer_ids: Sequence[int] | Any) -> None:
    """Delete the redactions and checks of these answers (with the answers, at erasure; not committed)."""
    for model in (Redaction, RedactionCheck):
        db.session.execute(delete(model).where(model.answer_id.in_(answer_ids)))

"""Fill a fresh database with demonstration responses, a codebook, codes and a double-coded sample.

Demonstration data is marked wherever it appears: references start "DEMO-", organisations "Demo:",
named respondents are "Demo respondent N", and the coders and admin are demo-*@example.org accounts.
Nothing is added to a survey that has real responses; --replace deletes only demonstration data.
"""
from __future__ import annotations

import random
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import delete, func, or_, select

from consult.auth import services as auth
from consult.auth.models import Role, User
from consult.coding.assignments import person_coder
from consult.coding.models import (
    Adjudication,
    AnswerNote,
    CodeAssignment,
    Coder,
    CodingSample,
    SampleItem,
)
from consult.coding.samples import SampleError, create_sample
from consult.coding.services import create_theme, find_by_name
from consult.demo import content
from consult.demo.generator import plan
from consult.extensions import db
from consult.redaction.services import erase_answers
from consult.responses.models import Answer, AnswerOption, Response
from consult.responses.services import random_code
from consult.responses.submission import announce_stored, build_response
from consult.surveys.models import Survey, SurveyVersion
from consult.timeutil import utcnow

PREFIX = "DEMO-"
ADMIN_EMAIL = "demo-admin@example.org"
CODER_EMAILS = ("demo-coder-1@example.org", "demo-coder-2@example.org")
WHY_KEYS = tuple(f"principle_{n}_why" for n in range(1, 7))
NEEDED_KEYS = ("respondent_type", "capacity", "organisation_name", "barriers", "publish_consent", "contact_consent",
               "anything_else") + WHY_KEYS
CHUNK = 250
CODING_SLIP = 0.14  # chance a coder's set differs from the sentences' themes (kappa about 0.7 between two coders)
ADJUDICATED_SHARE = 0.5  # of the sample's disagreements; the rest wait on the adjudication page


class DemoError(Exception):
    """The demonstration cannot be generated here; the message says why and what to do."""


@dataclass
class DemoSummary:
    survey: str
    responses: int
    themes: int
    codes: int
    sampled: int
    adjudicated: int
    removed: int
    admin_password: str | None  # only when the demo admin account was created now


def demo_survey(slug: str) -> Survey:
    """The survey, loaded (and opened) from surveys/<slug>.yaml when the database does not have it yet."""
    from consult.surveys.services import get_survey, load_file

    survey = get_survey(slug)
    if survey is None:
        path = Path(current_app.root_path).parent / "surveys" / f"{slug}.yaml"
        if not path.is_file():
            raise DemoError(f"No survey called {slug!r}, and no {path} to load it from.")
        survey = load_file(path, open_survey=True).survey
    keys = {q.key for q in survey.current_version.questions}
    missing = [key for key in NEEDED_KEYS if key not in keys]
    if missing:
        raise DemoError(f"The demonstration is written for the Keep it Local survey; {slug} has no "
                        f"{', '.join(missing)} question.")
    return survey


def response_counts(survey: Survey) -> tuple[int, int]:
    """(real responses, demonstration responses) in the survey."""
    total = select(func.count()).select_from(Response).where(Response.survey_id == survey.id)
    demo = db.session.scalar(total.where(Response.reference.startswith(PREFIX)))
    return db.session.scalar(total) - demo, demo


def remove_demo(survey: Survey) -> int:
    """Delete the survey's DEMO- responses (with their codes, samples and adjudications) and the demo coders."""
    responses = select(Response.id).where(Response.survey_id == survey.id, Response.reference.startswith(PREFIX))
    answers = select(Answer.id).where(Answer.response_id.in_(responses))
    for model in (CodeAssignment, AnswerNote, SampleItem, Adjudication, AnswerOption):
        db.session.execute(delete(model).where(model.answer_id.in_(answers)))
    erase_answers(answers)
    db.session.execute(delete(Answer).where(Answer.response_id.in_(responses)))
    removed = db.session.execute(delete(Response).where(Response.id.in_(responses))).rowcount or 0
    coders = select(Coder.id).join(User, User.id == Coder.user_id).where(User.email.in_(CODER_EMAILS))
    db.session.execute(delete(CodingSample).where(or_(CodingSample.coder_a_id.in_(coders),
                                                      CodingSample.coder_b_id.in_(coders))))
    db.session.execute(delete(CodeAssignment).where(CodeAssignment.coder_id.in_(coders)))
    db.session.execute(delete(Coder).where(Coder.id.in_(coders)))
    auth.record("demo.removed", survey, {"responses": removed}, by=None)
    db.session.commit()
    return removed


def _account(email: str, name: str, role: Role) -> tuple[User, str | None]:
    """The existing account, or a new one with a random password (returned once)."""
    user = db.session.scalar(select(User).where(func.lower(User.email) == email))
    if user is not None:
        return user, None
    password = secrets.token_urlsafe(15)
    return auth.create_user(email, name, password, role), password


def _codebook(survey: Survey, by: User) -> dict[str, int]:
    """Theme key → id, creating the demonstration themes the codebook does not have yet."""
    ids: dict[str, int] = {}
    for key, name, parent, description in content.THEMES:
        theme = find_by_name(survey, name) or create_theme(
            survey, name, parent_id=ids.get(parent), by=by, commit=False, description=description)
        ids[key] = theme.id
    db.session.commit()
    return ids


def _responses(count: int, kind: str) -> str:
    return f"{count:,} {kind} response{'' if count == 1 else 's'}"


def _slip(rng: random.Random, themes: list[int], pool: list[int]) -> list[int]:
    """A coder's reading of an answer: usually its themes, sometimes one dropped, added or swapped."""
    coded = list(themes)
    if rng.random() < CODING_SLIP:
        other = rng.choice([t for t in pool if t not in coded] or coded)
        move = rng.choice(["drop", "add", "swap"]) if len(coded) > 1 else rng.choice(["add", "swap"])
        if move == "drop":
            coded.remove(rng.choice(coded))
        elif move == "add":
            coded.append(other)
        else:
            coded[rng.randrange(len(coded))] = other
    return sorted(set(coded))


def generate(slug: str, count: int, *, seed: int = 0, double_code: float = 0.1, replace: bool = False,
             progress: Callable[[int], None] | None = None) -> DemoSummary:
    """Add `count` demonstration responses, coded, with a double-coded sample of each principle's "why" answers."""
    from consult.surveys.local_authorities import all_authorities

    if count < 1:
        raise DemoError("Ask for at least one response.")
    if not 0 <= double_code <= 1:
        raise DemoError("--double-code is a fraction between 0 and 1, for example 0.1.")
    survey = demo_survey(slug)
    real, demo = response_counts(survey)
    if real:
        raise DemoError(f"{slug} already has {_responses(real, 'real')}. Demonstration data only goes into a "
                        "fresh database, so nothing was added.")
    removed = 0
    if demo and not replace:
        raise DemoError(f"{slug} already has {_responses(demo, 'demonstration')}. Run again with --replace to "
                        "delete them (and the demo coders' codes) and generate new ones.")
    if demo:
        removed = remove_demo(survey)
    admin, password = _account(ADMIN_EMAIL, "Demo administrator", Role.ADMIN)
    coder_users = [_account(email, f"Demo coder {i}", Role.RESEARCHER)[0] for i, email in enumerate(CODER_EMAILS, 1)]
    coder_ids = [person_coder(user).id for user in coder_users]
    theme_ids = _codebook(survey, admin)

    version = survey.current_version
    questions = {q.key: q for q in version.questions}
    key_of = {q.id: q.key for q in version.questions}
    planned = plan(count, seed, [a.slug for a in all_authorities()])
    rng = random.Random(f"{seed}:coding")
    end = min(utcnow(), survey.closes_at)
    start = max(survey.opens_at, end - timedelta(days=28))
    start = start if start < end else end - timedelta(days=28)
    truth: dict[int, tuple[list[int], int, list[int]]] = {}  # why answers: (themes, primary coder, pool)
    codes, stored = 0, []
    for first in range(0, len(planned), CHUNK):
        chunk = planned[first:first + CHUNK]
        responses = []
        for item in chunk:
            response = build_response(version, {questions[k]: v for k, v in item.answers.items()},
                                      channel=item.channel, submitted_at=start + (end - start) * rng.random())
            response.reference = f"{PREFIX}{random_code(3)}"
            responses.append(response)
        rows = []
        response_ids, grouped = _store(version, responses)
        stored += response_ids
        for item, response, answer_ids in zip(chunk, responses, grouped):
            for answer, answer_id in zip(response.answers, answer_ids):
                key = key_of[answer.question_id]
                if key not in item.themes:
                    continue
                themes = [theme_ids[t] for t in item.themes[key]]
                pool = [theme_ids[t] for t in _question_themes(key)]
                coder = coder_ids[0] if rng.random() < 0.55 else coder_ids[1]
                rows.extend({"answer_id": answer_id, "theme_id": t, "coder_id": coder, "status": "applied"}
                            for t in _slip(rng, themes, pool))
                if key in WHY_KEYS:
                    truth[answer_id] = (themes, coder, pool)
        if rows:
            db.session.connection().execute(CodeAssignment.__table__.insert(), rows)
        codes += len(rows)
        db.session.commit()
        if progress:
            progress(len(chunk))
    announce_stored(survey.id, stored)
    sampled, adjudicated, second_codes = _double_code(survey, truth, coder_users, coder_ids, admin, double_code,
                                                      seed, rng)
    auth.record("demo.generated", survey, {"responses": count, "seed": seed, "sampled": sampled}, by=None)
    db.session.commit()
    return DemoSummary(slug, count, len(theme_ids), codes + second_codes, sampled, adjudicated, removed, password)


def _store(version: SurveyVersion, responses: list[Response]) -> tuple[list[int], list[list[int]]]:
    """Insert built responses with their answers and options in bulk; returns their ids and each one's answer
    ids in order.

    build_response makes the rows (respondent facts, chosen options); storing them with bulk inserts
    rather than the session's unit of work takes a fraction of the time.
    """
    connection = db.session.connection()
    responses_table, answers_table = Response.__table__, Answer.__table__
    response_ids = connection.execute(responses_table.insert().returning(
        responses_table.c.id, sort_by_parameter_order=True), [
        {"survey_id": r.survey_id, "version_id": r.version_id, "reference": r.reference, "channel": r.channel,
         "submitted_at": r.submitted_at, "respondent_type": r.respondent_type, "capacity": r.capacity}
        for r in responses]).scalars().all()
    answers = [(response_id, answer) for response_id, r in zip(response_ids, responses) for answer in r.answers]
    answer_ids = connection.execute(answers_table.insert().returning(
        answers_table.c.id, sort_by_parameter_order=True), [
        {"response_id": response_id, "question_id": a.question_id, "value": a.value, "text": a.text}
        for response_id, a in answers]).scalars().all()
    options = [{"answer_id": answer_id, "question_id": o.question_id, "value": o.value}
               for answer_id, (_, a) in zip(answer_ids, answers) for o in a.options]
    if options:
        connection.execute(AnswerOption.__table__.insert(), options)
    grouped, at = [], 0
    for r in responses:
        grouped.append(answer_ids[at:at + len(r.answers)])
        at += len(r.answers)
    return list(response_ids), grouped


def _question_themes(key: str) -> list[str]:
    """The themes a coder might plausibly read into answers to this question."""
    if key.startswith("principle_"):
        number = int(key.split("_")[1])
        return sorted({theme for pairs in content.WHY[number].values() for theme, _ in pairs})
    if key in content.BANK:
        return sorted(content.BANK[key])
    return sorted({theme for theme, _ in content.BARRIER_OTHER} | set(content.CAMPAIGN_THEMES))


def _double_code(survey, truth, users, coder_ids, admin, fraction, seed, rng) -> tuple[int, int, int]:
    """Samples of each principle's "why" answers coded by the second coder too; half the disagreements settled."""
    if not fraction:
        return 0, 0, 0
    sampled = 0
    rows: list[dict] = []
    disagreements = []
    for key in WHY_KEYS:
        try:
            sample = create_sample(survey, key, fraction, users[0], users[1], seed=seed, by=admin)
        except SampleError:
            continue
        for answer_id in db.session.scalars(select(SampleItem.answer_id).where(SampleItem.sample_id == sample.id)
                                            .order_by(SampleItem.answer_id)):
            if answer_id not in truth:
                continue
            sampled += 1
            themes, primary, pool = truth[answer_id]
            first = set(db.session.scalars(select(CodeAssignment.theme_id).where(CodeAssignment.answer_id == answer_id)))
            second = _slip(rng, themes, pool)
            other = coder_ids[1] if primary == coder_ids[0] else coder_ids[0]
            rows.extend({"answer_id": answer_id, "theme_id": t, "coder_id": other, "status": "applied"} for t in second)
            if set(second) != first:
                disagreements.append((answer_id, themes))
    if rows:
        db.session.connection().execute(CodeAssignment.__table__.insert(), rows)
    settled = [d for d in disagreements if rng.random() < ADJUDICATED_SHARE]
    db.session.add_all(Adjudication(answer_id=answer_id, theme_ids=sorted(themes), decided_by=admin.id,
                                    note="Demonstration adjudication: settled on the themes the answer expresses.")
                       for answer_id, themes in settled)
    db.session.commit()
    return sampled, len(settled), len(rows)

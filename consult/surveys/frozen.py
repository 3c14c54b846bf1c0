"""A survey version's pages and questions, read from the database once per process and kept as plain objects.

A loaded version never changes (a changed definition is loaded as a new version, and nothing deletes one), so
every step of every respondent's journey can share one copy instead of loading and walking rows each request.
The copies read like the rows (`version.pages`, `page.questions`, `question.settings` ...), so the journey's
rules (skip logic, kinds, languages) take either. They are shared between threads: treat them as read-only.
The cache belongs to the app (each test's app starts with none).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from collections.abc import Callable
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from consult.extensions import db
from consult.surveys.models import Page, Survey, SurveyVersion

CACHE_KEY = "consult.frozen_versions"
MEMO_LIMIT = 20_000


@dataclass(frozen=True, eq=False)
class FrozenQuestion:
    id: int
    version_id: int
    page_id: int
    position: int
    key: str
    kind: str
    title: str
    hint: str | None
    required: bool
    role: str | None
    show_if: dict[str, Any] | None
    settings: dict[str, Any]
    page: FrozenPage = field(init=False, repr=False)
    version: FrozenVersion = field(init=False, repr=False)


@dataclass(frozen=True, eq=False)
class FrozenPage:
    id: int
    version_id: int
    position: int
    section: str | None
    title: str | None
    intro: str | None
    show_if: dict[str, Any] | None
    questions: tuple[FrozenQuestion, ...]
    version: FrozenVersion = field(init=False, repr=False)


@dataclass(frozen=True, eq=False)
class FrozenVersion:
    id: int
    survey_id: int
    number: int
    checksum: str
    definition: dict[str, Any]
    translations: dict[str, Any] | None
    pages: tuple[FrozenPage, ...]
    questions: tuple[FrozenQuestion, ...]
    # Keys of the questions whose answers decide what shows (pages, questions, choices), in page order.
    deciding: tuple[str, ...] = ()
    # What the journey works out from the version and those answers alone (see consult/responses/journey.py,
    # consult/responses/forms.py): kept with the version, and gone with it.
    memo: dict[Any, Any] = field(default_factory=dict, repr=False)

    @property
    def survey(self) -> Survey:
        """The survey row (it does change: its state, its closing time), from the request's session."""
        return db.session.get(Survey, self.survey_id)


def freeze(version: SurveyVersion) -> FrozenVersion:
    """Plain copies of a version row, its pages and their questions."""
    pages = []
    for page in version.pages:
        questions = tuple(FrozenQuestion(
            id=q.id, version_id=q.version_id, page_id=q.page_id, position=q.position, key=q.key, kind=q.kind,
            title=q.title, hint=q.hint, required=q.required, role=q.role, show_if=q.show_if,
            settings=q.settings or {}) for q in page.questions)
        pages.append(FrozenPage(id=page.id, version_id=page.version_id, position=page.position,
                                section=page.section, title=page.title, intro=page.intro, show_if=page.show_if,
                                questions=questions))
    questions = tuple(q for page in pages for q in page.questions)
    conditions = [page.show_if for page in pages] + [q.show_if for q in questions] + [
        choice.get("show_if") for q in questions for choice in q.settings.get("choices", [])]
    deciding = tuple(dict.fromkeys(c["question"] for c in conditions if c))
    frozen = FrozenVersion(id=version.id, survey_id=version.survey_id, number=version.number,
                           checksum=version.checksum, definition=version.definition,
                           translations=version.translations, pages=tuple(pages), questions=questions,
                           deciding=deciding)
    for page in pages:
        object.__setattr__(page, "version", frozen)
        for question in page.questions:
            object.__setattr__(question, "page", page)
            object.__setattr__(question, "version", frozen)
    return frozen


def frozen_version(version_id: int) -> FrozenVersion:
    """The version with this id, loaded once per app (then from memory)."""
    cache = current_app.extensions.setdefault(CACHE_KEY, {}) if has_app_context() else {}
    frozen = cache.get(version_id)
    if frozen is None:
        row = db.session.scalar(select(SurveyVersion).where(SurveyVersion.id == version_id).options(
            selectinload(SurveyVersion.pages).selectinload(Page.questions)))
        if row is None:
            raise LookupError(f"no survey version {version_id}")
        frozen = cache[version_id] = freeze(row)
    return frozen


def deciding_answers(version: FrozenVersion, answers: dict[str, Any]) -> str:
    """The answers that decide what the respondent sees, as a key to what was worked out from them."""
    return json.dumps([answers.get(key) for key in version.deciding], sort_keys=True, default=str)


def remembered(version: FrozenVersion, key: Any, compute: Callable[[], Any]) -> Any:
    """`compute()`, worked out once per version and key (at most MEMO_LIMIT kept: then it starts again)."""
    try:
        return version.memo[key]
    except KeyError:
        if len(version.memo) >= MEMO_LIMIT:
            version.memo.clear()
        value = version.memo[key] = compute()
        return value


def current(survey: Survey) -> FrozenVersion:
    """The survey's current (newest) version."""
    return frozen_version(survey.current_version_id)

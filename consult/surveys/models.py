"""Surveys, their loaded versions, and the page and question rows each version is built from."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    select,
)
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from consult.extensions import db
from consult.surveys.languages import definition_in
from consult.timeutil import utcnow

DEFAULT_TIME_ZONE = "Europe/London"
QUESTION_KINDS = ("short_text", "long_text", "single_choice", "multiple_choice", "agree_scale",
                  "scale_grid", "number", "email", "local_authority", "consent")


class SurveyState(str, enum.Enum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


# Guarded transitions: a closed survey may be reopened (say, to extend it); nothing returns to draft.
TRANSITIONS: dict[SurveyState, frozenset[SurveyState]] = {
    SurveyState.DRAFT: frozenset({SurveyState.OPEN}),
    SurveyState.OPEN: frozenset({SurveyState.CLOSED}),
    SurveyState.CLOSED: frozenset({SurveyState.OPEN}),
}


class InvalidTransition(ValueError):
    pass


def survey_status(state: str, opens_at: datetime, closes_at: datetime, now: datetime | None = None) -> str:
    """What a respondent sees of a survey in this state with these times: draft, not_yet_open, open or closed."""
    now = now or utcnow()
    if state == SurveyState.DRAFT.value:
        return "draft"
    if state == SurveyState.CLOSED.value or now >= closes_at:
        return "closed"
    if now < opens_at:
        return "not_yet_open"
    return "open"


class Survey(db.Model):
    __tablename__ = "survey"
    __table_args__ = (
        CheckConstraint("state IN ('draft', 'open', 'closed')", name="state_known"),
        CheckConstraint("opens_at < closes_at", name="opens_before_closes"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(10), default=SurveyState.DRAFT.value)
    opens_at: Mapped[datetime]
    closes_at: Mapped[datetime]
    reference_prefix: Mapped[str] = mapped_column(String(5), default="REF")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When staff closed it (before `closes_at`, or after to end an extension); cleared on reopening.
    closed_at: Mapped[datetime | None]
    # Goes up whenever what its figures are counted from changes (coding, codebook, erasure): the figures kept
    # in FigureCache are reused while it stands still (consult.surveys.figure_cache).
    figures_revision: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    # Goes up only when responses or their answers are erased: counts over responses are topped up with the
    # responses stored since while it stands still (consult.surveys.figure_cache.topped_up).
    responses_revision: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")

    versions: Mapped[list[SurveyVersion]] = relationship(
        back_populates="survey", order_by="SurveyVersion.number", cascade="all, delete-orphan")

    @property
    def current_version(self) -> SurveyVersion:
        return self.versions[-1]

    def transition(self, target: SurveyState) -> None:
        current = SurveyState(self.state)
        if target not in TRANSITIONS[current]:
            raise InvalidTransition(f"A {current.value} survey cannot become {target.value}.")
        self.state = target.value
        self.closed_at = utcnow() if target is SurveyState.CLOSED else None

    @property
    def closed_time(self) -> datetime | None:
        """When it stopped accepting responses: closed by staff, or reaching its closing time, whichever came
        first; None while open, or when it was closed before that moment was recorded."""
        if self.state == SurveyState.CLOSED.value:
            return min(self.closed_at, self.closes_at) if self.closed_at else None
        return self.closes_at if utcnow() >= self.closes_at else None

    @property
    def shown_title(self) -> str:
        """The title in the language of the page being made (respondents' pages)."""
        return definition_in(self._current_frozen())["title"]

    @property
    def time_zone(self) -> str:
        """The IANA time zone its dates and times are shown in (the definition's `time_zone`)."""
        return self._current_frozen().definition.get("time_zone", DEFAULT_TIME_ZONE)

    def _current_frozen(self):
        from consult.surveys.frozen import current  # reads this module's models

        return current(self)

    def status(self, now: datetime | None = None) -> str:
        """What a respondent sees: draft, not_yet_open, open or closed."""
        return survey_status(self.state, self.opens_at, self.closes_at, now)

    def accepting(self, now: datetime | None = None) -> bool:
        return self.status(now) == "open"


class SurveyVersion(db.Model):
    __tablename__ = "survey_version"
    __table_args__ = (UniqueConstraint("survey_id", "number"),
                      CheckConstraint("number >= 1", name="number_positive"))

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"))
    number: Mapped[int]
    checksum: Mapped[str] = mapped_column(String(64))
    # The definition in its own language (every text a plain string), and in each language it is translated
    # into: {"cy": {...the same definition in Welsh...}} (see consult/surveys/languages.py).
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    translations: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    loaded_at: Mapped[datetime] = mapped_column(default=utcnow)

    survey: Mapped[Survey] = relationship(back_populates="versions")
    # Versions never change once loaded; every journey step walks all pages, so load them in one go.
    pages: Mapped[list[Page]] = relationship(
        back_populates="version", order_by="Page.position", cascade="all, delete-orphan", lazy="selectin")
    questions: Mapped[list[Question]] = relationship(
        back_populates="version", order_by="Question.position", cascade="all, delete-orphan")


# The newest version's id, read with the survey row itself: respondents' pages find that version's pages in
# memory (consult/surveys/frozen.py) without loading the versions.
Survey.current_version_id = column_property(
    select(SurveyVersion.id).where(SurveyVersion.survey_id == Survey.id).order_by(SurveyVersion.number.desc())
    .limit(1).correlate_except(SurveyVersion).scalar_subquery())


class Page(db.Model):
    __tablename__ = "survey_page"
    __table_args__ = (UniqueConstraint("version_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("survey_version.id", ondelete="CASCADE"))
    position: Mapped[int]
    section: Mapped[str | None] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(Text)
    intro: Mapped[str | None] = mapped_column(Text)
    show_if: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    version: Mapped[SurveyVersion] = relationship(back_populates="pages")
    questions: Mapped[list[Question]] = relationship(
        back_populates="page", order_by="Question.position", lazy="selectin")


class Question(db.Model):
    __tablename__ = "survey_question"
    __table_args__ = (
        UniqueConstraint("version_id", "key"),
        UniqueConstraint("version_id", "position"),
        CheckConstraint("kind IN (" + ", ".join(f"'{k}'" for k in QUESTION_KINDS) + ")", name="kind_known"),
        Index("ix_survey_question_page", "page_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("survey_version.id", ondelete="CASCADE"))
    page_id: Mapped[int] = mapped_column(ForeignKey("survey_page.id", ondelete="CASCADE"))
    position: Mapped[int]
    key: Mapped[str] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(Text)
    hint: Mapped[str | None] = mapped_column(Text)
    required: Mapped[bool] = mapped_column(default=False)
    role: Mapped[str | None] = mapped_column(String(40))
    show_if: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # Kind-specific settings: choices, other, max_chars, statements, min, max, integer, suffix, multiple, purpose.
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    version: Mapped[SurveyVersion] = relationship(back_populates="questions")
    page: Mapped[Page] = relationship(back_populates="questions")


class FigureCache(db.Model):
    """Figures that take long to count on a large survey (the codebook's, agreement, the overview's), kept
    with the stamp they were counted under and reused while it is unchanged (consult.surveys.figure_cache)."""

    __tablename__ = "figure_cache"

    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), primary_key=True,
                                           autoincrement=False)
    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    stamp: Mapped[str] = mapped_column(String(200))
    value: Mapped[Any] = mapped_column(JSON)
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)

"""A question page's survey and draft as plain values, read in one Core query instead of as the session's objects.

Every GET and POST of a question page reads the survey (is it open, which version) and the respondent's draft.
Read as ORM objects, that one SELECT cost about a quarter of the journey's CPU in the app (the session's ORM
execution and loading two instances), where the same SELECT through the session's connection costs less than
half as much. A question page needs only these values: it saves through a Core UPDATE already (see
`services._touch`), and what needs the objects (rendering a page with the survey's titles, issuing a resume code)
loads them on the rare occasions it happens.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, select

from consult.driver_statements import first_row
from consult.extensions import db
from consult.responses.models import Draft
from consult.surveys.models import Survey, SurveyVersion, survey_status
from consult.timeutil import utcnow

_DRAFT_COLUMNS = tuple(column.key for column in Draft.__table__.columns)


@dataclass(frozen=True)
class SurveyRow:
    """The survey's columns a question page reads; `status()` and `accepting()` as `Survey`'s."""

    id: int
    slug: str
    state: str
    opens_at: datetime
    closes_at: datetime
    current_version_id: int

    def status(self, now: datetime | None = None) -> str:
        return survey_status(self.state, self.opens_at, self.closes_at, now)

    def accepting(self, now: datetime | None = None) -> bool:
        return self.status(now) == "open"


@dataclass
class DraftRow:
    """A draft's columns as stored; a save through `services` updates them to what it stored."""

    id: int
    token: str
    resume_hash: str | None
    submission_token: str
    version_id: int
    answers: dict[str, Any]
    last_page: int | None
    unsaved: dict[str, Any] | None
    created_at: datetime
    updated_at: datetime
    expires_at: datetime

    def unsaved_pages(self) -> set[int]:
        return {int(position) for position in (self.unsaved or {})}


@cache
def _statement() -> Select:
    survey, draft = Survey.__table__, Draft.__table__
    return (select(survey.c.id, survey.c.slug, survey.c.state, survey.c.opens_at, survey.c.closes_at,
                   Survey.current_version_id.expression.label("current_version_id"),
                   *[draft.c[name].label(f"draft_{name}") for name in _DRAFT_COLUMNS])
            .select_from(survey).join(SurveyVersion.__table__, SurveyVersion.survey_id == survey.c.id)
            .join(draft, draft.c.version_id == SurveyVersion.id)
            .where(survey.c.slug == bindparam("slug"), draft.c.token == bindparam("token")))


def find_page_visit(slug: str, token: str | None, now: datetime | None = None, *,
                    writing: bool = True) -> tuple[SurveyRow, DraftRow] | None:
    """The survey with this slug and the unexpired draft of it behind a session token, as plain values read in
    one query (on PostgreSQL through psycopg's own cursor: `consult.driver_statements.first_row`); None when
    there is no such draft. Not `writing` (a page that is only shown), or on PostgreSQL, where a page save is a
    write of its own (`consult.database.execute_alone`): read through a connection of its own, so that the
    request need not begin and end the session at all (which cost more than the query); else through the
    session's, which the write then uses."""
    if not token:
        return None
    if writing and db.engine.dialect.driver != "psycopg":
        values = first_row(db.session.connection(), _statement(), {"slug": slug, "token": token})
    else:
        with db.engine.connect() as connection:
            values = first_row(connection, _statement(), {"slug": slug, "token": token})
    if values is None:
        return None
    draft = DraftRow(**{name: values[f"draft_{name}"] for name in _DRAFT_COLUMNS})
    if draft.expires_at <= (now or utcnow()):
        return None
    return SurveyRow(values["id"], values["slug"], values["state"], values["opens_at"], values["closes_at"],
                     values["current_version_id"]), draft


def stored_draft(draft: Draft | DraftRow) -> Draft:
    """The session's object for a draft (loaded if `draft` holds its values only), for a write through the ORM."""
    if isinstance(draft, Draft):
        return draft
    found = db.session.get(Draft, draft.id)
    if found is None:
        raise LookupError(f"no draft {draft.id}")
    return found

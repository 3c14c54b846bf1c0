"""The list's filters as SQL conditions: on a response, or on one answer (a question page).

Every value is a bound parameter (never text pasted into SQL); the user's LIKE wildcards are escaped.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import (
    JSON,
    String,
    and_,
    cast,
    exists,
    func,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.dialects.postgresql import JSONB

from consult.coding.models import (
    Adjudication,
    AnswerNote,
    AnswerReview,
    CodeAssignment,
    Coder,
    Theme,
)
from consult.extensions import db
from consult.responses.models import Answer, AnswerOption, Response
from consult.surveys.kinds import kind_of
from consult.surveys.models import Survey
from consult.surveys.services import question_ids

PERSON_STATUSES = ("applied", "accepted")
REFERENCE_START = re.compile(r"[A-Z]{2,5}-[A-Z0-9-]{2,30}")


@dataclass
class Filters:
    """What the GET form asked for; empty values mean 'any'."""

    respondent_type: str = ""
    capacity: str = ""
    area: str = ""
    channel: str = ""
    language: str = ""  # the language a response was answered in ("en", "cy")
    answer: str = ""  # "<question key>:<option value>"
    theme: int | None = None
    coded: str = ""  # "coded", "uncoded" or ""
    flagged: bool = False
    search: str = ""

    def query_args(self) -> dict[str, Any]:
        """The filters as URL arguments (for pagination links), leaving out the empty ones."""
        return {k: ("y" if v is True else v) for k, v in asdict(self).items() if v not in ("", None, False)}

    @property
    def active(self) -> bool:
        return bool(self.query_args())


def survey_themes(survey: Survey) -> dict[int, Theme]:
    return {t.id: t for t in db.session.scalars(
        select(Theme).where(Theme.survey_id == survey.id).order_by(Theme.position, Theme.name))}


def theme_family(themes: dict[int, Theme], theme_id: int) -> list[int]:
    """A theme, its child codes, and every theme merged into any of them."""
    family = {theme_id}
    while True:
        grown = family | {t.id for t in themes.values() if t.parent_id in family or t.merged_into_id in family}
        if grown == family:
            return sorted(family)
        family = grown


def like_pattern(term: str) -> str:
    """'%term%' with the user's own %, _ and backslash matched literally (ESCAPE '\\')."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def open_flag():
    """Conditions for an AnswerNote row that is a flag not yet resolved: the one rule for the flag filter
    (on a response or an answer) and the "Flagged" tag on a list's rows."""
    return [AnswerNote.kind == "flag", AnswerNote.resolved.is_(False)]


def _flagged_response(walked: bool = False):
    """EXISTS: an open flag on any answer of the outer query's Response row, found by the note's response id
    (one small index, where through the response's answers it was two lookups a response: 368 ms to count the
    first 1,001 flagged of a million, now 60). `walked`: see `_some_answer`."""
    query = select(literal(1)).select_from(AnswerNote).where(AnswerNote.response_id == Response.id, *open_flag())
    return exists(query.offset(0) if walked else query)


def _person_codes(theme_ids: list[int] | None = None):
    """Conditions for a CodeAssignment row that is a person's applied or accepted code."""
    conditions = [CodeAssignment.coder_id.in_(select(Coder.id).where(Coder.kind == "person")),
                  CodeAssignment.status.in_(PERSON_STATUSES)]
    return conditions + ([CodeAssignment.theme_id.in_(theme_ids)] if theme_ids is not None else [])


def _final_codes(theme_ids: list[int]):
    """A condition on Adjudication: its final (adjudicated) code set holds one of these themes."""
    if db.session.get_bind().dialect.name == "postgresql":
        as_jsonb = cast(Adjudication.theme_ids, JSONB)
        return or_(*[as_jsonb.contains(cast(literal([t], JSON), JSONB)) for t in theme_ids])
    members = func.json_each(Adjudication.theme_ids).table_valued("value")
    return exists(select(literal(1)).select_from(members).where(members.c.value.in_(theme_ids)))


def text_question_ids(survey: Survey) -> list[int]:
    """Questions whose answers can hold free text (text kinds, and choices with an 'Other' box), except
    contact details (a name given for quotes), which lists never show or search."""
    return [q.id for v in survey.versions for q in v.questions
            if kind_of(q).holds_text(q) and not kind_of(q).contact_detail(q)]


def reference_pattern(search: str) -> str | None:
    """A LIKE pattern for references starting with the search, when it looks like one ("kil-ab12 cd34" → 
    "KIL-AB12CD34%"): letters, a dash, then letters, digits and dashes; case and spaces forgiven."""
    term = "".join(search.split()).upper()
    return f"{term}%" if REFERENCE_START.fullmatch(term) else None


def _search(filters: Filters):
    pattern = literal(like_pattern(filters.search.strip()), String)
    return func.lower(Answer.text).like(func.lower(pattern), escape="\\")


def _by_reference(filters: Filters):
    """Responses whose reference starts with the search, or None when it does not look like a reference."""
    pattern = reference_pattern(filters.search)
    return None if pattern is None else select(Response.id).where(Response.reference.like(literal(pattern, String)))


def _uncoded(walked: bool = False):
    """Free text no person has decided: no person's code, and no "no code applies" decision."""
    return and_(Answer.text.is_not(None), Answer.text != "",
                ~_on_answer(CodeAssignment, *_person_codes(), walked=walked), ~_on_answer(AnswerReview, walked=walked))


def _on_answer(model, *conditions, walked: bool = False):
    """EXISTS: a row of `model` (codes, reviews, adjudications, notes) on the outer query's Answer row
    (`walked`: see `_some_answer`)."""
    query = select(literal(1)).select_from(model).where(model.answer_id == Answer.id, *conditions)
    return exists(query.offset(0) if walked else query)


def answer_conditions(survey: Survey, filters: Filters, themes: dict[int, Theme], walked: bool = False) -> list:
    """Conditions on one Answer row (a question page): theme, coded or not, flagged, and text search.
    `walked`: tested one answer at a time (see `_some_answer`), for a newest-first walk."""
    conditions = []

    def on_answer(model, *where):
        return _on_answer(model, *where, walked=walked)

    if filters.theme is not None:
        family = theme_family(themes, filters.theme)
        conditions.append(or_(on_answer(CodeAssignment, *_person_codes(family)),
                              on_answer(Adjudication, _final_codes(family))))
    if filters.coded == "coded":
        conditions.append(or_(on_answer(CodeAssignment, *_person_codes()), on_answer(AnswerReview)))
    elif filters.coded == "uncoded":
        conditions.append(_uncoded(walked))
    if filters.flagged:
        conditions.append(on_answer(AnswerNote, *open_flag()))
    if filters.search.strip():
        by_reference = _by_reference(filters)
        conditions.append(_search(filters) if by_reference is None
                          else or_(_search(filters), Answer.response_id.in_(by_reference)))
    return conditions


def _some_answer(*conditions, join=None, walked: bool = False):
    """EXISTS: an answer of the response (the outer query's Response row) meets these conditions, optionally
    joined to another table (codes, reviews, adjudications, notes) on its answer id. Correlated, so a page
    of the newest responses tests only as many as it needs (and counting stops at the cap).

    `walked` keeps it so on PostgreSQL: OFFSET 0 stops the planner from turning the test into a join over
    every matching row (it would hash the 300,000 answers holding a common theme to show 50 of them), so the
    newest-first walk tests one response at a time and stops once the page (or the cap) is full."""
    query = select(literal(1)).select_from(Answer)
    if join is not None:
        query = query.join(join, join.answer_id == Answer.id)
    query = query.where(Answer.response_id == Response.id, *conditions)
    return exists(query.offset(0) if walked else query)


DENSE = 10_000  # coding rows beyond which a filter on them is walked response by response (see `walk_coding`)


def walk_coding(filters: Filters, themes: dict[int, Theme]) -> bool:
    """Whether the coding filters (theme, coded, flagged) each pick among many rows, so that a newest-first walk
    testing one response at a time soon fills a page and the capped count (a common theme: a quarter of all
    answers), where a join would first gather every matching row. Rare ones are better joined from the few
    rows that match. A capped count on each table's index: a few milliseconds."""
    if not (filters.theme is not None or filters.coded or filters.flagged):
        return False
    picks = []
    if filters.theme is not None:
        picks.append(select(CodeAssignment.id).where(CodeAssignment.theme_id.in_(theme_family(themes, filters.theme))))
    if filters.coded == "coded":
        picks.append(select(CodeAssignment.id).where(*_person_codes()))
    if filters.flagged:
        picks.append(select(AnswerNote.id).where(*open_flag()))
    return all(db.session.scalar(select(func.count()).select_from(pick.limit(DENSE + 1).subquery())) > DENSE
               for pick in picks)


def answer_level_conditions(survey: Survey, filters: Filters, themes: dict[int, Theme], walked: bool = False) -> list:
    """The same filters on a Response: some answer of it matches. Codes, reviews and adjudications are on
    answers holding text (only those are coded), found through (response, question) for those questions alone;
    flags by the note's response id. `walked`: tested one response at a time (see `_some_answer`), for a
    newest-first walk."""
    conditions = []
    texts = Answer.question_id.in_(text_question_ids(survey))

    def on_coding(model, *where):
        return _some_answer(texts, *where, join=model, walked=walked)

    if filters.theme is not None:
        family = theme_family(themes, filters.theme)
        conditions.append(or_(on_coding(CodeAssignment, *_person_codes(family)),
                              on_coding(Adjudication, _final_codes(family))))
    if filters.coded == "coded":
        conditions.append(or_(on_coding(CodeAssignment, *_person_codes()), on_coding(AnswerReview)))
    elif filters.coded == "uncoded":
        conditions.append(_some_answer(texts, _uncoded(), walked=walked))
    if filters.flagged:
        conditions.append(_flagged_response(walked))
    if filters.search.strip():
        texts = Answer.question_id.in_(text_question_ids(survey))
        pattern = reference_pattern(filters.search)
        if pattern is None:
            conditions.append(_some_answer(texts, _search(filters)))
        else:  # a reference or a text: one set of response ids from two indexes (prefix, trigram), not an OR
            conditions.append(Response.id.in_(union_all(  # that would test every response against both
                select(Response.id).where(Response.reference.like(literal(pattern, String))),
                select(Answer.response_id).where(texts, _search(filters)))))
    return conditions


def response_conditions(survey: Survey, filters: Filters, walked: bool = False) -> list:
    """Conditions on a Response row: the survey, respondent facts, channel, and chosen options (`walked`: tested
    one response at a time, alongside coding filters that are; see `_some_answer`)."""
    conditions = [Response.survey_id == survey.id]
    if filters.respondent_type:
        conditions.append(Response.respondent_type == filters.respondent_type)
    if filters.capacity:
        conditions.append(Response.capacity == filters.capacity)
    if filters.channel:
        conditions.append(Response.channel == filters.channel)
    if filters.language:
        conditions.append(Response.language == filters.language)
    chosen: list[tuple[list[int], str]] = []
    if filters.area:
        chosen.append((question_ids(survey, role="local_authority"), filters.area))
    if ":" in filters.answer:
        key, value = filters.answer.split(":", 1)
        chosen.append((question_ids(survey, keys=[key]), value))
    for ids, value in chosen:  # the answer found through (response, question) first: one row, not every answer
        conditions.append(_some_answer(Answer.question_id.in_(ids), AnswerOption.question_id.in_(ids),
                                       AnswerOption.value == value, join=AnswerOption, walked=walked))
    return conditions

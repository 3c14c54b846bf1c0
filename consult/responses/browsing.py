"""Queries behind the response list and the question pages: filters, one page of rows, and its tags.

Every filter is a bound SQL condition (never text pasted into SQL). A page costs a fixed number of
queries whatever its size: the count, the page's rows, then one IN query each for texts, codes and flags.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import JSON, String, and_, cast, func, literal, or_, select
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import selectinload

from consult.coding.models import Adjudication, AnswerNote, CodeAssignment, Coder, Theme
from consult.extensions import db
from consult.responses.models import Answer, AnswerOption, Response
from consult.surveys.kinds import kind_of
from consult.surveys.models import Question, Survey, SurveyVersion

CLOSED_KINDS = ("single_choice", "multiple_choice", "consent", "agree_scale", "scale_grid", "local_authority")
PERSON_STATUSES = ("applied", "accepted")
PER_PAGE = 50
SNIPPET_CHARS = 220


@dataclass
class Filters:
    """What the GET form asked for; empty values mean 'any'."""

    respondent_type: str = ""
    capacity: str = ""
    area: str = ""
    channel: str = ""
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


@dataclass
class ListRow:
    response: Response
    snippet: str = ""
    themes: list[str] = field(default_factory=list)
    flagged: bool = False
    answer: Answer | None = None  # on a question page: that question's answer
    lines: list[str] = field(default_factory=list)


@dataclass
class ResultPage:
    rows: list[ListRow]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def latest_questions(survey: Survey) -> list[Question]:
    """One question per key across the survey's versions, as the newest version words it."""
    seen: dict[str, Question] = {}
    versions = db.session.scalars(select(SurveyVersion).where(SurveyVersion.survey_id == survey.id)
                                  .order_by(SurveyVersion.number.desc())
                                  .options(selectinload(SurveyVersion.questions)))
    for version in versions:
        for question in version.questions:
            seen.setdefault(question.key, question)
    return sorted(seen.values(), key=lambda q: (q.version_id != survey.current_version.id, q.position))


def question_ids(survey: Survey, keys: list[str] | None = None, role: str | None = None) -> list[int]:
    """Ids of the survey's question rows (every version) with these keys or this role."""
    query = select(Question.id).join(SurveyVersion).where(SurveyVersion.survey_id == survey.id)
    if keys is not None:
        query = query.where(Question.key.in_(keys))
    if role is not None:
        query = query.where(Question.role == role)
    return list(db.session.scalars(query))


def role_options(questions: list[Question], role: str) -> list[tuple[str, str]]:
    """(value, label) for the first question with this role, e.g. the respondent types."""
    for question in questions:
        if question.role == role and question.kind in ("single_choice", "consent"):
            return kind_of(question).options(question)
    return []


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


def _person_coded_answers(theme_ids: list[int] | None = None):
    query = (select(CodeAssignment.answer_id).join(Coder, Coder.id == CodeAssignment.coder_id)
             .where(Coder.kind == "person", CodeAssignment.status.in_(PERSON_STATUSES)))
    return query.where(CodeAssignment.theme_id.in_(theme_ids)) if theme_ids is not None else query


def _adjudicated_answers(theme_ids: list[int]):
    """Answers whose final (adjudicated) code set holds one of these themes."""
    if db.session.get_bind().dialect.name == "postgresql":
        as_jsonb = cast(Adjudication.theme_ids, JSONB)
        return select(Adjudication.answer_id).where(or_(*[as_jsonb.contains(cast(literal([t], JSON), JSONB))
                                                          for t in theme_ids]))
    members = func.json_each(Adjudication.theme_ids).table_valued("value")
    return select(Adjudication.answer_id).select_from(Adjudication).join(members, literal(True)).where(
        members.c.value.in_(theme_ids))


def answer_conditions(survey: Survey, filters: Filters, themes: dict[int, Theme]) -> list:
    """Conditions on an Answer row: theme, coded or not, flagged, and text search."""
    conditions = []
    if filters.theme is not None:
        family = theme_family(themes, filters.theme)
        conditions.append(or_(Answer.id.in_(_person_coded_answers(family)), Answer.id.in_(_adjudicated_answers(family))))
    if filters.coded == "coded":
        conditions.append(Answer.id.in_(_person_coded_answers()))
    elif filters.coded == "uncoded":
        conditions.append(and_(Answer.text.is_not(None), Answer.text != "", Answer.id.not_in(_person_coded_answers())))
    if filters.flagged:
        conditions.append(Answer.id.in_(select(AnswerNote.answer_id).where(
            AnswerNote.kind == "flag", AnswerNote.resolved.is_(False))))
    if filters.search.strip():
        pattern = literal(like_pattern(filters.search.strip()), String)
        conditions.append(func.lower(Answer.text).like(func.lower(pattern), escape="\\"))
    return conditions


def response_conditions(survey: Survey, filters: Filters) -> list:
    """Conditions on a Response row: the survey, respondent facts, channel, and chosen options."""
    conditions = [Response.survey_id == survey.id]
    if filters.respondent_type:
        conditions.append(Response.respondent_type == filters.respondent_type)
    if filters.capacity:
        conditions.append(Response.capacity == filters.capacity)
    if filters.channel:
        conditions.append(Response.channel == filters.channel)
    chosen: list[tuple[list[int], str]] = []
    if filters.area:
        chosen.append((question_ids(survey, role="local_authority"), filters.area))
    if ":" in filters.answer:
        key, value = filters.answer.split(":", 1)
        chosen.append((question_ids(survey, keys=[key]), value))
    for ids, value in chosen:
        conditions.append(Response.id.in_(
            select(Answer.response_id).join(AnswerOption, AnswerOption.answer_id == Answer.id)
            .where(AnswerOption.question_id.in_(ids), AnswerOption.value == value)))
    return conditions


def _order(query):
    return query.order_by(Response.submitted_at.desc(), Response.id.desc())


def response_page(survey: Survey, filters: Filters, page: int = 1, per_page: int = PER_PAGE,
                  themes: dict[int, Theme] | None = None) -> ResultPage:
    """One page of the survey's responses, newest first, with snippets, code tags and flags."""
    themes = survey_themes(survey) if themes is None else themes
    conditions = response_conditions(survey, filters)
    for condition in answer_conditions(survey, filters, themes):
        conditions.append(Response.id.in_(select(Answer.response_id).where(condition)))
    total = db.session.scalar(select(func.count()).select_from(Response).where(*conditions)) or 0
    page = max(1, min(page, -(-total // per_page) or 1))
    responses = list(db.session.scalars(_order(select(Response).where(*conditions))
                                        .limit(per_page).offset((page - 1) * per_page)))
    rows = [ListRow(response=r) for r in responses]
    by_id = {row.response.id: row for row in rows}
    if by_id:
        term = filters.search.strip().lower()
        texts = db.session.execute(select(Answer.response_id, Answer.text).where(
            Answer.response_id.in_(by_id), Answer.text.is_not(None), Answer.text != "").order_by(Answer.id))
        for response_id, text in texts:
            row = by_id[response_id]
            if not row.snippet or (term and term in text.lower() and term not in row.snippet.lower()):
                row.snippet = snippet(text, term)
        _tag_rows(by_id, Answer.response_id, Answer.response_id.in_(by_id), themes)
    return ResultPage(rows=rows, total=total, page=page, per_page=per_page)


def answer_page(survey: Survey, question: Question, filters: Filters, page: int = 1, per_page: int = PER_PAGE,
                themes: dict[int, Theme] | None = None) -> ResultPage:
    """One page of a question's answers (every version's row for its key), filtered like the list."""
    themes = survey_themes(survey) if themes is None else themes
    conditions = [Answer.question_id.in_(question_ids(survey, keys=[question.key])),
                  *response_conditions(survey, filters), *answer_conditions(survey, filters, themes)]
    joined = select(func.count()).select_from(Answer).join(Response, Response.id == Answer.response_id)
    total = db.session.scalar(joined.where(*conditions)) or 0
    page = max(1, min(page, -(-total // per_page) or 1))
    results = db.session.execute(_order(select(Answer, Response).join(Response, Response.id == Answer.response_id)
                                        .where(*conditions)).limit(per_page).offset((page - 1) * per_page))
    kind = kind_of(question)
    rows = [ListRow(response=response, answer=answer, snippet=answer.text or "",
                    lines=kind.summary(question, {"value": answer.value, "text": answer.text}))
            for answer, response in results]
    by_answer = {row.answer.id: row for row in rows}
    if by_answer:
        _tag_rows(by_answer, Answer.id, Answer.id.in_(by_answer), themes)
    return ResultPage(rows=rows, total=total, page=page, per_page=per_page)


def _tag_rows(rows: dict[int, ListRow], key, within, themes: dict[int, Theme]) -> None:
    """Code tags (people's and final codes) and open flags for a page of rows, one query each."""
    codes = db.session.execute(
        select(key, CodeAssignment.theme_id).join(CodeAssignment, CodeAssignment.answer_id == Answer.id)
        .join(Coder, Coder.id == CodeAssignment.coder_id)
        .where(within, Coder.kind == "person", CodeAssignment.status.in_(PERSON_STATUSES)).distinct())
    finals = db.session.execute(select(key, Adjudication.theme_ids).join(Adjudication, Adjudication.answer_id == Answer.id)
                                .where(within))
    theme_ids: dict[int, set[int]] = {}
    for row_key, theme_id in codes:
        theme_ids.setdefault(row_key, set()).add(theme_id)
    for row_key, final_ids in finals:
        theme_ids.setdefault(row_key, set()).update(int(t) for t in final_ids or [])
    for row_key, ids in theme_ids.items():
        rows[row_key].themes = sorted(themes[t].name for t in ids if t in themes)
    flags = db.session.execute(select(key).join(AnswerNote, AnswerNote.answer_id == Answer.id).where(
        within, AnswerNote.kind == "flag", AnswerNote.resolved.is_(False)).distinct())
    for (row_key,) in flags:
        rows[row_key].flagged = True


def snippet(text: str, term: str = "") -> str:
    """About SNIPPET_CHARS of the text, around the search term when there is one."""
    text = " ".join(text.split())
    start = max(0, text.lower().find(term) - 60) if term and term in text.lower() else 0
    piece = text[start:start + SNIPPET_CHARS]
    return ("…" if start else "") + piece + ("…" if start + SNIPPET_CHARS < len(text) else "")


def find_response(survey: Survey, response_id: int | None = None, reference: str | None = None) -> Response | None:
    """A response of this survey by id or by reference (case and spaces forgiven)."""
    query = select(Response).where(Response.survey_id == survey.id)
    if response_id is not None:
        query = query.where(Response.id == response_id)
    else:
        query = query.where(Response.reference == (reference or "").strip().upper())
    return db.session.scalar(query.options(selectinload(Response.answers).selectinload(Answer.question)))


def response_codes(response: Response) -> dict[int, dict[str, list[CodeAssignment]]]:
    """Per answer id: each coder's name → their codes on it (people and machine, every status)."""
    assignments = db.session.scalars(
        select(CodeAssignment).where(CodeAssignment.answer_id.in_([a.id for a in response.answers]))
        .options(selectinload(CodeAssignment.theme), selectinload(CodeAssignment.coder))
        .order_by(CodeAssignment.coder_id, CodeAssignment.id))
    codes: dict[int, dict[str, list[CodeAssignment]]] = {}
    for assignment in assignments:
        codes.setdefault(assignment.answer_id, {}).setdefault(assignment.coder.name, []).append(assignment)
    return codes


def response_notes(response: Response) -> dict[int, list[AnswerNote]]:
    notes: dict[int, list[AnswerNote]] = {}
    for note in db.session.scalars(select(AnswerNote).where(
            AnswerNote.answer_id.in_([a.id for a in response.answers])).order_by(AnswerNote.at)):
        notes.setdefault(note.answer_id, []).append(note)
    return notes


def final_codes(response: Response, themes: dict[int, Theme]) -> dict[int, list[str]]:
    """Per answer id, the adjudicated code names."""
    return {adj.answer_id: [themes[t].name for t in adj.theme_ids if t in themes] for adj in db.session.scalars(
        select(Adjudication).where(Adjudication.answer_id.in_([a.id for a in response.answers])))}

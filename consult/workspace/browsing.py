"""Queries behind the response list, the question pages and a response's page: one page of rows and its tags.

The filters' SQL lives in `consult.workspace.filters`. A page costs a fixed number of queries whatever
its size: the count and the page's rows, then one IN query each for texts, codes, final codes and flags.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy import text as sql
from sqlalchemy.orm import selectinload

from analysis.draft_figures import respondent_breakdowns
from consult.campaigns.services import campaign_stamp, current_campaigns
from consult.coding.models import Adjudication, AnswerNote, CodeAssignment, Coder, Theme
from consult.extensions import db
from consult.responses.models import Answer, Draft, Response
from consult.surveys.figure_cache import cached, topped_up
from consult.surveys.kinds import kind_of
from consult.surveys.models import Question, Survey, SurveyVersion
from consult.surveys.services import latest_questions, question_ids, respondent_groups
from consult.workspace.filters import (
    PERSON_STATUSES,
    Filters,
    answer_conditions,
    answer_level_conditions,
    like_pattern,
    open_flag,
    response_conditions,
    survey_themes,
    text_question_ids,
    walk_coding,
)

__all__ = ["Filters", "latest_questions", "like_pattern", "question_ids", "response_conditions", "survey_themes"]

PER_PAGE = 50
COUNT_CAP = 1_000  # filters on the coding, flags or a search count this far; beyond, "more than"
SNIPPET_CHARS = 220


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
    total: int  # COUNT_CAP when `more`
    page: int
    per_page: int
    more: bool = False  # more than COUNT_CAP match: counting them all would take seconds on a large survey

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page), self.page + (1 if self.more else 0))


def overview_counts(survey: Survey, min_cell: int) -> dict:
    """The overview's figures, as the draft prints them (analysis.draft_figures.respondent_breakdowns):
    responses by group, channel and respondent type, suppressed; the survey's organised campaigns (kept until
    a response is added, signed or erased: consult.surveys.figure_cache); and drafts in progress."""
    drafts = db.session.scalar(select(func.count()).select_from(Draft).join(SurveyVersion)
                               .where(SurveyVersion.survey_id == survey.id))
    return {**cached(survey.id, f"overview:{min_cell}", lambda: _response_figures(survey, min_cell),
                     depends=campaign_stamp(survey.id)), "drafts": drafts}


def _response_figures(survey: Survey, min_cell: int) -> dict:
    by_channel = dict(db.session.execute(
        select(Response.channel, func.count()).where(Response.survey_id == survey.id).group_by(Response.channel)).all())
    by_type_value = db.session.execute(select(Response.respondent_type, func.count()).where(
        Response.survey_id == survey.id).group_by(Response.respondent_type)).all()
    labels = dict(role_options(latest_questions(survey), "respondent_type"))
    groups = respondent_groups(survey)
    by_type: dict[str | None, int] = {}
    by_group: dict[str, int] = {}
    for value, n in by_type_value:
        label = labels.get(value or "", value)
        by_type[label] = by_type.get(label, 0) + n
        group = groups.get(value or "", "others")
        by_group[group] = by_group.get(group, 0) + n
    total = sum(by_channel.values())
    campaigns = current_campaigns(survey)
    return {"total": total, "campaigns": len(campaigns),
            "campaign_responses": sum(len(c.members) for c in campaigns),
            **respondent_breakdowns(by_group, by_channel, by_type, total, min_cell)}


def role_options(questions: list[Question], role: str) -> list[tuple[str, str]]:
    """(value, label) for the first question with this role, e.g. the respondent types."""
    for question in questions:
        if question.role == role and kind_of(question).closed and kind_of(question).single_valued(question):
            return kind_of(question).options(question)
    return []


def _order(query):
    return query.order_by(Response.submitted_at.desc(), Response.id.desc())


def kept_count(survey_id: int, query, response_id=Response.id) -> int:
    """An exact count of what responses say (columns, chosen options: a third of a second and more over a
    million responses), kept and topped up with the responses stored since (`response_id` is the query's
    column naming the response; consult.surveys.figure_cache.topped_up)."""
    compiled = query.compile(compile_kwargs={"literal_binds": True})
    key = "count:" + hashlib.sha256(str(compiled).encode()).hexdigest()[:32]

    def count(after: int, upto: int) -> dict[str, int]:
        return {"n": db.session.scalar(query.where(response_id > after, response_id <= upto)) or 0}

    return topped_up(survey_id, key, count).get("n", 0)


def _capped_count(query, cap: int) -> int:
    """How many rows the query returns, counting no further than cap + 1."""
    return db.session.scalar(select(func.count()).select_from(query.limit(cap + 1).subquery())) or 0


def _one_page(survey_id: int, conditions: list, page: int, per_page: int,
              subqueries: bool) -> tuple[list[Response], int, int, bool]:
    """The page's responses, how many match, the page number (past the end: the last page), and whether more
    than COUNT_CAP match (then `total` is COUNT_CAP).

    Filters are column tests or EXISTS tests each response passes or fails on its own, so the newest page
    walks the (survey, submitted) index and stops after a page's worth. Filters on what a response says
    (columns, chosen options) are counted exactly and the count kept until a response is added or erased;
    filters on the coding, flags or a search (`subqueries`) count to COUNT_CAP, and beyond it the list says
    "more than": counting all of a million is what would take seconds, again after every code saved.
    """
    _serial_plans()
    matching = select(Response.id).where(*conditions)
    if subqueries:
        total = _capped_count(matching, COUNT_CAP)
    else:
        total = kept_count(survey_id, select(func.count()).select_from(Response).where(*conditions))
        _serial_plans()  # the count may have committed the transaction
    more = subqueries and total > COUNT_CAP
    total = min(total, COUNT_CAP) if more else total
    if not more:
        page = max(1, min(page, -(-total // per_page) or 1))
    ids = list(db.session.scalars(_order(matching).limit(per_page).offset((page - 1) * per_page)))
    if not ids and page > 1:  # past the end of more than COUNT_CAP: count them all, once, to find the last page
        total = db.session.scalar(select(func.count()).select_from(matching.subquery())) or 0
        return _last_page(conditions, total, per_page)
    return _responses(ids), total, page, more


def _serial_plans() -> None:
    """No parallel workers for the rest of this transaction (PostgreSQL): a newest-first page split between
    workers has each of them walk on past the rows the page needs (measured: 12,000 responses tested for 50,
    200 ms instead of 10), and a web server's other requests need the cores."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sql("SET LOCAL max_parallel_workers_per_gather = 0"))


def _last_page(conditions: list, total: int, per_page: int) -> tuple[list[Response], int, int, bool]:
    page = max(1, -(-total // per_page))
    ids = list(db.session.scalars(_order(select(Response.id).where(*conditions)).limit(per_page)
                                  .offset((page - 1) * per_page)))
    return _responses(ids), total, page, False


def _responses(ids: list[int]) -> list[Response]:
    by_id = {r.id: r for r in db.session.scalars(select(Response).where(Response.id.in_(ids)))} if ids else {}
    return [by_id[i] for i in ids]


def response_page(survey: Survey, filters: Filters, page: int = 1, per_page: int = PER_PAGE,
                  themes: dict[int, Theme] | None = None) -> ResultPage:
    """One page of the survey's responses, newest first, with snippets, code tags and flags."""
    themes = survey_themes(survey) if themes is None else themes
    walked = walk_coding(filters, themes)
    by_answers = answer_level_conditions(survey, filters, themes, walked=walked)
    conditions = response_conditions(survey, filters, walked=walked) + by_answers
    responses, total, page, more = _one_page(survey.id, conditions, page, per_page, subqueries=bool(by_answers))
    rows = [ListRow(response=r) for r in responses]
    by_id = {row.response.id: row for row in rows}
    if by_id:
        term = filters.search.strip().lower()
        texts = db.session.execute(select(Answer.response_id, Answer.text).where(
            Answer.response_id.in_(by_id), Answer.question_id.in_(text_question_ids(survey)),
            Answer.text.is_not(None), Answer.text != "").order_by(Answer.id))
        for response_id, text in texts:
            row = by_id[response_id]
            if not row.snippet or (term and term in text.lower() and term not in row.snippet.lower()):
                row.snippet = snippet(text, term)
        _tag_rows(by_id, Answer.response_id, Answer.response_id.in_(by_id), themes)
    return ResultPage(rows=rows, total=total, page=page, per_page=per_page, more=more)


def answer_page(survey: Survey, question: Question, filters: Filters, page: int = 1, per_page: int = PER_PAGE,
                themes: dict[int, Theme] | None = None) -> ResultPage:
    """One page of a question's answers (every version's row for its key), filtered like the list."""
    themes = survey_themes(survey) if themes is None else themes
    walked = walk_coding(filters, themes)
    by_response = response_conditions(survey, filters, walked=walked)[1:]  # the question ids pick the survey
    of_question = Answer.question_id.in_(question_ids(survey, keys=[question.key]))
    conditions = [of_question, *answer_conditions(survey, filters, themes, walked=walked)]
    capped = len(conditions) > 1  # filters on the coding, flags or a search: see _one_page
    matching = select(Answer.id).where(*conditions, *by_response)
    counting = select(func.count()).select_from(Answer)
    if by_response:
        matching = matching.join(Response, Response.id == Answer.response_id)
        counting = counting.join(Response, Response.id == Answer.response_id)
    _serial_plans()
    if capped:
        total = _capped_count(matching, COUNT_CAP)
    else:
        total = kept_count(survey.id, counting.where(*conditions, *by_response), Answer.response_id)
        _serial_plans()
    more = capped and total > COUNT_CAP
    total = min(total, COUNT_CAP) if more else total
    if not more:
        page = max(1, min(page, -(-total // per_page) or 1))
    # Newest stored first: answer ids follow arrival, and the (question_id, id) index yields them in that order.
    results = db.session.execute(select(Answer, Response).join(Response, Response.id == Answer.response_id)
                                 .where(*conditions, *by_response).order_by(Answer.id.desc())
                                 .limit(per_page).offset((page - 1) * per_page)).all()
    if not results and page > 1:  # past the end of more than COUNT_CAP: count them all, once
        total = db.session.scalar(select(func.count()).select_from(matching.subquery())) or 0
        page = max(1, -(-total // per_page))
        more = False
        results = db.session.execute(select(Answer, Response).join(Response, Response.id == Answer.response_id)
                                     .where(*conditions, *by_response).order_by(Answer.id.desc())
                                     .limit(per_page).offset((page - 1) * per_page)).all()
    kind = kind_of(question)
    rows = [ListRow(response=response, answer=answer, snippet=answer.text or "",
                    lines=kind.summary(question, {"value": answer.value, "text": answer.text}))
            for answer, response in results]
    by_answer = {row.answer.id: row for row in rows}
    if by_answer:
        _tag_rows(by_answer, Answer.id, Answer.id.in_(by_answer), themes)
    return ResultPage(rows=rows, total=total, page=page, per_page=per_page, more=more)


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
        within, *open_flag()).distinct())
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

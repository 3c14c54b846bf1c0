"""Counts for a closed question under the list's filters, cross-tabulated by respondent type.

Two grouped queries (options by respondent type; people answering by respondent type); small cells
are then suppressed by `charts.suppress` before anything reaches a page.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, literal, select

from consult.extensions import db
from consult.responses import charts
from consult.responses.filters import Filters, question_ids, response_conditions
from consult.responses.models import Answer, AnswerOption, Response
from consult.surveys import local_authorities
from consult.surveys.kinds import AGREE_SCALE, kind_of
from consult.surveys.models import Question, Survey

NOT_GIVEN = "Not given"
ALL = "__all__"  # the single column when not cross-tabulating


@dataclass
class Figure:
    """One chartable set of options: the whole question, or one statement of a scale grid."""

    chart_id: str
    title: str
    labels: list[str]
    counts: list[charts.Cell]  # over all respondent types, suppressed
    answered: int
    type_labels: list[str]
    crosstab: charts.SuppressedTable | None
    svg: str


def _option_groups(question: Question, seen: set[str]) -> list[tuple[str, list[tuple[str, str]]]]:
    """(group title, [(stored value, label)]) in the survey's order; values no longer offered go last."""
    if question.kind == "scale_grid":
        return [(s["text"], [(f"{s['key']}:{value}", label) for value, label in AGREE_SCALE])
                for s in question.settings.get("statements", [])]
    if question.kind == "local_authority":
        names = local_authorities.by_slug()
        pairs = sorted(((v, names[v].name if v in names else v) for v in seen), key=lambda p: p[1])
    else:
        pairs = list(AGREE_SCALE) if question.kind == "agree_scale" else kind_of(question).options(question)
    known = {value for value, _label in pairs}
    return [(question.title, pairs + [(v, v) for v in sorted(seen - known)])]


def question_figures(survey: Survey, question: Question, filters: Filters, type_options: list[tuple[str, str]],
                     minimum: int, by_type: bool = False) -> list[Figure]:
    """Counts, percentages and an SVG chart for each option group; with `by_type`, also a suppressed
    cross-tabulation by respondent type (it reads every answer's response, so only on request)."""
    ids = question_ids(survey, keys=[question.key])
    by_response = response_conditions(survey, filters)[1:]  # the question ids already pick the survey
    type_column = [Response.respondent_type] if by_type else []

    joined = by_type or bool(by_response)

    def run(query, through_answer: bool = False):
        if joined:  # without filters or a table by type, the (question_id, value) index answers alone
            if through_answer:
                query = query.join(Answer, Answer.id == AnswerOption.answer_id)
            query = query.join(Response, Response.id == Answer.response_id).where(*by_response)
        return [(row[0] if by_type else ALL, *row[-2:]) for row in db.session.execute(query)]

    chosen = run(select(*type_column, AnswerOption.value, func.count()).select_from(AnswerOption)
                 .where(AnswerOption.question_id.in_(ids)).group_by(*type_column, AnswerOption.value),
                 through_answer=True)
    answering = {t: n for t, _t, n in run(select(*type_column, literal(ALL), func.count()).select_from(Answer)
                                          .where(Answer.question_id.in_(ids)).group_by(*type_column))}
    type_names = dict(type_options)
    present = {t for t, _v, _n in chosen} | set(answering)
    if by_type:
        types = [t for t, _label in type_options if t in present] + sorted(
            (t for t in present if t not in type_names), key=lambda t: (t is None, t or ""))
    else:
        types = [ALL]
    counts = {(t, v): n for t, v, n in chosen}
    figures = []
    for index, (title, pairs) in enumerate(_option_groups(question, {v for _t, v, _n in chosen})):
        matrix = [[counts.get((t, value), 0) for t in types] for value, _label in pairs]
        if question.kind == "scale_grid":  # one point per statement: people answering = the column sums
            answered = [sum(row[j] for row in matrix) for j in range(len(types))]
        else:
            answered = [answering.get(t, 0) for t in types]
        overall = charts.suppress([[sum(row)] for row in matrix], minimum, column_totals=[sum(answered)])
        labels = [label for _value, label in pairs]
        shown = [row[0] for row in overall.cells]
        chart_id = f"chart-{question.key}-{index}"
        figures.append(Figure(
            chart_id=chart_id, title=title, labels=labels, counts=shown, answered=sum(answered),
            type_labels=[type_names.get(t, t) if t is not None else NOT_GIVEN for t in types] if by_type else [],
            crosstab=charts.suppress(matrix, minimum, column_totals=answered) if by_type else None,
            svg=charts.bar_chart(chart_id, f"{title}: answers by option", list(zip(labels, shown)),
                                 total=sum(answered), minimum=minimum)))
    return figures

"""Counts for a closed question under the list's filters, cross-tabulated by respondent type.

Two grouped queries (options by respondent type; people answering by respondent type); small cells
are then suppressed by `charts.suppress` before anything reaches a page.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from consult.extensions import db
from consult.responses import charts
from consult.responses.browsing import Filters, question_ids, response_conditions
from consult.responses.models import Answer, AnswerOption, Response
from consult.surveys import local_authorities
from consult.surveys.kinds import AGREE_SCALE, kind_of
from consult.surveys.models import Question, Survey

NOT_GIVEN = "Not given"


@dataclass
class Figure:
    """One chartable set of options: the whole question, or one statement of a scale grid."""

    chart_id: str
    title: str
    labels: list[str]
    counts: list[charts.Cell]  # over all respondent types, suppressed
    answered: int
    type_labels: list[str]
    crosstab: charts.SuppressedTable
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
                     minimum: int) -> list[Figure]:
    """Counts, percentages, an SVG chart and a suppressed cross-tabulation for each option group."""
    ids = question_ids(survey, keys=[question.key])
    conditions = [*response_conditions(survey, filters)]
    chosen = db.session.execute(
        select(Response.respondent_type, AnswerOption.value, func.count())
        .select_from(AnswerOption).join(Answer, Answer.id == AnswerOption.answer_id)
        .join(Response, Response.id == Answer.response_id)
        .where(AnswerOption.question_id.in_(ids), *conditions)
        .group_by(Response.respondent_type, AnswerOption.value)).all()
    answering = dict(db.session.execute(
        select(Response.respondent_type, func.count()).select_from(Answer)
        .join(Response, Response.id == Answer.response_id)
        .where(Answer.question_id.in_(ids), *conditions).group_by(Response.respondent_type)).all())
    type_names = dict(type_options)
    present = {t for t, _v, _n in chosen} | set(answering)
    types = [t for t, _label in type_options if t in present] + sorted(
        (t for t in present if t not in type_names), key=lambda t: (t is None, t or ""))
    type_labels = [type_names.get(t, t) if t is not None else NOT_GIVEN for t in types]
    counts = {(t, v): n for t, v, n in chosen}
    figures = []
    for index, (title, pairs) in enumerate(_option_groups(question, {v for _t, v, _n in chosen})):
        matrix = [[counts.get((t, value), 0) for t in types] for value, _label in pairs]
        if question.kind == "scale_grid":  # one point per statement: people answering = the column sums
            by_type = [sum(row[j] for row in matrix) for j in range(len(types))]
        else:
            by_type = [answering.get(t, 0) for t in types]
        crosstab = charts.suppress(matrix, minimum, column_totals=by_type) if types else charts.suppress([], minimum)
        overall = charts.suppress([[sum(row)] for row in matrix], minimum, column_totals=[sum(by_type)])
        labels = [label for _value, label in pairs]
        shown = [row[0] for row in overall.cells]
        chart_id = f"chart-{question.key}-{index}"
        figures.append(Figure(
            chart_id=chart_id, title=title, labels=labels, counts=shown, answered=sum(by_type),
            type_labels=type_labels, crosstab=crosstab,
            svg=charts.bar_chart(chart_id, f"{title}: answers by option", list(zip(labels, shown)),
                                 total=sum(by_type), minimum=minimum)))
    return figures

"""A closed question's figures on its workspace page: people choosing each option under the list's filters
(consult.responses.counts), suppressed (analysis.suppression), with shares (analysis.shares) and a bar chart
(analysis.svg_charts), and on request a table by respondent type: the same rules the draft's figures use."""
from __future__ import annotations

from dataclasses import dataclass

from analysis.draft_figures import agreement_shares
from analysis.shares import percent
from analysis.suppression import SuppressedTable, suppress_table
from analysis.svg_charts import horizontal_bar_chart
from consult.responses.counts import ALL, kept_option_counts
from consult.surveys.kinds import kind_of
from consult.surveys.models import Question, Survey
from consult.surveys.services import question_ids, question_label
from consult.workspace.filters import Filters, response_conditions

NOT_GIVEN = "Not given"


@dataclass(frozen=True)
class Figure:
    """One chartable set of options: the whole question, or one statement of a scale grid."""

    chart_id: str
    title: str
    labels: list[str]
    counts: list[int | None]  # over all respondent types, suppressed
    percents: list[int | None]
    answered: int | None  # None when itself suppressed
    type_labels: list[str]
    crosstab: SuppressedTable | None
    svg: str
    agreement: tuple[int | None, int | None] | None = None  # agree scale: (agreed %, disagreed %) as drafts print


def question_figures(survey: Survey, question: Question, filters: Filters, type_options: list[tuple[str, str]],
                     minimum: int, by_type: bool = False) -> list[Figure]:
    """Counts, shares and an SVG chart for each option group; with `by_type`, also a suppressed
    cross-tabulation by respondent type (it reads every answer's response, so only on request)."""
    kind = kind_of(question)
    counted = kept_option_counts(survey.id, question_ids(survey, keys=[question.key]), by_type=by_type,
                                 where=response_conditions(survey, filters)[1:])  # the question ids pick the survey
    type_names = dict(type_options)
    present = counted.types()
    if by_type:
        types = [t for t, _label in type_options if t in present] + sorted(
            (t for t in present if t not in type_names), key=lambda t: (t is None, t or ""))
    else:
        types = [ALL]
    adds_up = kind.single_valued(question)
    figures = []
    groups = kind.option_groups(question, counted.values())
    for index, (title, pairs) in enumerate(groups):
        title = title if len(groups) > 1 else question_label(question)
        matrix = [[counted.chosen.get((t, value), 0) for t in types] for value, _label in pairs]
        if len(kind.option_groups(question)) > 1:  # grid statements: people answering = the column sums
            answered = [sum(row[j] for row in matrix) for j in range(len(types))]
        else:
            answered = [counted.answering.get(t, 0) for t in types]
        overall = suppress_table([[sum(row)] for row in matrix], minimum, column_totals=[sum(answered)],
                                 columns_add_up=adds_up)
        total = sum(answered)
        shown = [row[0] for row in overall.cells]
        percents = [None if c is None else percent(c, total) for c in shown]
        labels = [label for _value, label in pairs]
        chart_id = f"chart-{question.key}-{index}"
        rows = [{"label": label, "count": c, "percent": p, "suppressed": c is None}
                for label, c, p in zip(labels, shown, percents)]
        figures.append(Figure(
            chart_id=chart_id, title=title, labels=labels, counts=shown, percents=percents,
            answered=overall.column_totals[0] if overall.column_totals else total,
            type_labels=[type_names.get(t, t) if t is not None else NOT_GIVEN for t in types] if by_type else [],
            crosstab=suppress_table(matrix, minimum, row_totals=[sum(row) for row in matrix], column_totals=answered,
                                    grand_total=total, columns_add_up=adds_up) if by_type else None,
            svg=horizontal_bar_chart(rows, title=f"{title}: answers by option", chart_id=chart_id, min_cell=minimum),
            agreement=agreement_shares([sum(row) for row in matrix], minimum) if question.kind == "agree_scale" else None))
    return figures

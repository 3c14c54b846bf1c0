"""The coding's figures, as the codebook page and the draft both print them: answers per theme (final coding,
every answer) and respondents raising each theme by group (each organised campaign once). Counted by the
same pure functions the draft uses (analysis.draft_figures), from the final coding (consult.coding.final)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from analysis.draft_figures import answers_per_theme, theme_figures
from analysis.evidence import CodingFacts
from consult.auth.models import User
from consult.campaigns.services import campaign_stamp, current_campaigns
from consult.coding.agreement import summary as agreement_summary
from consult.coding.assignments import codable_question_ids
from consult.coding.final import FinalCoding, decided_final_coding
from consult.coding.models import CodeAssignment, Coder, SampleItem, Theme
from consult.extensions import db
from consult.responses.models import Answer, Response
from consult.surveys.figure_cache import cached
from consult.surveys.models import Survey
from consult.surveys.recount import Recount, kept_or_recounting, recounter
from consult.surveys.services import respondent_groups

CHUNK = 2000
COUNTS = "codebook_counts"  # the kept figure's name


@dataclass(frozen=True)
class CodedAnswer:
    answer_id: int
    response_id: int
    theme_ids: tuple[int, ...]


@dataclass(frozen=True)
class CodebookCounts:
    answers: dict[int, int]  # theme id -> answers whose final coding holds it


def coded_answers(survey: Survey, decided: dict[int, FinalCoding] | None = None) -> list[CodedAnswer]:
    """The survey's answers to codable questions whose final coding holds a theme, in answer order.
    `decided`: decided_final_coding(survey.id) when the caller has it already."""
    if decided is None:
        decided = decided_final_coding(survey.id)
    finals = {a: c.theme_ids for a, c in decided.items() if c.theme_ids}
    if not finals:
        return []
    codable = codable_question_ids(survey)
    if len(finals) <= 10 * CHUNK:
        ids = sorted(finals)
        found = []
        for start in range(0, len(ids), CHUNK):
            found += db.session.execute(select(Answer.id, Answer.response_id).where(
                Answer.id.in_(ids[start:start + CHUNK]), Answer.question_id.in_(codable))).all()
        return [CodedAnswer(a, r, tuple(finals[a])) for a, r in sorted(found)]
    # Many coded answers: one pass over the codable answers' ids instead of a query per CHUNK of them.
    rows = db.session.execute(select(Answer.id, Answer.response_id).where(Answer.question_id.in_(codable))
                              .order_by(Answer.id).execution_options(yield_per=50_000))
    return [CodedAnswer(a, r, tuple(finals[a])) for a, r in rows if a in finals]


def coded_answer_count(survey: Survey, decided: dict[int, FinalCoding] | None = None) -> int:
    """len(coded_answers(survey)), without making a record of each."""
    if decided is None:
        decided = decided_final_coding(survey.id)
    finals = {a for a, c in decided.items() if c.theme_ids}
    if len(finals) <= 10 * CHUNK:
        return len(coded_answers(survey, decided))
    ids = db.session.scalars(select(Answer.id).where(Answer.question_id.in_(codable_question_ids(survey)))
                             .execution_options(yield_per=100_000))
    return sum(1 for a in ids if a in finals)


def codebook_counts(survey: Survey) -> CodebookCounts:
    """Answers whose final coding holds each theme (a merged theme counts in the one it was merged into).
    Kept until the coding changes (consult.surveys.figure_cache)."""
    def count() -> dict[str, int]:
        return {str(t): n for t, n in answers_per_theme(answer.theme_ids for answer in coded_answers(survey)).items()}

    return _counts(cached(survey.id, COUNTS, count))


def _counts(kept: dict[str, int]) -> CodebookCounts:
    return CodebookCounts(answers={int(t): n for t, n in kept.items()})


def themes_by_group(survey: Survey, min_cell: int) -> dict:
    """The themes raised by the most respondents, by group, suppressed: analysis.draft_figures.theme_figures
    on the coded answers, each campaign counted once through its representative. Kept until the coding, the
    responses or their campaigns change (consult.surveys.figure_cache)."""
    name, depends = _by_group_key(survey, min_cell)
    return cached(survey.id, name, lambda: _themes_by_group(survey, min_cell), depends=depends)


def _by_group_key(survey: Survey, min_cell: int) -> tuple[str, str]:
    return f"themes_by_group:{min_cell}", campaign_stamp(survey.id)


@recounter("codebook")
def recount_codebook(survey: Survey, progress, min_cell: int) -> None:
    """The codebook page's figures, counted (and kept) by the functions the export and the draft use."""
    progress(0.05, "Counting answers per theme")
    codebook_counts(survey)
    progress(0.5, "Counting respondents raising each theme, by group")
    themes_by_group(survey, min_cell)


def codebook_page_figures(survey: Survey, min_cell: int) -> tuple[CodebookCounts | None, dict | None, Recount]:
    """The codebook page's figures as kept (None: not counted yet), and whether a job is counting them again:
    over a million answers counting takes minutes, which no page should wait for."""
    recount = kept_or_recounting(survey.id, "codebook", [(COUNTS, ""), _by_group_key(survey, min_cell)],
                                 {"min_cell": min_cell})
    counts, by_group = recount.values
    return (None if counts is None else _counts(counts)), by_group, recount


def _themes_by_group(survey: Survey, min_cell: int) -> dict:
    names = dict(db.session.execute(select(Theme.id, Theme.name).where(Theme.survey_id == survey.id)).all())
    answers = coded_answers(survey)
    left_out = {m for c in current_campaigns(survey) for m in c.members if m != c.representative}
    counted = [a for a in answers if a.response_id not in left_out]
    groups = respondent_groups(survey)
    types = dict(db.session.execute(select(Response.id, Response.respondent_type)
                                    .where(Response.survey_id == survey.id)).all()) if counted else {}
    return theme_figures([str(a.response_id) for a in counted], [tuple(names[t] for t in a.theme_ids) for a in counted],
                         {str(a.response_id): groups.get(types.get(a.response_id) or "", "others") for a in counted},
                         min_cell)


def coding_facts(survey: Survey, decided: dict[int, FinalCoding] | None = None) -> CodingFacts:
    """How the survey's answers were coded, for a report's methods chapter. `decided`:
    decided_final_coding(survey.id) when the caller has it already."""
    codable = codable_question_ids(survey)
    of_survey = Answer.question_id.in_(codable)
    people = set(db.session.scalars(select(CodeAssignment.coder_id).join(Coder, Coder.id == CodeAssignment.coder_id)
                                    .join(Answer, Answer.id == CodeAssignment.answer_id)
                                    .where(of_survey, Coder.kind == "person", CodeAssignment.status == "applied")
                                    .group_by(CodeAssignment.coder_id)))
    coders = len(people)
    double = db.session.scalar(select(func.count(func.distinct(SampleItem.answer_id)))
                               .join(Answer, Answer.id == SampleItem.answer_id).where(of_survey))
    by_status = dict(db.session.execute(
        select(CodeAssignment.status, func.count()).join(Coder, Coder.id == CodeAssignment.coder_id)
        .join(Answer, Answer.id == CodeAssignment.answer_id)
        .where(of_survey, Coder.kind == "machine").group_by(CodeAssignment.status)).all())
    roles = db.session.execute(
        select(User.role, func.count(Coder.id)).join(User, User.id == Coder.user_id)
        .where(Coder.id.in_(sorted(people))).group_by(User.role)).all() if people else []
    return CodingFacts(coders=coders or 0, coded_answers=coded_answer_count(survey, decided), double_coded=double or 0,
                       agreement=tuple(agreement_summary(survey)), machine_suggested=sum(by_status.values()),
                       machine_accepted=by_status.get("accepted", 0), machine_rejected=by_status.get("rejected", 0),
                       coder_roles=tuple(sorted(((role, n) for role, n in roles), key=lambda r: (-r[1], r[0]))))

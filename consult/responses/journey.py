"""Skip logic and page order: which pages and questions a respondent sees, given their answers so far,
where they carry on when they come back, and how far through they are."""
from __future__ import annotations

from collections.abc import Collection
from typing import Any

from consult.surveys.conditions import Answers, condition_met
from consult.surveys.frozen import FrozenVersion, deciding_answers, remembered
from consult.surveys.kinds import kind_of
from consult.surveys.models import Page, Question, SurveyVersion

__all__ = ["Answers", "condition_met", "visible_questions", "visible_pages", "page_at", "next_page",
           "previous_page", "first_incomplete_page", "resume_page", "progress", "submitted_answers"]


def visible_questions(page: Page, answers: Answers) -> list[Question]:
    if not condition_met(page.show_if, answers):
        return []
    return [q for q in page.questions if condition_met(q.show_if, answers)]


def visible_pages(version: SurveyVersion, answers: Answers) -> list[Page]:
    if isinstance(version, FrozenVersion):  # worked out once per set of deciding answers
        return list(remembered(version, ("visible_pages", deciding_answers(version, answers)),
                               lambda: tuple(page for page in version.pages if visible_questions(page, answers))))
    return [page for page in version.pages if visible_questions(page, answers)]


def page_at(version: SurveyVersion, position: int) -> Page | None:
    if 1 <= position <= len(version.pages):
        return version.pages[position - 1]
    return None


def next_page(version: SurveyVersion, answers: Answers, after: int) -> Page | None:
    return next((p for p in visible_pages(version, answers) if p.position > after), None)


def previous_page(version: SurveyVersion, answers: Answers, before: int) -> Page | None:
    earlier = [p for p in visible_pages(version, answers) if p.position < before]
    return earlier[-1] if earlier else None


def _needs_answer(question: Question, answers: Answers) -> bool:
    answer = answers.get(question.key)
    return (question.required and not answer) or kind_of(question).withdrawn(question, answer, answers)


def first_incomplete_page(version: SurveyVersion, answers: Answers, unsaved: Collection[int] = ()) -> Page | None:
    """The first visible page with a required question left unanswered, a choice the other answers no longer
    offer, or answers saved for later that did not pass its checks (`unsaved`: page positions)."""
    for page in visible_pages(version, answers):
        if page.position in unsaved or any(_needs_answer(q, answers) for q in visible_questions(page, answers)):
            return page
    return None


def resume_page(version: SurveyVersion, answers: Answers, last_page: int | None,
                unsaved: Collection[int] = ()) -> Page | None:
    """Where a returning respondent carries on: the page they last saved again while its answers did not pass
    its checks, else the page after it (None: check answers). Before any page was saved: the first page
    still to answer."""
    if last_page is None:
        return first_incomplete_page(version, answers, unsaved) or next_page(version, answers, 0)
    page = page_at(version, last_page)
    if page is not None and last_page in unsaved and visible_questions(page, answers):
        return page
    return next_page(version, answers, last_page)


def _possible_answers(question: Question) -> list[Any]:
    """Values an answer to a closed question can take: each option, or (choosing several) all of them."""
    kind = kind_of(question)
    values = [value for value, _label in kind.option_pairs(question)]
    if not kind.closed or not values:
        return []
    return values if kind.single_valued(question) else [values]


def progress(version: SurveyVersion, answers: Answers, position: int) -> tuple[int, int]:
    """(step, steps): the page's place among the pages the respondent will see. Where a question not yet
    answered decides which pages show, the answer showing the most pages is assumed, so the count of steps
    only falls as the respondent answers."""
    if isinstance(version, FrozenVersion):
        return remembered(version, ("progress", position, deciding_answers(version, answers)),
                          lambda: _progress(version, answers, position))
    return _progress(version, answers, position)


def _progress(version: SurveyVersion, answers: Answers, position: int) -> tuple[int, int]:
    questions = {q.key: q for page in version.pages for q in page.questions}
    deciding = dict.fromkeys(condition["question"] for page in version.pages
                             for condition in [page.show_if, *(q.show_if for q in page.questions)] if condition)
    assumed = dict(answers)
    for key in deciding:
        if assumed.get(key) or key not in questions:
            continue
        candidates = [{"value": value, "text": None} for value in _possible_answers(questions[key])]
        if candidates:
            assumed[key] = max(candidates, key=lambda answer: len(visible_pages(version, {**assumed, key: answer})))
    pages = visible_pages(version, assumed)
    step = next((i for i, p in enumerate(pages, start=1) if p.position == position), len(pages))
    return step, len(pages)


def submitted_answers(version: SurveyVersion, answers: Answers) -> dict[Question, dict[str, Any]]:
    """Answers to the questions the respondent can see; answers behind a changed branch are dropped."""
    return {q: answers[q.key] for page in visible_pages(version, answers)
            for q in visible_questions(page, answers) if answers.get(q.key)}

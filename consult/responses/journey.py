"""Skip logic and page order: which pages and questions a respondent sees, given their answers so far."""
from __future__ import annotations

from typing import Any

from consult.surveys.models import Page, Question, SurveyVersion

Answers = dict[str, dict[str, Any]]


def condition_met(condition: dict[str, Any] | None, answers: Answers) -> bool:
    """True when there is no condition, or the earlier answer it names matches."""
    if not condition:
        return True
    answer = answers.get(condition["question"])
    value = answer.get("value") if answer else None
    if "equals" in condition:
        return value == condition["equals"]
    if "in" in condition:
        return value in condition["in"]
    return isinstance(value, list) and condition["includes"] in value


def visible_questions(page: Page, answers: Answers) -> list[Question]:
    if not condition_met(page.show_if, answers):
        return []
    return [q for q in page.questions if condition_met(q.show_if, answers)]


def visible_pages(version: SurveyVersion, answers: Answers) -> list[Page]:
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


def first_incomplete_page(version: SurveyVersion, answers: Answers) -> Page | None:
    """The first visible page with a required question left unanswered."""
    for page in visible_pages(version, answers):
        if any(q.required and not answers.get(q.key) for q in visible_questions(page, answers)):
            return page
    return None


def submitted_answers(version: SurveyVersion, answers: Answers) -> dict[Question, dict[str, Any]]:
    """Answers to the questions the respondent can see; answers behind a changed branch are dropped."""
    return {q: answers[q.key] for page in visible_pages(version, answers)
            for q in visible_questions(page, answers) if answers.get(q.key)}

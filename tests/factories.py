"""Factory helpers: surveys and responses built in a line, for tests and benchmarks."""
from __future__ import annotations

import copy
from datetime import timedelta
from typing import Any

from consult.responses import services as responses
from consult.responses.submission import submit
from consult.responses.models import Response
from consult.surveys.models import Survey
from consult.surveys.services import load_definition
from consult.timeutil import utcnow

INTRODUCTION = {
    "purpose": "We want to know what you think.",
    "who_is_consulting": "The test team.",
    "time_to_complete": "About 5 minutes",
    "how_responses_are_used": "To test the software.",
    "privacy_notice": "We keep nothing you do not give us.",
}

# One page per question kind, with skip logic on `org_name` and `email`.
ALL_KINDS_PAGES: list[dict[str, Any]] = [
    {"section": "About you", "questions": [{"key": "capacity", "kind": "single_choice", "title": "How are you responding?",
     "required": True, "role": "capacity", "choices": [{"value": "individual", "label": "As an individual"},
                                                        {"value": "organisation", "label": "For an organisation"}]}]},
    {"show_if": {"question": "capacity", "equals": "organisation"},
     "questions": [{"key": "org_name", "kind": "short_text", "title": "What is your organisation called?", "required": True}]},
    {"questions": [{"key": "barriers", "kind": "multiple_choice", "title": "What gets in the way?",
                    "choices": [{"value": "scale", "label": "Contract scale"}, {"value": "price", "label": "Price competition"}],
                    "other": {"label": "Something else", "prompt": "Tell us what"}}]},
    {"section": "Your views", "questions": [{"key": "story", "kind": "long_text", "title": "Tell us more", "max_chars": 50}]},
    {"title": "Principle 1", "intro": "Think about the whole system.", "questions": [
        {"key": "p1", "kind": "agree_scale", "title": "How far do you agree?", "required": True},
        {"key": "p1_why", "kind": "long_text", "title": "Why?"}]},
    {"questions": [{"key": "grid", "kind": "scale_grid", "title": "How far do you agree with these?",
                    "statements": [{"key": "local", "text": "Local is better"}, {"key": "simple", "text": "Simple is better"}]}]},
    {"questions": [{"key": "staff", "kind": "number", "title": "How many staff?", "integer": True, "min": 0, "max": 100000}]},
    {"questions": [{"key": "area", "kind": "local_authority", "title": "Where do you live?"}]},
    {"questions": [{"key": "areas", "kind": "local_authority", "title": "Which areas do you serve?", "multiple": True}]},
    {"section": "Consent", "questions": [{"key": "publish", "kind": "consent", "purpose": "publication", "required": True,
     "title": "May we publish your response?", "choices": [{"value": "anonymous", "label": "Yes, anonymously"},
                                                            {"value": "not_published", "label": "No"}]}]},
    {"questions": [{"key": "contact", "kind": "consent", "purpose": "contact", "title": "May we contact you?",
                    "required": True, "choices": [{"value": "yes", "label": "Yes"}, {"value": "no", "label": "No"}]}]},
    {"questions": [{"key": "email", "kind": "email", "title": "What is your email address?", "required": True,
                    "show_if": {"question": "contact", "equals": "yes"}}]},
]


def survey_definition(slug: str = "test-survey", version: int = 1, pages: list | None = None,
                      opens_days: int = -1, closes_days: int = 30, **extra: Any) -> dict[str, Any]:
    now = utcnow()
    return {"slug": slug, "version": version, "title": f"Test consultation {slug}", "reference_prefix": "TST",
            "opens": (now + timedelta(days=opens_days)).isoformat() + "Z",
            "closes": (now + timedelta(days=closes_days)).isoformat() + "Z",
            "introduction": dict(INTRODUCTION), "what_happens_next": "We will read every response.",
            "pages": copy.deepcopy(pages if pages is not None else ALL_KINDS_PAGES), **extra}


def make_survey(slug: str = "test-survey", *, open_survey: bool = True, **kwargs: Any) -> Survey:
    return load_definition(survey_definition(slug, **kwargs), open_survey=open_survey).survey


def make_response(survey: Survey, answers: dict[str, dict[str, Any]] | None = None) -> Response:
    """A submitted web response with the given answers (keyed by question key)."""
    draft = responses.start_draft(survey)
    draft.answers = answers if answers is not None else {
        "capacity": {"value": "individual", "text": None}, "p1": {"value": "agree", "text": None},
        "publish": {"value": "anonymous", "text": None}, "contact": {"value": "no", "text": None}}
    return submit(draft, draft.submission_token)


PASSWORD = "correct horse battery staple"


def make_user(role: str = "researcher", email: str | None = None):
    """A staff account with the test password."""
    from consult.auth.models import Role
    from consult.auth.services import create_user

    return create_user(email or f"{role}@example.org", role.capitalize(), PASSWORD, Role(role))

"""The survey workspace's sub-navigation: one entry per staff page, shown when its view exists."""
from __future__ import annotations

from flask import Flask, current_app, request
from flask_login import current_user

ENTRIES = [
    ("workspace.overview", "Overview"),
    ("workspace.responses", "Responses"),
    ("workspace.questions", "Questions"),
    ("coding.codebook", "Codebook"),
    ("workspace.themes", "Find themes"),
    ("coding.code_next", "Code answers"),
    ("coding.suggestion_list", "Suggestions"),
    ("coding.agreement", "Agreement"),
    ("intake.import_responses", "Import"),
    ("intake.workshops", "Workshop notes"),
    ("workshops.events", "Workshops"),
    ("intake.export", "Export"),
    ("principles.drafts", "Principles"),
    ("publishing.publish", "Publish"),
]


def _allowed(endpoint: str) -> bool:
    required = getattr(current_app.view_functions[endpoint], "required_role", None)
    return required is None or (current_user.is_authenticated and current_user.has_role(required))


def survey_nav() -> list[tuple[str, str, bool]]:
    """(endpoint, label, current) for the workspace pages that exist and that the signed-in user may open."""
    return [(endpoint, label, request.endpoint == endpoint) for endpoint, label in ENTRIES
            if endpoint in current_app.view_functions and _allowed(endpoint)]


def init_app(app: Flask) -> None:
    app.jinja_env.globals["survey_nav"] = survey_nav

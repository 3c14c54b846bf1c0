"""The survey workspace's sub-navigation: one entry per staff page, shown when its view exists."""
from __future__ import annotations

from flask import Flask, current_app, request

ENTRIES = [
    ("workspace.overview", "Overview"),
    ("workspace.responses", "Responses"),
    ("workspace.questions", "Questions"),
    ("coding.codebook", "Codebook"),
    ("coding.code_next", "Code answers"),
    ("coding.agreement", "Agreement"),
    ("intake.import_responses", "Import"),
    ("intake.workshops", "Workshop notes"),
    ("intake.export", "Export"),
    ("principles.drafts", "Principles"),
]


def survey_nav() -> list[tuple[str, str, bool]]:
    """(endpoint, label, current) for the registered workspace pages."""
    return [(endpoint, label, request.endpoint == endpoint) for endpoint, label in ENTRIES
            if endpoint in current_app.view_functions]


def init_app(app: Flask) -> None:
    app.jinja_env.globals["survey_nav"] = survey_nav

"""Pages that belong to one survey (/s/<slug>/... for respondents, /workspace/<slug>/... for staff).

A survey blueprint takes the slug out of the URL once; `current_survey()` loads the survey on first use in
the request (after the view's role check, so a signed-out visitor is sent to sign in rather than told
whether a survey exists) and keeps it for the rest of the request. Links made with url_for inside the
request keep the slug without being told it.
"""
from __future__ import annotations

from flask import Blueprint, abort, current_app, g

from consult.surveys.models import Survey
from consult.surveys.services import get_survey


def survey_blueprint(name: str, import_name: str, url_prefix: str, *, public: bool = False) -> Blueprint:
    """A blueprint whose URL prefix holds <slug>. `public`: a survey still in draft is not found."""
    if "<slug>" not in url_prefix:
        raise ValueError("a survey blueprint's url_prefix must hold <slug>")
    bp = Blueprint(name, import_name, url_prefix=url_prefix)

    @bp.url_value_preprocessor
    def take_slug(_endpoint, values) -> None:
        g.survey_slug = values.pop("slug")
        g.survey_public = public

    return bp


def survey_or_404(slug: str, *, public: bool = False) -> Survey:
    """The survey with this slug; 404 if there is none (or, for `public`, if it is still a draft)."""
    survey = get_survey(slug)
    if survey is None or (public and survey.status() == "draft"):
        abort(404)
    return survey


def current_survey() -> Survey:
    """The survey named in this request's URL, loaded once per request."""
    if "survey" not in g:
        g.survey = survey_or_404(g.survey_slug, public=g.get("survey_public", False))
    return g.survey


def keep_slug(endpoint: str, values: dict) -> None:
    """url_for inside a survey's page fills in its slug wherever the target route takes one."""
    slug = g.get("survey_slug")
    if slug and "slug" not in values and current_app.url_map.is_endpoint_expecting(endpoint, "slug"):
        values["slug"] = slug

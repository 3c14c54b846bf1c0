"""The consultation's outcome for everyone, without signing in ("We asked, you said, we did"): the published
version as a web page and a PDF, with the date it was published, and the responses a moderator published.
Nothing else is reachable here: with nothing published, every page is not found."""
from __future__ import annotations

from flask import abort, current_app, render_template, request, url_for

from consult.i18n import public_blueprint
from consult.numbers import arg_int
from consult.principles import publication
from consult.surveys.scoped import current_survey, survey_blueprint

bp = public_blueprint(survey_blueprint("outcome", __name__, "/s/<slug>/outcome", public=True))


@bp.app_context_processor
def outcome_link() -> dict:
    """`published_outcome(survey)` for the survey's own pages: the outcome's address once one is published."""
    def published_outcome(survey) -> str | None:
        if survey is None or publication.publication_of(survey) is None:
            return None
        return url_for("outcome.show", slug=survey.slug)

    return {"published_outcome": published_outcome}


def _published():
    survey = current_survey()
    current = publication.publication_of(survey) or abort(404)
    draft = publication.published_draft(survey) or abort(404)
    return survey, current, draft


def _updating(survey):
    return render_template("outcome/updating.html", survey=survey), 503, {"Retry-After": "30"}


@bp.get("/")
def show():
    survey, current, draft = _published()
    if draft.rerendering:
        return _updating(survey)
    return render_template("outcome/show.html", survey=survey, current=current, draft=draft,
                           outcome=publication.outcome_summary(draft), pdf_size=len(draft.pdf),
                           responses=publication.any_published_responses(survey))


@bp.get("/report")
def report():
    survey, _current, draft = _published()
    if draft.rerendering:
        return _updating(survey)
    return current_app.response_class(draft.html, mimetype="text/html")


@bp.get("/report.pdf")
def report_pdf():
    survey, _current, draft = _published()
    if draft.rerendering:
        return _updating(survey)
    return current_app.response_class(draft.pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{survey.slug}-outcome.pdf"'})


@bp.get("/responses")
def responses():
    survey = current_survey()
    page = arg_int("page", 1, maximum=100_000)
    found, more = publication.published_responses(survey, page)
    if not found:
        abort(404)
    return render_template("outcome/responses.html", survey=survey, found=found, more=more, page=page,
                           outcome=publication.publication_of(survey))

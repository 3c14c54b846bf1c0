"""Survey lists and start pages: the public list of consultations, each one's start page, and the staff
list of surveys that opens the workspace."""
from __future__ import annotations

from flask import Blueprint, current_app, g, redirect, render_template, session, url_for

from consult.auth.models import Role
from consult.auth.roles import require
from consult.i18n import current_language, public_page
from consult.surveys.blank_pages import blank_page, cacheable_address
from consult.surveys import services
from consult.surveys.languages import definition_in
from consult.surveys.forms import StartForm
from consult.surveys.frozen import current
from consult.surveys.scoped import survey_or_404

bp = Blueprint("surveys", __name__)


@bp.get("/")
@public_page
def index():
    surveys = [s for s in services.list_surveys() if s.status() != "draft"]
    if len(surveys) == 1:
        return redirect(url_for("surveys.start", slug=surveys[0].slug))
    return render_template("surveys/index.html", surveys=surveys)


@bp.get("/s/<slug>/")
@public_page
def start(slug: str):
    """The start page, from the copy kept per process for everything it shows (see blank_pages.py): the survey's
    version and language, its state and dates as read now, and whether an outcome is published."""
    survey = g.survey = survey_or_404(slug, public=True)  # where the page's languages are read from
    version, status = current(survey), survey.status()

    def render(**context) -> str:
        text = definition_in(version)
        return render_template("surveys/start.html", survey=survey, intro=text["introduction"], status=status,
                               form=StartForm(meta={"csrf": False}),  # the template writes the token
                               translation=(text.get("translations") or {}).get(current_language()), **context)

    if "_flashes" in session or not cacheable_address():
        return render()
    key = ("start", current_language(), survey.id, status, survey.state, survey.opens_at, survey.closes_at,
           survey.closed_at, published_outcome(survey))
    return blank_page(version, key, render)


@bp.get("/workspace/")
@require(Role.STAFF)
def workspace():
    """Every survey, each linking to its workspace."""
    return render_template("surveys/workspace.html", surveys=services.list_surveys())


def published_outcome(survey) -> str | None:
    """The outcome's address the start page links to, as its template reads it: from the `published_outcome`
    that a downstream package (principles) gives every template, which this package must not import."""
    context: dict = {}
    current_app.update_template_context(context)
    find = context.get("published_outcome")
    return find(survey) if find else None

"""Survey lists and start pages: the public list of consultations, each one's start page, and the staff
list of surveys that opens the workspace."""
from __future__ import annotations

from flask import Blueprint, g, redirect, render_template, url_for

from consult.auth.models import Role
from consult.auth.roles import require
from consult.i18n import current_language, public_page
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
    survey = g.survey = survey_or_404(slug, public=True)  # where the page's languages are read from
    text = definition_in(current(survey))
    return render_template("surveys/start.html", survey=survey, intro=text["introduction"],
                           status=survey.status(), form=StartForm(),
                           translation=(text.get("translations") or {}).get(current_language()))


@bp.get("/workspace/")
@require(Role.STAFF)
def workspace():
    """Every survey, each linking to its workspace."""
    return render_template("surveys/workspace.html", surveys=services.list_surveys())

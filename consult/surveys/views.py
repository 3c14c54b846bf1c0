"""Public survey pages: the list of consultations and each one's start page."""
from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, url_for

from consult.responses.forms import StartForm
from consult.surveys import services
from consult.surveys.models import Survey

bp = Blueprint("surveys", __name__)


def public_survey(slug: str) -> Survey:
    survey = services.get_survey(slug)
    if survey is None or survey.status() == "draft":
        abort(404)
    return survey


@bp.get("/")
def index():
    surveys = [s for s in services.list_surveys() if s.status() != "draft"]
    if len(surveys) == 1:
        return redirect(url_for("surveys.start", slug=surveys[0].slug))
    return render_template("surveys/index.html", surveys=surveys)


@bp.get("/s/<slug>/")
def start(slug: str):
    survey = public_survey(slug)
    return render_template("surveys/start.html", survey=survey, intro=survey.current_version.definition["introduction"],
                           status=survey.status(), form=StartForm())

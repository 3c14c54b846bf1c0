"""Staff pages for a survey's evidence: the overview (more pages join this blueprint)."""
from __future__ import annotations

from flask import Blueprint, abort, render_template
from sqlalchemy import func, select

from consult.auth.models import Role
from consult.auth.roles import require
from consult.extensions import db
from consult.responses.models import Draft, Response
from consult.surveys import services as surveys
from consult.surveys.models import Survey, SurveyVersion

bp = Blueprint("workspace", __name__, url_prefix="/workspace/<slug>")


def staff_survey(slug: str) -> Survey:
    return surveys.get_survey(slug) or abort(404)


@bp.get("/")
@require(Role.STAFF)
def overview(slug: str):
    survey = staff_survey(slug)
    by_channel = dict(db.session.execute(
        select(Response.channel, func.count()).where(Response.survey_id == survey.id).group_by(Response.channel)).all())
    by_type = db.session.execute(
        select(Response.respondent_type, func.count()).where(Response.survey_id == survey.id)
        .group_by(Response.respondent_type).order_by(func.count().desc())).all()
    drafts = db.session.scalar(select(func.count()).select_from(Draft).join(SurveyVersion)
                               .where(SurveyVersion.survey_id == survey.id))
    return render_template("workspace/overview.html", survey=survey, by_channel=by_channel, by_type=by_type,
                           total=sum(by_channel.values()), drafts=drafts)

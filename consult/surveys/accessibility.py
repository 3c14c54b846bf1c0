"""The accessibility statement public-sector websites must publish, after GOV.UK's model statement: what is
accessible and what is not, how to ask for another format, how to complain, and when it was tested.

Its facts come from the survey definition's `accessibility` settings (on a survey's pages), else from the
ACCESSIBILITY_* settings, else from defaults that claim no more than the software's automated checks show.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask import Blueprint, current_app, render_template

from consult.i18n import public_blueprint
from consult.surveys.languages import definition_in
from consult.surveys.scoped import survey_or_404

bp = public_blueprint(Blueprint("accessibility", __name__))


@dataclass(frozen=True)
class Statement:
    organisation: str
    email: str | None
    phone: str | None
    reply_days: int
    compliance: str  # "full" or "partial"
    known_issues: list[str] = field(default_factory=list)
    prepared_on: date | None = None
    reviewed_on: date | None = None
    tested_on: date | None = None
    tested_by: str | None = None


def _date(value) -> date | None:
    if isinstance(value, date) or value is None:
        return value
    return date.fromisoformat(str(value)) if str(value).strip() else None


def statement_of(survey=None) -> Statement:
    """The statement's facts for a survey's pages (its definition's settings first) or the site's."""
    config = current_app.config
    settings = dict(definition_in(survey.current_version).get("accessibility") or {}) if survey else {}
    return Statement(
        organisation=settings.get("organisation") or config["ACCESSIBILITY_ORGANISATION"],
        email=settings.get("email") or config["ACCESSIBILITY_EMAIL"] or None,
        phone=settings.get("phone") or config["ACCESSIBILITY_PHONE"] or None,
        reply_days=int(settings.get("reply_days") or config["ACCESSIBILITY_REPLY_DAYS"]),
        compliance=settings.get("compliance") or config["ACCESSIBILITY_COMPLIANCE"],
        known_issues=list(settings.get("known_issues") or []),
        prepared_on=_date(settings.get("prepared_on") or config["ACCESSIBILITY_PREPARED_ON"]),
        reviewed_on=_date(settings.get("reviewed_on")),
        tested_on=_date(settings.get("tested_on") or config["ACCESSIBILITY_TESTED_ON"]),
        tested_by=settings.get("tested_by") or config["ACCESSIBILITY_TESTED_BY"] or None)


@bp.get("/accessibility")
def statement():
    return render_template("accessibility/statement.html", statement=statement_of())


@bp.get("/s/<slug>/accessibility")
def survey_statement(slug: str):
    survey = survey_or_404(slug, public=True)
    return render_template("accessibility/statement.html", statement=statement_of(survey), survey=survey)

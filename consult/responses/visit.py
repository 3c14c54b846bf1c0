"""A respondent's visit: the journey's blueprint, and the drafts, codes and receipts their session cookie holds.

The journey's views (consult/responses/views.py, consult/responses/resume_views.py) share these.
"""
from __future__ import annotations

from datetime import date

from flask import current_app, flash, g, redirect, render_template, request, session, url_for

from consult.extensions import limiter
from consult.i18n import gettext as _
from consult.i18n import public_blueprint
from consult.responses import journey, resume_codes, rows, services
from consult.responses.models import Draft
from consult.responses.rows import DraftRow, SurveyRow
from consult.surveys.frozen import frozen_version
from consult.surveys.models import Survey
from consult.surveys.scoped import current_survey, survey_blueprint

bp = public_blueprint(survey_blueprint("responses", __name__, "/s/<slug>", public=True))
public_post_limit = limiter.limit(lambda: current_app.config["RATELIMIT_PUBLIC_POST"], methods=["POST"])


@bp.before_request
def _renew_daily() -> None:
    """Keep a respondent's cookie for PERMANENT_SESSION_LIFETIME after the last day they answered: it is signed
    again once a day (SESSION_REFRESH_EACH_REQUEST is off, so a page that changes nothing sends no cookie)."""
    if session.permanent and session.get("day") != (today := date.today().toordinal()):
        session["day"] = today


@bp.errorhandler(services.SaveFailed)
def save_failed(_error):
    return render_template("responses/save_failed.html", survey=current_survey()), 503


def closed(survey: Survey):
    return render_template("responses/closed.html", survey=survey, status=survey.status()), 403


def draft_of(survey: Survey) -> Draft | None:
    """This browser's draft of the survey, if it has one that has not expired."""
    return services.find_draft(survey, session.get("drafts", {}).get(survey.slug))


def remember(survey: Survey, draft: Draft) -> None:
    session.permanent = True
    session["drafts"] = {**session.get("drafts", {}), survey.slug: draft.token}


def forget(survey: Survey) -> None:
    session["drafts"] = {k: v for k, v in session.get("drafts", {}).items() if k != survey.slug}


def no_draft(survey: Survey):
    sent = session.get("sent", {}).get(survey.slug)
    if sent:  # back to a page of a response this browser already sent
        return render_template("responses/sent.html", survey=survey, reference=sent)
    flash(_("We could not find your answers. Start again, or use your resume code if you saved them."), "info")
    return redirect(url_for("surveys.start", slug=survey.slug))


def carry_on(draft: Draft):
    """Redirect to where the respondent left off: see journey.resume_page."""
    target = journey.resume_page(frozen_version(draft.version_id), draft.answers, draft.last_page,
                                 draft.unsaved_pages())
    return redirect(url_for(".page", number=target.position) if target else url_for(".check"))


def open_draft():
    """(survey, draft, None) while the respondent can carry on; else (survey, None, the page to show instead)."""
    slug = g.survey_slug
    # Survey and draft in one query (current_survey() then finds the survey loaded); else one by one.
    found = None if "survey" in g else services.find_survey_and_draft(slug, session.get("drafts", {}).get(slug))
    if found is not None and found[0].status() != "draft":
        g.survey = found[0]
    survey = current_survey()
    if not survey.accepting():
        return survey, None, closed(survey)
    draft = found[1] if found is not None and found[0] is survey else draft_of(survey)
    return survey, draft, (no_draft(survey) if draft is None else None)


def open_page_draft():
    """`open_draft()` for a question page: (survey, draft, None) while the respondent can carry on, the survey
    and draft as plain values (consult/responses/rows.py) when found together; else (survey, None, the page to
    show instead). The page's language is read from the survey found (`g.survey_row`)."""
    slug = g.survey_slug
    found = None if "survey" in g else rows.find_page_visit(slug, session.get("drafts", {}).get(slug),
                                                            writing=request.method != "GET")
    if found is None or found[0].status() == "draft":  # not found together (or not public): as open_draft
        survey = current_survey()
        if not survey.accepting():
            return survey, None, closed(survey)
        draft = draft_of(survey)
        return survey, draft, (no_draft(survey) if draft is None else None)
    survey, draft = found
    g.survey_row = survey
    if not survey.accepting():
        return survey, None, closed(current_survey())
    return survey, draft, None


def issue_code(survey: Survey | SurveyRow, draft: Draft | DraftRow) -> None:
    # Kept in the respondent's own cookie so a refresh shows the same code; only its hash is stored.
    code = resume_codes.issue_resume_code(rows.stored_draft(draft))
    session["resume_codes"] = {**session.get("resume_codes", {}), survey.slug: code}

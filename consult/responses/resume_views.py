"""Leaving and coming back: save for later (and email the resume code), and resume with the code."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for

from consult.i18n import current_language
from consult.i18n import gettext as _
from consult.mail import services as mail
from consult.responses import journey, resume_codes, services
from consult.responses.forms import EmailCodeForm, ResumeForm, SaveForm
from consult.responses.models import Draft
from consult.responses.visit import bp, carry_on, closed, issue_code, open_draft, public_post_limit, remember
from consult.surveys.frozen import frozen_version
from consult.surveys.models import Survey
from consult.surveys.scoped import current_survey


@bp.route("/save", methods=["GET", "POST"])
@public_post_limit
def save():
    survey, draft, instead = open_draft()
    if instead is not None:
        return instead
    form = SaveForm()
    failed = False
    if form.validate_on_submit():
        try:
            version = frozen_version(draft.version_id)
            if form.at_check.data and not journey.first_incomplete_page(version, draft.answers,
                                                                        draft.unsaved_pages()):
                services.save_position(draft, len(version.pages))  # nothing after it: check answers
            issue_code(survey, draft)
        except services.SaveFailed:
            failed = True
        else:
            return redirect(url_for(".save"), code=303)
    return _show_saved(survey, draft, form, failed=failed), (503 if failed else 200)


def _show_saved(survey: Survey, draft: Draft, form, failed: bool = False, email_form=None):
    return render_template("responses/saved.html", survey=survey, form=form, expires=draft.expires_at,
                           code=None if failed else session.get("resume_codes", {}).get(survey.slug),
                           save_failed=failed, unchecked=bool(draft.unsaved),
                           resume_url=url_for(".resume", _external=True),
                           email_form=(email_form or EmailCodeForm()) if mail.enabled() else None)


@bp.post("/save/email")
@public_post_limit
def email_code():
    """Send the resume code shown on the saved page to an address the respondent gives for it."""
    survey, draft, instead = open_draft()
    if instead is not None:
        return instead
    code = session.get("resume_codes", {}).get(survey.slug)
    if not mail.enabled() or code is None:
        return redirect(url_for(".save"))
    form = EmailCodeForm()
    if not form.validate_on_submit():
        return _show_saved(survey, draft, SaveForm(), email_form=form), 400
    try:
        resume_codes.email_resume_code(draft, code, form.email.data, language=current_language(),
                                   resume_url=url_for(".resume", _external=True))
    except services.SaveFailed:
        return _show_saved(survey, draft, SaveForm(), failed=True), 503
    flash(_("We are sending your resume code to the email address you gave. Check your inbox, and your spam "
            "folder, in the next few minutes."), "success")
    return redirect(url_for(".save"), code=303)


@bp.route("/resume", methods=["GET", "POST"])
@public_post_limit
def resume():
    survey = current_survey()
    if not survey.accepting():
        return closed(survey)
    form = ResumeForm()
    if form.validate_on_submit():
        draft = resume_codes.resume(survey, form.code.data)
        if draft is not None:
            remember(survey, draft)
            flash(_("Welcome back. Your answers have been restored."), "success")
            return carry_on(draft)
        form.code.errors.append(_("That code does not match saved answers, or they have expired. "
                                  "Check the code, or start again."))
    status = 400 if request.method == "POST" else 200
    return render_template("responses/resume.html", survey=survey, form=form), status

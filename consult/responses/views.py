"""The respondent journey: question pages, check answers, submit, confirmation, save and resume."""
from __future__ import annotations

from datetime import date

from flask import (
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from consult.extensions import limiter
from consult.i18n import current_language, public_blueprint
from consult.i18n import gettext as _
from consult.mail import services as mail
from consult.responses import emails as _emails  # noqa: F401  (the composers of respondents' emails)
from consult.responses import journey, receipts, services
from consult.responses.blank_pages import blank_page, cacheable_address
from consult.responses.forms import (
    EmailCodeForm,
    ResumeForm,
    SaveForm,
    SubmitForm,
    page_answers,
    page_form,
    shown,
    typed_values,
)
from consult.responses.models import Draft
from consult.surveys.forms import StartForm
from consult.surveys.frozen import current, frozen_version, remembered
from consult.surveys.languages import definition_in, page_in, question_in
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


def _closed(survey: Survey):
    return render_template("responses/closed.html", survey=survey, status=survey.status()), 403


def _draft(survey: Survey) -> Draft | None:
    return services.find_draft(survey, session.get("drafts", {}).get(survey.slug))


def _remember(survey: Survey, draft: Draft) -> None:
    session.permanent = True
    session["drafts"] = {**session.get("drafts", {}), survey.slug: draft.token}


def _forget(survey: Survey) -> None:
    session["drafts"] = {k: v for k, v in session.get("drafts", {}).items() if k != survey.slug}


def _no_draft(survey: Survey):
    sent = session.get("sent", {}).get(survey.slug)
    if sent:  # back to a page of a response this browser already sent
        return render_template("responses/sent.html", survey=survey, reference=sent)
    flash(_("We could not find your answers. Start again, or use your resume code if you saved them."), "info")
    return redirect(url_for("surveys.start", slug=survey.slug))


def _carry_on(draft: Draft):
    """Redirect to where the respondent left off: see journey.resume_page."""
    target = journey.resume_page(frozen_version(draft.version_id), draft.answers, draft.last_page,
                                 draft.unsaved_pages())
    return redirect(url_for(".page", number=target.position) if target else url_for(".check"))


@bp.errorhandler(services.SaveFailed)
def save_failed(_error):
    return render_template("responses/save_failed.html", survey=current_survey()), 503


def _open_draft():
    """(survey, draft, None) while the respondent can carry on; else (survey, None, the page to show instead)."""
    slug = g.survey_slug
    # Survey and draft in one query (current_survey() then finds the survey loaded); else one by one.
    found = None if "survey" in g else services.find_survey_and_draft(slug, session.get("drafts", {}).get(slug))
    if found is not None and found[0].status() != "draft":
        g.survey = found[0]
    survey = current_survey()
    if not survey.accepting():
        return survey, None, _closed(survey)
    draft = found[1] if found is not None and found[0] is survey else _draft(survey)
    return survey, draft, (_no_draft(survey) if draft is None else None)


@bp.post("/start")
@public_post_limit
def start():
    survey = current_survey()
    if not survey.accepting():
        return _closed(survey)
    form = StartForm()
    if not form.validate_on_submit() or form.is_bot():
        abort(400)
    draft = _draft(survey)
    if draft is None:
        services.purge_expired_drafts()
        draft = services.start_draft(survey)
        _remember(survey, draft)
    return _carry_on(draft)


@bp.route("/page/<int:number>", methods=["GET", "POST"])
@public_post_limit
def page(number: int):
    survey, draft, instead = _open_draft()
    if instead is not None:
        return instead
    version, answers = frozen_version(draft.version_id), draft.answers
    page = journey.page_at(version, number)
    if page is None:
        abort(404)
    questions = journey.visible_questions(page, answers)
    if not questions:  # skip logic hides this page: move on to the next one that shows
        following = journey.next_page(version, answers, number)
        return redirect(url_for(".page", number=following.position) if following
                        else url_for(".check"))
    returning = request.args.get("return") == "check"
    if request.method == "GET":
        typed = (draft.unsaved or {}).get(str(number))  # saved for later without passing its checks
        if typed is None and not any(answers.get(q.key) for q in questions) and "_flashes" not in session \
                and cacheable_address():
            return _show_blank_page(survey, draft, page, questions, returning)
        form = page_form(questions, answers, typed=typed) if typed is not None else page_form(questions, answers)
        return _show_page(survey, draft, page, questions, form, returning)
    form = page_form(questions, answers, formdata=request.form)
    saving = request.form.get("action") == "save"
    valid = form.validate()
    if not valid and not saving:
        return _show_page(survey, draft, page, questions, form, returning), 400
    try:
        if valid:
            answers = services.save_page(draft, page, page_answers(questions, form))
        else:
            services.save_unchecked(draft, page, typed_values(form, request.form))
        if saving:
            _issue_code(survey, draft)
    except services.SaveFailed:
        return _show_page(survey, draft, page, questions, form, returning, save_failed=True), 503
    if saving:
        return redirect(url_for(".save"), code=303)
    if returning:
        pending = journey.first_incomplete_page(version, draft.answers, draft.unsaved_pages())
        if pending is None:
            return redirect(url_for(".check"))
        return redirect(url_for(".page", number=pending.position, **{"return": "check"}))
    following = journey.next_page(version, answers, number)  # as saved: the commit expired the draft row
    return redirect(url_for(".page", number=following.position) if following else url_for(".check"))


def _show_page(survey: Survey, draft: Draft, page, questions, form, returning: bool, save_failed: bool = False,
               **context):
    version, answers = frozen_version(draft.version_id), draft.answers
    previous = journey.previous_page(version, answers, page.position)
    back = (url_for(".check") if returning else
            url_for(".page", number=previous.position) if previous else
            url_for("surveys.start"))
    step, steps = journey.progress(version, answers, page.position)
    return render_template("responses/page.html", survey=survey, page=page_in(page),
                           questions=[question_in(q) for q in questions], form=form,
                           back=back, returning=returning, step=step, steps=steps, save_failed=save_failed,
                           **context)


def _show_blank_page(survey: Survey, draft: Draft, page, questions, returning: bool):
    """A page none of whose questions is answered yet, from the copy kept for everyone who sees it so (see
    consult/responses/blank_pages.py): what the page shows depends on the answers only through the questions and
    choices they show, "Back" and the progress, which the key names."""
    version, answers = frozen_version(draft.version_id), draft.answers
    previous = journey.previous_page(version, answers, page.position)
    key = (current_language(), survey.id, survey.current_version_id, page.position, shown(questions, answers),
           previous.position if previous else None, journey.progress(version, answers, page.position), returning)
    return blank_page(version, key, lambda **context: _show_page(
        survey, draft, page, questions, page_form(questions, answers), returning, **context))


@bp.get("/check")
def check():
    survey, draft, instead = _open_draft()
    if instead is not None:
        return instead
    pending = journey.first_incomplete_page(frozen_version(draft.version_id), draft.answers, draft.unsaved_pages())
    if pending is not None:
        flash(_("Answer the remaining required questions, and correct any answers marked as wrong, before you "
                "check your answers."), "info")
        return redirect(url_for(".page", number=pending.position))
    return _show_check(survey, draft)


def _show_check(survey: Survey, draft: Draft, save_failed: bool = False, form: SubmitForm | None = None):
    form = form or SubmitForm(data={"submission_token": draft.submission_token})
    # The browser shown this page is the one that may submit it, and see the receipt even if it clicks twice.
    session["submitting"] = {**session.get("submitting", {}), survey.slug: draft.submission_token}
    version = frozen_version(draft.version_id)
    return render_template("responses/check.html", survey=survey, form=form, save_failed=save_failed,
                           rows=services.answer_lines(version, draft.answers), change_links=_change_links(version),
                           email=mail.enabled())


def _change_links(version) -> dict[int, str]:
    """Each page's "Change" link on check answers: the same for every respondent to the version at this address."""
    return remembered(version, ("change links", request.script_root, g.survey_slug), lambda: {
        page.position: url_for(".page", number=page.position, **{"return": "check"}) for page in version.pages})


def _sent_from_here(survey: Survey, token: str, reference: str) -> bool:
    """Whether this browser sent the response stored under `token`: it was shown the check page with that token
    (a second click still carries it), or it already holds the receipt."""
    return session.get("submitting", {}).get(survey.slug) == token or reference in session.get("receipts", [])


@bp.post("/submit")
@public_post_limit
def submit():
    survey = current_survey()
    form = SubmitForm()
    if not form.validate_on_submit() and form.only_email_wrong() and (draft := _draft(survey)) is not None:
        return _show_check(survey, draft, form=form), 400
    if not form.validate_on_submit() or form.is_bot():
        abort(400)
    token = form.submission_token.data
    copy_to = (form.email_copy.data or None) if mail.enabled() else None
    response = services.response_for_token(token)  # a doubled or replayed submit
    if response is None:
        if not survey.accepting():
            return _closed(survey)
        draft = _draft(survey)
        if draft is None:  # a concurrent click may have just submitted it
            response = services.response_for_token(token)
            if response is None:
                return _no_draft(survey)
            if not _sent_from_here(survey, token, response.reference):
                return _no_draft(survey)
        elif token != draft.submission_token or journey.first_incomplete_page(
                frozen_version(draft.version_id), draft.answers, draft.unsaved_pages()):
            return redirect(url_for(".check"))
        else:
            try:
                response = services.submit(draft, token, language=current_language(), copy_to=copy_to)
                if copy_to:
                    session["emailed"] = [*session.get("emailed", [])[-19:], response.reference]
            except services.SaveFailed:
                return _show_check(survey, draft, save_failed=True), 503
    elif not _sent_from_here(survey, token, response.reference):
        return _no_draft(survey)  # a token replayed from another browser opens nobody's receipt
    if response.survey_id != survey.id:
        abort(400)
    _forget(survey)
    session["submitting"] = {k: v for k, v in session.get("submitting", {}).items() if k != survey.slug}
    session.permanent = True
    session["receipts"] = [*session.get("receipts", [])[-19:], response.reference]
    session["sent"] = {**session.get("sent", {}), survey.slug: response.reference}
    return redirect(url_for(".confirmation", reference=response.reference), code=303)


@bp.get("/confirmation/<reference>")
def confirmation(reference: str):
    survey = current_survey()
    response = receipts.own_response(survey, reference, answers=False)
    return render_template("responses/confirmation.html", survey=survey, response=response,
                           emailed=reference in session.get("emailed", []),
                           next_steps=definition_in(current(survey)).get("what_happens_next", ""))


@bp.get("/receipt/<reference>")
def receipt(reference: str):
    survey = current_survey()
    response = receipts.own_response(survey, reference)
    return render_template("responses/receipt.html", **receipts.receipt_context(survey, response))


@bp.get("/receipt/<reference>.pdf")
def receipt_pdf(reference: str):
    survey = current_survey()
    response = receipts.own_response(survey, reference)
    return current_app.response_class(
        receipts.receipt_pdf(survey, response), mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{response.reference}.pdf"'})


@bp.route("/save", methods=["GET", "POST"])
@public_post_limit
def save():
    survey, draft, instead = _open_draft()
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
            _issue_code(survey, draft)
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
    survey, draft, instead = _open_draft()
    if instead is not None:
        return instead
    code = session.get("resume_codes", {}).get(survey.slug)
    if not mail.enabled() or code is None:
        return redirect(url_for(".save"))
    form = EmailCodeForm()
    if not form.validate_on_submit():
        return _show_saved(survey, draft, SaveForm(), email_form=form), 400
    try:
        services.email_resume_code(draft, code, form.email.data, language=current_language(),
                                   resume_url=url_for(".resume", _external=True))
    except services.SaveFailed:
        return _show_saved(survey, draft, SaveForm(), failed=True), 503
    flash(_("We are sending your resume code to the email address you gave. Check your inbox, and your spam "
            "folder, in the next few minutes."), "success")
    return redirect(url_for(".save"), code=303)


def _issue_code(survey: Survey, draft: Draft) -> None:
    # Kept in the respondent's own cookie so a refresh shows the same code; only its hash is stored.
    session["resume_codes"] = {**session.get("resume_codes", {}), survey.slug: services.issue_resume_code(draft)}


@bp.route("/resume", methods=["GET", "POST"])
@public_post_limit
def resume():
    survey = current_survey()
    if not survey.accepting():
        return _closed(survey)
    form = ResumeForm()
    if form.validate_on_submit():
        draft = services.resume(survey, form.code.data)
        if draft is not None:
            _remember(survey, draft)
            flash(_("Welcome back. Your answers have been restored."), "success")
            return _carry_on(draft)
        form.code.errors.append(_("That code does not match saved answers, or they have expired. "
                                  "Check the code, or start again."))
    status = 400 if request.method == "POST" else 200
    return render_template("responses/resume.html", survey=survey, form=form), status

"""The respondent journey: start, question pages, check answers, submit, confirmation and receipt.

Saving for later and resuming are in consult/responses/resume_views.py; the blueprint, and what a respondent's
session holds, in consult/responses/visit.py.
"""
from __future__ import annotations

from flask import abort, current_app, flash, g, redirect, render_template, request, session, url_for

from consult.i18n import current_language
from consult.i18n import gettext as _
from consult.mail import services as mail
from consult.responses import emails as _emails  # noqa: F401  (the composers of respondents' emails)
from consult.responses import journey, receipts, services, submission
from consult.responses import resume_views as _resume_views  # noqa: F401  (its routes are on the same blueprint)
from consult.responses.forms import SubmitForm, page_answers, page_form, shown, typed_values
from consult.responses.models import Draft
from consult.responses.rows import DraftRow, SurveyRow
from consult.responses.visit import (
    bp,
    carry_on,
    closed,
    draft_of,
    forget,
    issue_code,
    no_draft,
    open_draft,
    open_page_draft,
    public_post_limit,
    remember,
)
from consult.surveys.blank_pages import blank_page, cacheable_address
from consult.surveys.forms import StartForm
from consult.surveys.frozen import current, frozen_version, remembered
from consult.surveys.languages import definition_in, page_in, question_in
from consult.surveys.models import Survey
from consult.surveys.scoped import current_survey

__all__ = ["bp"]


@bp.post("/start")
@public_post_limit
def start():
    survey = current_survey()
    if not survey.accepting():
        return closed(survey)
    form = StartForm()
    if not form.validate_on_submit() or form.is_bot():
        abort(400)
    draft = draft_of(survey)
    if draft is None:
        services.purge_expired_drafts_at_most_every()
        draft = services.start_draft(survey)
        remember(survey, draft)
    return carry_on(draft)


@bp.route("/page/<int:number>", methods=["GET", "POST"])
@public_post_limit
def page(number: int):
    survey, draft, instead = open_page_draft()
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
        return _show_page(draft, page, questions, form, returning)
    form = page_form(questions, answers, formdata=request.form)
    saving = request.form.get("action") == "save"
    valid = form.validate()
    if not valid and not saving:
        return _show_page(draft, page, questions, form, returning), 400
    try:
        if valid:
            answers = services.save_page(draft, page, page_answers(questions, form))
        else:
            services.save_unchecked(draft, page, typed_values(form, request.form))
        if saving:
            issue_code(survey, draft)
    except services.SaveFailed:
        return _show_page(draft, page, questions, form, returning, save_failed=True), 503
    if saving:
        return redirect(url_for(".save"), code=303)
    if returning:
        pending = journey.first_incomplete_page(version, draft.answers, draft.unsaved_pages())
        if pending is None:
            return redirect(url_for(".check"))
        return redirect(url_for(".page", number=pending.position, **{"return": "check"}))
    following = journey.next_page(version, answers, number)  # as saved: the commit expired the draft row
    return redirect(url_for(".page", number=following.position) if following else url_for(".check"))


def _show_page(draft: Draft | DraftRow, page, questions, form, returning: bool, save_failed: bool = False,
               **context):
    """A question page; its survey is the request's (`current_survey()`), loaded only when a page is drawn."""
    version, answers = frozen_version(draft.version_id), draft.answers
    previous = journey.previous_page(version, answers, page.position)
    back = (url_for(".check") if returning else
            url_for(".page", number=previous.position) if previous else
            url_for("surveys.start"))
    step, steps = journey.progress(version, answers, page.position)
    return render_template("responses/page.html", survey=current_survey(), page=page_in(page),
                           questions=[question_in(q) for q in questions], form=form,
                           back=back, returning=returning, step=step, steps=steps, save_failed=save_failed,
                           **context)


def _show_blank_page(survey: Survey | SurveyRow, draft: Draft | DraftRow, page, questions, returning: bool):
    """A page none of whose questions is answered yet, from the copy kept for everyone who sees it so (see
    consult/surveys/blank_pages.py): what the page shows depends on the answers only through the questions and
    choices they show, "Back" and the progress, which the key names."""
    version, answers = frozen_version(draft.version_id), draft.answers
    previous = journey.previous_page(version, answers, page.position)
    key = (current_language(), survey.id, survey.current_version_id, page.position, shown(questions, answers),
           previous.position if previous else None, journey.progress(version, answers, page.position), returning)
    return blank_page(version, key, lambda **context: _show_page(
        draft, page, questions, page_form(questions, answers), returning, **context))


@bp.get("/check")
def check():
    survey, draft, instead = open_draft()
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
    valid = form.validate_on_submit()
    if not valid and form.only_email_wrong() and (draft := draft_of(survey)) is not None:
        return _show_check(survey, draft, form=form), 400
    if not valid or form.is_bot():
        abort(400)
    token = form.submission_token.data
    copy_to = (form.email_copy.data or None) if mail.enabled() else None
    response = submission.response_for_token(token)  # a doubled or replayed submit
    if response is None:
        if not survey.accepting():
            return closed(survey)
        draft = draft_of(survey)
        if draft is None:  # a concurrent click may have just submitted it
            response = submission.response_for_token(token)
            if response is None:
                return no_draft(survey)
            if not _sent_from_here(survey, token, response.reference):
                return no_draft(survey)
        elif token != draft.submission_token or journey.first_incomplete_page(
                frozen_version(draft.version_id), draft.answers, draft.unsaved_pages()):
            return redirect(url_for(".check"))
        else:
            try:
                response = submission.submit(draft, token, language=current_language(), copy_to=copy_to)
                if copy_to:
                    session["emailed"] = [*session.get("emailed", [])[-19:], response.reference]
            except services.SaveFailed:
                return _show_check(survey, draft, save_failed=True), 503
    elif not _sent_from_here(survey, token, response.reference):
        return no_draft(survey)  # a token replayed from another browser opens nobody's receipt
    if response.survey_id != survey.id:
        abort(400)
    forget(survey)
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

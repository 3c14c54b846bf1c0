"""Machine suggestions: start "Suggest codes" as a job, review a question's suggestions in order of confidence
or usefulness, accept all above the auto cut, and undo that."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from consult.auth.models import Role
from consult.auth.roles import require
from consult.coding import bulk, samples, suggestions
from consult.coding.assignments import QUEUE_ORDERS
from consult.coding.forms import SuggestForm
from consult.coding.models import BulkAcceptance
from consult.coding.views import bp
from consult.extensions import db
from consult.surveys.scoped import current_survey


def _question(survey) -> str:
    keys = dict(samples.question_keys(survey))
    key = request.values.get("question") or request.values.get("question_key") or ""
    return key if key in keys else ""


@bp.post("/suggest")
@require(Role.RESEARCHER)
def suggest():
    survey = current_survey()
    form = SuggestForm()
    form.question_key.choices = samples.question_keys(survey)
    if not form.validate_on_submit() or form.question_key.data not in dict(form.question_key.choices):
        flash("Choose a question to suggest codes for.", "error")
        return redirect(url_for("coding.code_next"))
    job = suggestions.start(survey, form.question_key.data, current_user)
    return redirect(url_for("jobs.status", job_id=job.id))


@bp.get("/suggestions")
@require(Role.RESEARCHER)
def suggestion_list():
    survey = current_survey()
    keys = samples.question_keys(survey)
    question = _question(survey) or (keys[0][0] if keys else "")
    order = request.args.get("order") if request.args.get("order") in QUEUE_ORDERS else "confidence"
    page = max(request.args.get("page", 1, type=int), 1)
    rows, total = bulk.open_suggestions(survey, question, order, page) if question else ([], 0)
    return render_template("coding/suggestions.html", survey=survey, keys=keys, question=question, order=order,
                           orders=QUEUE_ORDERS, rows=rows, total=total, page=page, per_page=bulk.PER_PAGE,
                           run=bulk.latest_run(survey, question) if question else None,
                           confident=len(bulk.confident(survey, question)) if question else 0,
                           acceptances=bulk.acceptances(survey, question) if question else [])


@bp.post("/suggestions/accept-confident")
@require(Role.RESEARCHER)
def accept_confident():
    survey = current_survey()
    question = _question(survey)
    if not question:
        abort(404)
    try:
        done = bulk.accept_confident(survey, question, current_user)
    except suggestions.SuggestionError as error:
        flash(str(error), "error")
    else:
        flash(f"Accepted the machine's codes on {done.answers:,} answers above the auto cut as your own. "
              "You can undo this below.", "success")
    return redirect(url_for("coding.suggestion_list", question=question, order=request.form.get("order") or None))


@bp.post("/suggestions/accepted/<int:bulk_id>/undo")
@require(Role.RESEARCHER)
def undo_acceptance(bulk_id: int):
    survey = current_survey()
    done = db.session.get(BulkAcceptance, bulk_id)
    if done is None or done.survey_id != survey.id:
        abort(404)
    try:
        restored, left = bulk.undo(done, current_user)
    except suggestions.SuggestionError as error:
        flash(str(error), "error")
    else:
        flash(f"Undone: {restored:,} answers are back as they were, with the machine's suggestions open"
              + (f"; {left:,} changed since were left as they are." if left else "."), "success")
    return redirect(url_for("coding.suggestion_list", question=done.question_key))

"""Staff pages for a survey's evidence: overview, response list and detail, questions, and erasure."""
from __future__ import annotations

from dataclasses import replace

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from consult.auth.models import Role
from consult.auth.roles import require
from consult.numbers import arg_int
from consult.surveys.kinds import contact_withheld, kind_of
from consult.surveys.scoped import current_survey, survey_blueprint
from consult.surveys.services import question_labels
from consult.workspace import browsing, services
from consult.workspace.figures import question_figures
from consult.workspace.forms import EraseForm, EraseLookupForm, filter_form

bp = survey_blueprint("workspace", __name__, "/workspace/<slug>")


def _page_number() -> int:
    return arg_int("page", 1)


def _minimum_cell() -> int:
    return int(current_app.config.get("CROSSTAB_MIN_CELL", 5))


@bp.get("/")
@require(Role.STAFF)
def overview():
    survey = current_survey()
    return render_template("workspace/overview.html", survey=survey, min_cell=_minimum_cell(),
                           **browsing.overview_counts(survey, _minimum_cell()))


@bp.get("/responses")
@require(Role.STAFF)
def responses():
    survey = current_survey()
    questions = browsing.latest_questions(survey)
    themes = browsing.survey_themes(survey)
    form = filter_form(request.args, questions, themes, question_labels(survey))
    filters = form.filters()
    result = browsing.response_page(survey, filters, _page_number(), themes=themes)
    return render_template("workspace/responses.html", survey=survey, form=form, filters=filters, result=result,
                           labels=_labels(questions), lookup=EraseLookupForm(formdata=None))


@bp.get("/responses/<int:response_id>")
@require(Role.STAFF)
def response_detail(response_id: int):
    survey = current_survey()
    response = browsing.find_response(survey, response_id=response_id) or abort(404)
    themes = browsing.survey_themes(survey)
    answers = sorted(response.answers, key=lambda a: (a.question.version_id, a.question.position))
    lines = {a.id: kind_of(a.question).summary(a.question, {"value": a.value, "text": a.text}) for a in answers}
    codable = {a.id for a in answers if a.text and kind_of(a.question).codable(a.question)}
    return render_template("workspace/response_detail.html", survey=survey, response=response, answers=answers,
                           lines=lines, codable=codable, codes=browsing.response_codes(response), finals=browsing.final_codes(response, themes),
                           notes=browsing.response_notes(response), labels=_labels(browsing.latest_questions(survey)))


@bp.get("/questions")
@require(Role.STAFF)
def questions():
    survey = current_survey()
    return render_template("workspace/questions.html", survey=survey, questions=browsing.latest_questions(survey))


@bp.get("/questions/<key>")
@require(Role.STAFF)
def question(key: str):
    survey = current_survey()
    questions = browsing.latest_questions(survey)
    current = next((q for q in questions if q.key == key), None) or abort(404)
    themes = browsing.survey_themes(survey)
    form = filter_form(request.args, questions, themes, question_labels(survey))
    filters = form.filters()
    withheld = contact_withheld(current, current_user)
    if withheld:  # searching the names people gave would tell who they are
        filters = replace(filters, search="")
    minimum = _minimum_cell()
    by_type = request.args.get("by") == "respondent_type"
    figures = (question_figures(survey, current, filters, browsing.role_options(questions, "respondent_type"), minimum,
                                by_type=by_type) if kind_of(current).closed else [])
    result = browsing.answer_page(survey, current, filters, _page_number(), themes=themes)
    return render_template("workspace/question.html", survey=survey, question=current, form=form, filters=filters,
                           result=result, figures=figures, minimum=minimum, labels=_labels(questions), by_type=by_type,
                           withheld=withheld, codable=kind_of(current).codable(current))


@bp.route("/erase", methods=["GET", "POST"])
@require(Role.ADMIN)
def erase():
    """GET ?reference=… shows what will be erased and asks to confirm; the POST erases it."""
    survey = current_survey()
    form = EraseForm()
    if request.method == "POST":
        response = browsing.find_response(survey, reference=form.reference.data) if form.validate_on_submit() else None
        if response is None:
            flash("That response has already been erased or the reference is not one of this survey’s.", "error")
            return redirect(url_for(".responses"))
        reference = services.erase_response(response)
        flash(f"Response {reference} and everything coded on it have been erased.", "success")
        return redirect(url_for(".responses"))
    lookup = EraseLookupForm(formdata=request.args)
    if "reference" not in request.args or not lookup.validate():
        return render_template("workspace/erase_lookup.html", survey=survey, lookup=lookup)
    response = browsing.find_response(survey, reference=lookup.reference.data)
    if response is None:
        lookup.reference.errors = [f"No response to this survey has the reference {lookup.reference.data.strip()}"]
        return render_template("workspace/erase_lookup.html", survey=survey, lookup=lookup)
    form.reference.data = response.reference
    return render_template("workspace/erase.html", survey=survey, response=response, form=form)


def _labels(questions) -> dict[str, dict[str, str]]:
    """Display names for respondent types and capacities."""
    return {role: dict(browsing.role_options(questions, role)) for role in ("respondent_type", "capacity")}

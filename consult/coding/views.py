"""Researchers' coding pages: codebook, coding screen, samples, agreement and adjudication.

This module holds the codebook pages; the coding screen and the agreement pages add their routes
to the same blueprint from coding_views.py and agreement_views.py (imported at the end).
"""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from consult.auth.models import Role
from consult.auth.roles import require
from consult.coding import services
from consult.coding.figures import codebook_page_figures
from consult.coding.forms import CodebookImportForm, MergeForm, SplitForm, ThemeForm
from consult.coding.models import Theme
from consult.surveys.models import Survey
from consult.surveys.scoped import current_survey, survey_blueprint

bp = survey_blueprint("coding", __name__, "/workspace/<slug>")


def survey_theme(survey: Survey, theme_id: int) -> Theme:
    return services.theme_in_survey(survey, theme_id) or abort(404)


def _parent_choices(survey: Survey, theme: Theme | None = None) -> list[tuple[int, str]]:
    return [(0, "None (a top-level theme)")] + [
        (t.id, t.name) for t in services.active_themes(survey) if t.parent_id is None and (theme is None or t.id != theme.id)]


def _save_theme(form: ThemeForm, survey: Survey, theme: Theme | None) -> Theme | None:
    fields = {f: getattr(form, f).data or "" for f in services.TEXT_FIELDS}
    try:
        if theme is None:
            return services.create_theme(survey, form.name.data, parent_id=form.parent_id.data or None,
                                         by=current_user, **fields)
        services.update_theme(theme, name=form.name.data, parent_id=form.parent_id.data or None, by=current_user,
                              **fields)
        return theme
    except services.CodebookError as error:
        getattr(form, error.field, form.name).errors = [str(error)]
        return None


@bp.get("/codebook")
@require(Role.STAFF)
def codebook():
    survey = current_survey()
    minimum = current_app.config["CROSSTAB_MIN_CELL"]
    counts, by_group, recount = codebook_page_figures(survey, minimum)
    return render_template("coding/codebook.html", survey=survey, themes=services.active_themes(survey),
                           counts=counts, by_group=by_group or {}, recount=recount, min_cell=minimum,
                           import_form=CodebookImportForm())


@bp.route("/codebook/new", methods=["GET", "POST"])
@require(Role.RESEARCHER)
def new_theme():
    survey = current_survey()
    form = ThemeForm()
    form.parent_id.choices = _parent_choices(survey)
    if form.validate_on_submit() and (theme := _save_theme(form, survey, None)):
        flash(f"Theme ‘{theme.name}’ added.", "success")
        return redirect(url_for("coding.codebook"))
    return render_template("coding/theme_form.html", survey=survey, form=form, theme=None), 400 if form.errors else 200


@bp.get("/codebook/<int:theme_id>")
@require(Role.STAFF)
def theme(theme_id: int):
    survey = current_survey()
    item = survey_theme(survey, theme_id)
    merge_form = MergeForm()
    merge_form.target_id.choices = [(t.id, t.name) for t in services.active_themes(survey) if t.id != item.id]
    children = [t for t in services.active_themes(survey) if t.parent_id == item.id]
    counts, _by_group, recount = codebook_page_figures(survey, current_app.config["CROSSTAB_MIN_CELL"])
    return render_template("coding/theme.html", survey=survey, theme=item, children=children,
                           history=services.history(item), merge_form=merge_form, split_form=SplitForm(),
                           successor=item.merged_into,
                           successors=services.split_successors(item),
                           count=None if counts is None else counts.answers.get(item.id, 0), recount=recount)


@bp.route("/codebook/<int:theme_id>/edit", methods=["GET", "POST"])
@require(Role.RESEARCHER)
def edit_theme(theme_id: int):
    survey = current_survey()
    item = survey_theme(survey, theme_id)
    if not item.active:
        flash("This theme was merged into another and can no longer be edited.", "error")
        return redirect(url_for("coding.theme", theme_id=item.id))
    form = ThemeForm(obj=item if request.method == "GET" else None)
    form.parent_id.choices = _parent_choices(survey, item)
    if request.method == "GET":
        form.parent_id.data = item.parent_id or 0
    if form.validate_on_submit() and _save_theme(form, survey, item):
        flash("Theme saved.", "success")
        return redirect(url_for("coding.theme", theme_id=item.id))
    return render_template("coding/theme_form.html", survey=survey, form=form, theme=item), 400 if form.errors else 200


@bp.post("/codebook/<int:theme_id>/merge")
@require(Role.RESEARCHER)
def merge_theme(theme_id: int):
    survey = current_survey()
    item = survey_theme(survey, theme_id)
    form = MergeForm()
    target = services.theme_in_survey(survey, form.target_id.data) if form.validate_on_submit() else None
    if target is None:
        flash("Choose a current theme from this codebook to merge into.", "error")
        return redirect(url_for("coding.theme", theme_id=item.id))
    try:
        detail = services.merge_themes(item, target, by=current_user)
    except services.CodebookError as error:
        flash(str(error), "error")
        return redirect(url_for("coding.theme", theme_id=item.id))
    flash(f"‘{item.name}’ merged into ‘{target.name}’: {detail['moved']} codes moved"
          f"{', ' + str(detail['duplicates_dropped']) + ' duplicates dropped' if detail['duplicates_dropped'] else ''}.",
          "success")
    return redirect(url_for("coding.theme", theme_id=target.id))


@bp.post("/codebook/<int:theme_id>/split")
@require(Role.RESEARCHER)
def split_theme(theme_id: int):
    survey = current_survey()
    item = survey_theme(survey, theme_id)
    form = SplitForm()
    try:
        names = (form.names.data or "").splitlines() if form.validate_on_submit() else []
        new = services.split_theme(item, names, by=current_user)
    except services.CodebookError as error:
        flash(str(error), "error")
        return redirect(url_for("coding.theme", theme_id=item.id))
    flash(f"‘{item.name}’ split into {', '.join('‘' + t.name + '’' for t in new)}. Now recode its answers.", "success")
    return redirect(url_for("coding.recode_split", theme_id=item.id))


@bp.route("/codebook/<int:theme_id>/recode", methods=["GET", "POST"])
@require(Role.RESEARCHER)
def recode_split(theme_id: int):
    survey = current_survey()
    item = survey_theme(survey, theme_id)
    successors = services.split_successors(item)
    if request.method == "POST":
        choices = {}
        for key, value in request.form.items():
            if key.startswith("answer-") and key[7:].isdigit() and value:
                choices[int(key[7:])] = ([t.id for t in successors] if value == "all"
                                         else [int(value)] if value.isdigit() else [])
        recoded = services.recode_split_answers(item, choices, by=current_user)
        flash(f"{recoded} {'answer' if recoded == 1 else 'answers'} recoded.", "success")
        return redirect(url_for("coding.recode_split", theme_id=item.id))
    answers = services.answers_coded_with(item, limit=200)
    return render_template("coding/recode.html", survey=survey, theme=item, successors=successors, answers=answers)


from consult.coding import agreement_views, coding_views, suggestion_views  # noqa: E402,F401  (routes on this blueprint)

"""Agreement figures between coders, the disagreements list, and adjudication."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from consult.auth.models import Role
from consult.auth.roles import require
from consult.coding import agreement as coding_agreement
from consult.coding import disagreements as coding_disagreements
from consult.coding import assignments, samples
from consult.coding.forms import AdjudicationForm
from consult.coding.services import active_themes
from consult.coding.views import bp
from consult.surveys.scoped import current_survey


@bp.get("/agreement")
@require(Role.STAFF)
def agreement():
    survey = current_survey()
    question = request.args.get("question") or None
    counted, recount = coding_agreement.agreement_page_figures(survey, question)
    rows, overall, themes, pending = counted or ([], None, {}, None)
    return render_template("coding/agreement.html", survey=survey, rows=rows, overall=overall, themes=themes,
                           question=question, keys=samples.question_keys(survey), pending=pending,
                           samples=samples.survey_samples(survey), recount=recount)


@bp.get("/agreement/disagreements")
@require(Role.STAFF)
def disagreements():
    survey = current_survey()
    question = request.args.get("question") or None
    settled = request.args.get("settled") == "1"
    rows, total, recount = coding_disagreements.disagreements_page(survey, question, settled)
    themes = {t.id: t.name for t in active_themes(survey)}
    return render_template("coding/disagreements.html", survey=survey, rows=rows or [], total=total,
                           themes=themes, question=question, settled=settled, recount=recount)


@bp.route("/agreement/answers/<int:answer_id>", methods=["GET", "POST"])
@require(Role.RESEARCHER)
def adjudicate(answer_id: int):
    survey = current_survey()
    answer = assignments.in_survey(survey, answer_id) or abort(404)
    themes = active_themes(survey)
    form = AdjudicationForm()
    form.themes.choices = [(t.id, t.name) for t in themes]
    sets = coding_disagreements.person_sets(answer)
    if form.validate_on_submit():
        try:
            coding_disagreements.adjudicate(answer, form.themes.data or [], current_user, form.note.data or "")
        except ValueError as error:
            form.themes.errors = [str(error)]
        else:
            flash(f"Final codes saved for answer {answer.id}.", "success")
            return redirect(url_for("coding.disagreements"))
    decision = coding_disagreements.adjudication_of(answer)
    if request.method == "GET":
        form.themes.data = decision.theme_ids if decision else sorted(set().union(*sets.values())) if sets else []
        form.note.data = decision.note if decision else ""
    return render_template("coding/adjudicate.html", survey=survey, answer=answer, form=form, sets=sets,
                           themes={t.id: t.name for t in themes}, decision=decision), 400 if form.errors else 200

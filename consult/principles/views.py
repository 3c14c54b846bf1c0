"""Staff pages for principles: drafts list, build, edit, compare and download."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from consult.auth.models import Role
from consult.auth.roles import require
from consult.principles import services
from consult.principles.forms import BuildForm, edit_form
from consult.surveys.scoped import current_survey, survey_blueprint

bp = survey_blueprint("principles", __name__, "/workspace/<slug>/principles")


def _draft(survey, number: int):
    return services.get_draft(survey, number) or abort(404)


@bp.get("/")
@require(Role.STAFF)
def drafts():
    survey = current_survey()
    return render_template("principles/drafts.html", survey=survey, drafts=services.drafts_of(survey), form=BuildForm())


@bp.post("/build")
@require(Role.STAFF)
def build():
    survey = current_survey()
    if not BuildForm().validate_on_submit():
        abort(400)
    job = services.start_build(survey, current_user.id)
    return redirect(url_for("jobs.status", job_id=job.id), code=303)


@bp.route("/<int:number>", methods=["GET", "POST"])
@require(Role.STAFF)
def edit(number: int):
    survey = current_survey()
    draft = _draft(survey, number)
    document = services.edited_document(draft)
    form = edit_form(document, formdata=request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate():
        headlines = {p["id"]: form[f"headline__{p['id']}"].data.strip() for p in document["principles"]
                     if form[f"headline__{p['id']}"].data.strip() != p["headline"]}
        quotes = {p["id"]: form[f"quotes__{p['id']}"].data for p in document["principles"]
                  if form[f"quotes__{p['id']}"].data != [q["id"] for q in p.get("quotes", [])]}
        if not headlines and not quotes:
            flash("Nothing changed, so no new version was saved.", "info")
            return redirect(url_for("principles.edit", number=number))
        job = services.start_edit(draft, headlines, quotes, current_user.id)
        return redirect(url_for("jobs.status", job_id=job.id), code=303)
    return render_template("principles/edit.html", survey=survey, draft=draft, document=document, form=form), (
        400 if form.errors else 200)


@bp.get("/<int:number>/download.<any(pdf, html):kind>")
@require(Role.STAFF)
def download(number: int, kind: str):
    survey = current_survey()
    draft = _draft(survey, number)
    services.record_download(draft, kind)
    name = f"{survey.slug}-principles-v{number}.{kind}"
    body, mimetype = (draft.pdf, "application/pdf") if kind == "pdf" else (draft.html, "text/html")
    return current_app.response_class(body, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{name}"'})


@bp.get("/compare")
@require(Role.STAFF)
def compare():
    survey = current_survey()
    older = _draft(survey, request.args.get("a", type=int) or 0)
    newer = _draft(survey, request.args.get("b", type=int) or 0)
    return render_template("principles/compare.html", survey=survey, older=older, newer=newer,
                           changes=services.compare_versions(older, newer))

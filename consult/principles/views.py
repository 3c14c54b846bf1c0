"""Staff pages for principles: drafts list, build, edit, compare, the internal edition and downloads."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from consult.auth.models import Role
from consult.auth.roles import require
from consult.principles import services
from consult.principles import publication
from consult.principles.forms import BuildForm, CompareForm, edit_form
from consult.surveys.scoped import current_survey, survey_blueprint

bp = survey_blueprint("principles", __name__, "/workspace/<slug>/principles")


def _draft(survey, number: int):
    return services.get_draft(survey, number) or abort(404)


@bp.get("/")
@require(Role.STAFF)
def drafts():
    survey = current_survey()
    return render_template("principles/drafts.html", survey=survey, drafts=services.drafts_of(survey), form=BuildForm(),
                           published=publication.published_draft(survey))


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


def _being_updated(survey, draft):
    """The page shown while a version is rendered again without withdrawn words (its files are empty)."""
    return render_template("principles/updating.html", survey=survey, draft=draft), 503, {"Retry-After": "30"}


@bp.get("/<int:number>/internal")
@require(Role.STAFF)
def internal(number: int):
    """The internal edition as a web page: every cited answer named and linked to its response."""
    survey = current_survey()
    draft = _draft(survey, number)
    services.record_download(draft, "internal")
    page = services.internal_edition(draft, lambda response_id: url_for("workspace.response_detail",
                                                                         response_id=response_id))
    return current_app.response_class(page, mimetype="text/html")


@bp.get("/<int:number>/download.<any(pdf, html):kind>")
@require(Role.STAFF)
def download(number: int, kind: str):
    survey = current_survey()
    draft = _draft(survey, number)
    if draft.rerendering:
        return _being_updated(survey, draft)
    services.record_download(draft, kind)
    name = f"{survey.slug}-principles-v{number}.{kind}"
    body, mimetype = (draft.pdf, "application/pdf") if kind == "pdf" else (draft.html, "text/html")
    return current_app.response_class(body, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{name}"'})


@bp.get("/compare")
@require(Role.STAFF)
def compare():
    """Choose two versions, then see what changed between them side by side."""
    survey = current_survey()
    drafts = services.drafts_of(survey)
    form = CompareForm(request.args if request.args else None)
    choices = [(d.number, f"Version {d.number}, {d.note.lower()}") for d in drafts]
    form.a.choices, form.b.choices = choices, choices
    if not request.args or len(drafts) < 2 or not form.validate():
        if not request.args and len(drafts) >= 2:
            form.a.data, form.b.data = drafts[1].number, drafts[0].number
        return render_template("principles/compare.html", survey=survey, form=form, drafts=drafts, changes=None), (
            400 if request.args and form.errors else 200)
    older, newer = sorted((_draft(survey, form.a.data), _draft(survey, form.b.data)), key=lambda d: d.number)
    return render_template("principles/compare.html", survey=survey, form=form, drafts=drafts, older=older,
                           newer=newer, changes=services.compare_versions(older, newer))

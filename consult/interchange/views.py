"""Staff pages bringing evidence in and out: imports, workshop notes and exports.

An upload is kept in the database (consult.jobs.files, shared by every app server) between its preview and the
confirming click, so the file imported is exactly the file previewed (no second upload to get wrong). It is
deleted once imported, and expires after a day. Confirmed imports of more than IMPORT_INLINE_ROWS new rows
run as a background job (consult.jobs) and show its status page.
"""
from __future__ import annotations

import io
import tempfile

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user

from consult.auth.models import Role
from consult.auth.roles import require
from consult.coding.figures import codebook_page_figures
from consult.coding.forms import CodebookImportForm
from consult.coding.services import active_themes
from consult.extensions import csrf
from consult.interchange import codebook_files, exporting, import_plan, importing
from consult.interchange import workshops as workshop_notes
from consult.interchange.forms import (
    ConfirmImportForm,
    ImportForm,
    WorkshopForm,
    column_choices,
    matching_digest,
)
from consult.jobs import files
from consult.jobs.services import submit
from consult.surveys.scoped import current_survey, survey_blueprint
from consult.surveys.services import question_labels
from consult.timeutil import utcnow

bp = survey_blueprint("intake", __name__, "/workspace/<slug>")

KEEP_UPLOADS_SECONDS = 24 * 60 * 60
MAX_ERRORS_SHOWN = 200


def _keep_upload(content: bytes, filename: str, survey_id: int) -> str:
    return files.keep(content, purpose="upload", filename=filename, survey_id=survey_id,
                      hours=KEEP_UPLOADS_SECONDS / 3600)


def _preview(survey, plan, stored: str, changed: bool = False):
    """The preview: each column's match (a select), the first rows as they will be stored, and any problems."""
    confirm = ConfirmImportForm(formdata=None, stored=stored, filename=plan.filename, channel=plan.channel,
                                previewed=matching_digest({c: plan.target_of(c) for c in plan.headers}))
    questions = {q.key: q for q in survey.current_version.questions}
    return render_template("intake/import_preview.html", survey=survey, plan=plan, confirm=confirm, changed=changed,
                           rows=importing.preview_rows(plan), questions=questions,
                           targets=import_plan.column_targets(survey),
                           errors=plan.errors[:MAX_ERRORS_SHOWN]), 400 if plan.errors else 200


def _plan(survey, form, content: bytes, filename: str, choices: dict[str, str] | None = None):
    """The import plan, matched as the preview's selects say (else by column names), or None with the
    problem added to the form's errors."""
    arguments = {}
    if choices is not None:
        key = next((c for c, t in choices.items() if t == import_plan.KEY_TARGET), None)
        received = next((c for c, t in choices.items() if t == import_plan.RECEIVED_TARGET), None)
        arguments = {"key_column": key, "received_column": received,  # a second id or date column: not imported
                     "overrides": {c: "" if t in (import_plan.KEY_TARGET, import_plan.RECEIVED_TARGET) else t
                                   for c, t in choices.items() if c not in (key, received)}}
    # A large file's preview reads its first rows only; the job that imports it reads (and checks) it all.
    first_rows = importing.PREVIEW_ROWS if len(content) > current_app.config["IMPORT_INLINE_BYTES"] else None
    try:
        return import_plan.plan_import(survey, content, filename, form.channel.data, unmatched_ok=True,
                                       first_rows=first_rows, **arguments)
    except import_plan.ImportFileError as error:
        form.upload.errors = list(form.upload.errors) + [str(error)]
        return None


@bp.route("/import", methods=["GET", "POST"])
@csrf.exempt  # checked below, once the larger body limit for uploads applies
@require(Role.RESEARCHER)
def import_responses():
    survey = current_survey()
    request.max_content_length = current_app.config["IMPORT_MAX_BYTES"]
    if request.method == "POST" and current_app.config.get("WTF_CSRF_ENABLED", True):
        csrf.protect()
    if request.method == "POST" and "stored" in request.form:
        return _confirm(survey)
    form = ImportForm()
    if request.method == "POST":
        valid = form.validate()
        upload = form.upload.data
        if not upload or not upload.filename:
            form.upload.errors = ["Select a CSV, XLSX or JSONL file"]
        elif valid:
            content = upload.read()
            plan = _plan(survey, form, content, upload.filename)
            if plan is not None:
                return _preview(survey, plan, _keep_upload(content, upload.filename, survey.id))
    status = 400 if form.errors else 200
    return render_template("intake/import.html", survey=survey, form=form), status


def _confirm(survey):
    """The preview's buttons: check the matching again, or import exactly what the preview showed."""
    confirm = ConfirmImportForm()
    content = files.content_of(confirm.stored.data, "upload", survey.id) if confirm.validate() else None
    if content is None:
        flash("That upload has expired or was already imported. Upload the file again.", "error")
        return redirect(url_for(".import_responses", slug=survey.slug))
    choices = column_choices(request.form)
    form = ImportForm(formdata=None, channel=confirm.channel.data)
    plan = _plan(survey, form, content, confirm.filename.data, choices or None)
    if plan is None:
        files.discard(confirm.stored.data)
        return render_template("intake/import.html", survey=survey, form=form), 400
    shown = matching_digest({c: plan.target_of(c) for c in plan.headers}) == confirm.previewed.data
    if request.form.get("action") != "import" or not shown or plan.errors:  # checking, or changed since
        return _preview(survey, plan, confirm.stored.data, changed=request.form.get("action") == "import" and not shown)
    if plan.sampled or len(plan.new_rows) > current_app.config.get("IMPORT_INLINE_ROWS", importing.INLINE_ROWS):
        job = submit("responses_import", survey_id=survey.id, user_id=current_user.id, params={
            "survey_id": survey.id, "stored": confirm.stored.data, "filename": plan.filename, "channel": plan.channel,
            "mapping": {c: t for c, t in plan.mapping.items()} | {c: "" for c in plan.unmapped},
            "key_column": plan.key_column, "received_column": plan.received_column,
            "title": f"Importing {plan.filename} into {survey.title}"})
        return redirect(url_for("jobs.status", job_id=job.id))
    importing.run_import(plan, user=current_user._get_current_object())
    files.discard(confirm.stored.data)
    flash(f"Imported {plan.filename}: {plan.counts()}.", "success")
    return redirect(url_for(".import_responses", slug=survey.slug, imported=plan.channel))


@bp.route("/workshops", methods=["GET", "POST"])
@require(Role.STAFF)
def workshops():
    survey = current_survey()
    form = WorkshopForm()
    form.attendee_types.choices = workshop_notes.attendee_choices(survey)
    questions = workshop_notes.notes_questions(survey)
    labels = question_labels(survey)
    form.question.choices = [(q.key, labels[q.key]) for q in questions]
    if request.method == "GET" and questions:
        form.question.data = workshop_notes.default_notes_question(survey).key
    if form.validate_on_submit():
        question = next(q for q in questions if q.key == form.question.data)
        _event, response = workshop_notes.add_workshop(
            survey, name=form.name.data, place=form.place.data, held_on=form.held_on,
            attendee_types=form.attendee_types.data or [], notes=form.notes.data, question=question,
            user=current_user._get_current_object())
        flash(f"Notes from {form.name.data.strip()} added as response {response.reference}, ready to code.", "success")
        return redirect(url_for(".workshops"))
    labels = dict(form.attendee_types.choices)
    total, rows = workshop_notes.workshop_responses(survey)
    return render_template("intake/workshops.html", survey=survey, form=form, total=total, rows=rows,
                           labels=labels, has_questions=bool(questions),
                           view_endpoints=current_app.view_functions), 400 if form.errors else 200


@bp.route("/export", methods=["GET", "POST"])
@require(Role.RESEARCHER)
def export():
    """The export page; GET ?format=csv|xlsx|jsonl|qdpx downloads at once, POST runs a large export as a job."""
    survey = current_survey()
    total = exporting.response_count(survey)
    large = total > current_app.config.get("EXPORT_INLINE_RESPONSES", exporting.INLINE_RESPONSES)
    fmt = request.values.get("format", "")
    page = {"survey": survey, "formats": exporting.FORMATS, "total": total, "large": large}
    if fmt and fmt not in exporting.FORMATS:
        return render_template("intake/export.html", error=f"Choose one of the formats below ({fmt[:20]} is not one).",
                               **page), 400
    if request.method == "POST" and fmt:
        job = submit("responses_export", survey_id=survey.id, user_id=current_user.id, params={
            "survey_id": survey.id, "format": fmt, "title": f"Exporting {survey.title} as {fmt.upper()}"})
        return redirect(url_for("jobs.status", job_id=job.id))
    if not fmt or large:
        return render_template("intake/export.html", **page)
    out = tempfile.TemporaryFile()
    exporting.export(survey, fmt, out, user=current_user._get_current_object())
    out.seek(0)
    return _download(out, survey, fmt)


def _download(source, survey, fmt: str):
    media_type, extension = exporting.FORMATS[fmt]
    response = send_file(source, mimetype=media_type, as_attachment=True,
                         download_name=f"{survey.slug}-responses-{utcnow():%Y-%m-%d}.{extension}")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/export/download/<int:job_id>")
@require(Role.RESEARCHER)
def export_download(job_id: int):
    """The file a finished export job wrote (kept EXPORT_TTL_HOURS, and deleted when a response in it is erased)."""
    survey = current_survey()
    job = exporting.finished_export(survey, job_id) or abort(404)
    content = files.content_of(job.result.get("file"), "export", survey.id)
    if content is None:
        abort(410)
    return _download(io.BytesIO(content), survey, job.result["format"])


@bp.get("/codebook.csv")
@require(Role.RESEARCHER)
def export_codebook_csv():
    survey = current_survey()
    return _attachment(codebook_files.export_csv(survey), "text/csv; charset=utf-8", f"{survey.slug}-codebook.csv")


@bp.get("/codebook.qdc")
@require(Role.RESEARCHER)
def export_codebook_qdc():
    survey = current_survey()
    return _attachment(codebook_files.export_qdc(survey), "application/xml", f"{survey.slug}-codebook.qdc")


def _attachment(body, mimetype: str, name: str):
    return current_app.response_class(body, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})


@bp.post("/codebook/import")
@require(Role.RESEARCHER)
def import_codebook():
    """A codebook file (CSV or REFI-QDA .qdc) into the codebook: every row or none."""
    survey = current_survey()
    form = CodebookImportForm()
    upload = form.file.data if form.validate_on_submit() else None
    if not upload or not upload.filename:
        flash("Choose a codebook file (.csv or .qdc) to import.", "error")
        return redirect(url_for("coding.codebook"))
    data, notes = upload.read(), []
    try:
        if upload.filename.lower().endswith(".qdc"):
            rows, notes = codebook_files.read_qdc(data)
        else:
            rows = codebook_files.read_csv(data)
        created, updated = codebook_files.import_rows(survey, rows, by=current_user)
    except codebook_files.ImportProblems as problems:
        minimum = current_app.config["CROSSTAB_MIN_CELL"]
        counts, by_group, recount = codebook_page_figures(survey, minimum)
        return render_template("coding/codebook.html", survey=survey, themes=active_themes(survey),
                               counts=counts, by_group=by_group or {}, recount=recount,
                               min_cell=minimum, import_form=form, problems=problems.problems), 400
    flash(f"Codebook imported: {created} themes added, {updated} updated. {' '.join(notes)}".strip(), "success")
    return redirect(url_for("coding.codebook"))

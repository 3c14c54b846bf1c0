"""Importing responses that arrived by email, on paper or at events: CSV, XLSX or JSONL, all rows or none.

`plan_import` (import_plan.py) reads and checks a file without writing anything (the preview and `--dry-run`);
`run_import` stores a plan that has no errors in one transaction, inline or as the `responses_import` job.
The file formats are read in readers.py and each row's cells parsed in import_answers.py.
"""
from __future__ import annotations

from typing import Any

from consult.extensions import db
from consult.interchange.import_plan import ImportPlan, plan_import
from consult.interchange.readers import FORMATS, ImportFileError, file_format
from consult.jobs import files
from consult.jobs.services import JobError, task
from consult.responses.models import ImportBatch
from consult.responses.submission import announce_stored, build_response
from consult.surveys.kinds import kind_of
from consult.surveys.models import Survey

__all__ = ["FORMATS", "ImportFileError", "file_format", "plan_import", "run_import", "preview_rows"]
# Confirmed imports with more new rows than this run as a background job, clear of the web server's timeout.
INLINE_ROWS = 1000
# Rows shown by the preview, and all a large file's preview reads.
PREVIEW_ROWS = 10


def run_import(plan: ImportPlan, *, user=None) -> ImportBatch:
    """Store every new row of an error-free plan in one transaction, with its batch and audit event, then
    announce the new responses (responses_stored) to the parts downstream."""
    from consult.auth.services import record

    if plan.errors:
        raise ImportFileError(f"The file has {len(plan.errors)} problems: nothing was imported")
    version = plan.survey.current_version
    questions = {q.key: q for q in version.questions}
    batch = ImportBatch(survey_id=plan.survey.id, channel=plan.channel, filename=plan.filename,
                        checksum=plan.checksum, created_rows=len(plan.new_rows),
                        skipped_rows=plan.already_imported + plan.repeated, user_id=user.id if user else None)
    db.session.add(batch)
    db.session.flush()
    try:
        built = []
        for row in plan.new_rows:
            response = build_response(version, {questions[k]: a for k, a in row.answers.items()},
                                      channel=plan.channel, submitted_at=row.submitted_at)
            response.import_batch_id = batch.id
            response.import_key = row.key
            db.session.add(response)
            built.append(response)
        db.session.flush()
        record("responses.imported", batch, {"survey": plan.survey.slug, "channel": plan.channel,
                                             "file": plan.filename, "new": batch.created_rows,
                                             "already_imported": plan.already_imported}, by=user)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    announce_stored(plan.survey.id, [r.id for r in built])
    return batch


def preview_rows(plan: ImportPlan) -> list[dict[str, Any]]:
    """The first rows as they will be stored: row number, status, when received, and each answer's summary lines."""
    questions = {q.key: q for q in plan.survey.current_version.questions}
    return [{"number": row.number, "imported": row.imported, "received": row.submitted_at,
             "answers": [(questions[k], kind_of(questions[k]).summary(questions[k], a)) for k, a in row.answers.items()]}
            for row in plan.rows[:PREVIEW_ROWS]]


@task("responses_import")
def run_import_job(job, progress) -> dict[str, Any]:
    """A confirmed import too large to run inside a web request; the kept upload is deleted once imported."""
    from consult.auth.models import User

    params = job.params
    survey = db.session.get(Survey, params["survey_id"])
    content = files.content_of(params["stored"], "upload", params["survey_id"])
    if survey is None or content is None:
        raise JobError("The survey or the uploaded file is no longer there: upload the file again")
    progress(0.05, f"Checking {params['filename']}")
    try:
        plan = plan_import(survey, content, params["filename"], params["channel"],
                           overrides=params.get("mapping") or {}, key_column=params.get("key_column"),
                           received_column=params.get("received_column"))
    except ImportFileError as error:
        raise JobError(str(error)) from error
    if plan.errors:
        raise JobError(f"{len(plan.errors):,} problems, nothing imported; the first: {plan.errors[0]}")
    progress(0.2, f"Importing {len(plan.new_rows):,} responses")
    run_import(plan, user=db.session.get(User, job.created_by) if job.created_by else None)
    files.discard(params["stored"])
    return {"summary": f"Imported {plan.filename}: {plan.counts()}.",
            "next": {"endpoint": "intake.import_responses", "values": {"slug": survey.slug}},
            "next_label": "Back to imports"}

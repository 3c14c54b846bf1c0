"""Job status pages: a page that works without JavaScript, and JSON for the page's progress bar."""
from __future__ import annotations

from flask import Blueprint, abort, jsonify, render_template

from consult.auth.models import Role
from consult.auth.roles import require
from consult.extensions import db
from consult.jobs import services
from consult.jobs.models import Job

bp = Blueprint("jobs", __name__, url_prefix="/workspace/jobs")


def _job(job_id: int) -> Job:
    services.expire_stale()
    return db.session.get(Job, job_id) or abort(404)


@bp.get("/<int:job_id>")
@require(Role.STAFF)
def status(job_id: int):
    return render_template("jobs/status.html", job=_job(job_id))


@bp.get("/<int:job_id>.json")
@require(Role.STAFF)
def status_json(job_id: int):
    job = _job(job_id)
    return jsonify(id=job.id, kind=job.kind, state=job.state, progress=job.progress, message=job.message,
                   error=job.error, done=job.done)

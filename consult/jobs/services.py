"""Run long work off the request: on Redis with RQ when REDIS_URL is set, otherwise in-process.

A task is a function `(job, progress) -> dict` registered with @task("kind"). It reports progress
with `progress(fraction, message)`, which also enforces the job's time limit.
"""
from __future__ import annotations

import importlib
import logging
import threading
import time
from datetime import timedelta
from typing import Any, Callable

from flask import Flask, current_app
from sqlalchemy import select, update
from sqlalchemy.exc import OperationalError

from consult.extensions import db
from consult.jobs.models import Job, JobState
from consult.timeutil import utcnow

log = logging.getLogger(__name__)
QUEUE = "consult"
# kind -> "module:function"; modules register themselves with @task, and are imported on demand by workers.
TASKS: dict[str, str] = {}
Task = Callable[[Job, Callable[[float, str], None]], dict[str, Any]]


class JobError(Exception):
    """A failure to show the user as it is (bad input, nothing to do)."""


class JobTimeout(JobError):
    pass


# Work a process that runs jobs would otherwise do in its first job of a kind (loading word lists, a model), run
# once when it starts: by `consult serve` where jobs run in its own threads, and by `consult jobs worker` before it
# forks a work horse per job, so that every horse starts with it done (copied by fork, not loaded again).
PRELOADS: list[Callable[[], None]] = []


def preload(function: Callable[[], None]) -> Callable[[], None]:
    """Register `function` as one of the PRELOADS."""
    PRELOADS.append(function)
    return function


def preload_for_jobs() -> None:
    """Run every registered preload (see PRELOADS)."""
    for function in PRELOADS:
        function()


def task(kind: str) -> Callable[[Task], Task]:
    def register(function: Task) -> Task:
        TASKS[kind] = f"{function.__module__}:{function.__name__}"
        return function
    return register


def _resolve(kind: str) -> Task:
    module, name = TASKS[kind].split(":")
    return getattr(importlib.import_module(module), name)


def submit(kind: str, *, params: dict[str, Any] | None = None, survey_id: int | None = None,
           user_id: int | None = None, timeout: int | None = None, gather: float = 0) -> Job:
    """Record a job and start it (RQ, a thread, or inline in tests, per JOBS_MODE). With `gather` seconds, it
    starts only after that long (a thread's timer; on RQ, the worker's scheduler): a job that works through
    whatever is new when it runs (the answers of every response stored meanwhile) stays queued for that long, so
    the requests in between find it waiting and queue no other. Without it, on RQ, each submit's jobs started as
    soon as the worker was free, and the faster they ran the more of them there were."""
    if kind not in TASKS:
        raise ValueError(f"no task called {kind!r}")
    job = Job(kind=kind, params=params or {}, survey_id=survey_id, created_by=user_id,
              timeout_seconds=timeout or current_app.config["JOB_TIMEOUT_SECONDS"])
    db.session.add(job)
    db.session.commit()
    mode = current_app.config["JOBS_MODE"]
    if mode == "rq":
        from redis import Redis
        from rq import Queue

        queue = Queue(QUEUE, connection=Redis.from_url(current_app.config["REDIS_URL"]))
        run = ("consult.jobs.services.execute_in_worker", job.id)
        if gather > 0:  # RQ's scheduler (in `consult jobs worker`) queues it when due
            queue.enqueue_in(timedelta(seconds=gather), *run, job_timeout=job.timeout_seconds + 30)
        else:
            queue.enqueue(*run, job_timeout=job.timeout_seconds + 30)
    elif mode == "thread":
        app = current_app._get_current_object()
        if gather > 0:
            timer = threading.Timer(gather, _execute_with_app, args=(app, job.id))
            timer.daemon, timer.name = True, f"job-{job.id}"
            timer.start()
        else:
            threading.Thread(target=_execute_with_app, args=(app, job.id), daemon=True, name=f"job-{job.id}").start()
    else:
        execute(job.id)
    return job


def waiting_jobs(kind: str, survey_id: int) -> list[Job]:
    """The survey's jobs of `kind` that are queued and have not started: a job that keeps up with new responses
    is queued again only when none is waiting, since the waiting one will read them too."""
    return list(db.session.scalars(select(Job).where(Job.kind == kind, Job.survey_id == survey_id,
                                                     Job.state == JobState.QUEUED.value)))


def _execute_with_app(app: Flask, job_id: int) -> None:
    with app.app_context():
        execute(job_id)
        db.session.remove()


def execute_in_worker(job_id: int) -> None:
    """Entry point for the RQ worker process."""
    from consult import create_app

    _execute_with_app(create_app(), job_id)


def _progress_reporter(job: Job) -> Callable[[float, str], None]:
    started = time.monotonic()

    def progress(fraction: float, message: str) -> None:
        if time.monotonic() - started > job.timeout_seconds:
            raise JobTimeout(f"Stopped after {job.timeout_seconds} seconds, the time limit for this job")
        # A separate short transaction, so watchers see progress while the task's own work is uncommitted.
        # Best effort: if SQLite's single writer is busy with the task's own writes, skip this update.
        try:
            with db.engine.begin() as connection:
                connection.execute(update(Job).where(Job.id == job.id).values(
                    progress=min(max(fraction, 0.0), 1.0), message=message[:500]))
        except OperationalError:
            log.debug("progress update skipped for job %s", job.id)

    return progress


def execute(job_id: int) -> None:
    """Run one job to its end, recording success or a clear failure."""
    job = db.session.get(Job, job_id)
    if job is None or job.state != JobState.QUEUED.value:
        return
    job.state, job.started_at, job.message = JobState.RUNNING.value, utcnow(), "Started"
    db.session.commit()
    try:
        result = _resolve(job.kind)(job, _progress_reporter(job))
    except Exception as error:  # the job fails; the service goes on
        db.session.rollback()
        job = db.session.get(Job, job_id)
        job.state, job.finished_at = JobState.FAILED.value, utcnow()
        if isinstance(error, JobError):
            job.error = str(error)
        else:
            log.exception("job %s (%s) failed", job_id, job.kind)
            job.error = f"Something went wrong ({type(error).__name__}). The error was logged; try again or tell an admin."
        job.message = "Failed"
    else:
        db.session.refresh(job)
        job.state, job.finished_at, job.result = JobState.FINISHED.value, utcnow(), result
        job.progress, job.message = 1.0, "Finished"
    db.session.commit()


def expire_stale(now=None) -> int:
    """Fail jobs that ran past their limit (say, the server restarted mid-job)."""
    now = now or utcnow()
    stale = [j for j in db.session.scalars(select(Job).where(Job.state.in_(("queued", "running"))))
             if j.created_at + timedelta(seconds=j.timeout_seconds * 2 + 60) < now]
    for job in stale:
        job.state, job.finished_at, job.message = JobState.FAILED.value, now, "Failed"
        job.error = "This job did not finish in time (it may have been interrupted by a restart). Start it again."
    db.session.commit()
    return len(stale)

"""Figures too slow to count while a researcher waits (the codebook's and the agreement figures over a million
answers): counted by a background job and kept (consult.surveys.figure_cache); pages show the kept figures at
once, saying when they were counted and that a job is counting them again, with its progress. A survey of up
to RECOUNT_INLINE_RESPONSES responses has them counted within the request instead: seconds at most.

The job calls the same functions the export and the draft call (they count and keep through `cached`), so
a figure shown is always one of theirs: one rule, one place. With JOBS_MODE=inline (tests) the job runs
within the request, and the page shows the figures just counted.
"""
from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import func, select

from consult.extensions import db
from consult.jobs.models import Job, JobState
from consult.jobs.services import expire_stale, submit, task
from consult.surveys.figure_cache import kept
from consult.surveys.models import Survey

KIND = "figures_recount"
TIMEOUT_SECONDS = 1800
# figure set -> "module:function" taking (survey, progress, **args) and counting (and keeping) each figure.
RECOUNTERS: dict[str, str] = {}


@dataclass(frozen=True)
class Recount:
    values: list[Any]  # each kept figure (None: never counted), current or not
    current: bool  # every one counted since the last change
    counted_at: datetime | None  # when the oldest of them was counted
    job: Job | None  # the job counting them again, while it runs

    @property
    def percent(self) -> int:
        return round((self.job.progress if self.job else 0) * 100)


def recounter(figures: str) -> Callable:
    def register(function: Callable) -> Callable:
        RECOUNTERS[figures] = f"{function.__module__}:{function.__name__}"
        return function
    return register


def kept_or_recounting(survey_id: int, figures: str, watched: list[tuple[str, str]], args: dict) -> Recount:
    """The kept values of `watched` ([(name, depends)] as their functions keep them); when any is missing or
    out of date, a job counts the set again (one job at a time for the same set and arguments)."""
    def kept_now() -> list[tuple[Any, bool, datetime | None]]:
        return [kept(survey_id, name, depends=depends) for name, depends in watched]

    found = kept_now()
    if all(current for _value, current, _at in found):
        return _recount(found, None)
    if _small(survey_id):  # seconds at most: count now, as the page would before figures were kept
        _count(db.session.get(Survey, survey_id), figures, args, lambda *_: None)
        return _recount(kept_now(), None)
    params = {"figures": figures, "args": args, "title": "Counting figures again"}
    expire_stale()  # a job cut off by a restart would otherwise stand in the way until someone looked at it
    running = [job for job in db.session.scalars(select(Job).where(
        Job.survey_id == survey_id, Job.kind == KIND, Job.state.in_((JobState.QUEUED.value, JobState.RUNNING.value))))
        if job.params.get("figures") == figures and job.params.get("args") == args]
    job = running[0] if running else submit(KIND, params=params, survey_id=survey_id, timeout=TIMEOUT_SECONDS)
    if job.done:  # run within the request (JOBS_MODE=inline), or already finished
        return _recount(kept_now(), None)
    return _recount(found, job)


def _small(survey_id: int) -> bool:
    limit = current_app.config.get("RECOUNT_INLINE_RESPONSES", 0)
    response = db.metadata.tables["response"]  # by name: responses come after surveys
    capped = select(response.c.id).where(response.c.survey_id == survey_id).limit(limit + 1).subquery()
    return db.session.scalar(select(func.count()).select_from(capped)) <= limit


def _count(survey: Survey, figures: str, args: dict, progress: Callable[[float, str], None]) -> None:
    module, name = RECOUNTERS[figures].split(":")
    getattr(importlib.import_module(module), name)(survey, progress, **args)


def _recount(found: list[tuple[Any, bool, datetime | None]], job: Job | None) -> Recount:
    times = [at for _value, _current, at in found if at is not None]
    return Recount(values=[value for value, _current, _at in found], current=all(c for _v, c, _a in found),
                   counted_at=min(times) if len(times) == len(found) else None, job=job)


@task(KIND)
def recount(job: Job, progress: Callable[[float, str], None]) -> dict[str, Any]:
    """Count a set of figures again and keep them."""
    _count(db.session.get(Survey, job.survey_id), job.params["figures"], job.params.get("args", {}), progress)
    return {"summary": "The figures have been counted."}

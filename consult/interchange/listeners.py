"""Exports keep up with erasure: a response erased at its respondent's request is in no export file anyone
can still download (every background export of its survey is deleted; they also expire after EXPORT_TTL_HOURS)."""
from __future__ import annotations

from consult.jobs.files import discard_survey_files
from consult.responses.signals import response_erased


@response_erased.connect
def discard_exports(_sender, *, survey_id: int, **_extra) -> None:
    discard_survey_files(survey_id, "export")

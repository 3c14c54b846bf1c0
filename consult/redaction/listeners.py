"""Redaction keeps up with the responses: each new answer is read by the machine redactor once, in a background
job, and its spans stored for researchers to check."""
from __future__ import annotations

from consult.redaction.services import queue_redaction
from consult.responses.signals import responses_stored


@responses_stored.connect
def redact_new_responses(_sender, *, survey_id: int, response_ids: list[int], **_extra) -> None:
    queue_redaction(survey_id)

"""Sentence vectors keep up with the responses: each new answer's is worked out once, in a background job, when the
optional model is installed (consult.coding.vectors)."""
from __future__ import annotations

from consult.coding.vectors import queue_vectors
from consult.responses.signals import responses_stored


@responses_stored.connect
def embed_new_answers(_sender, *, survey_id: int, response_ids: list[int], **_extra) -> None:
    queue_vectors(survey_id)

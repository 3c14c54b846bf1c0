"""Drafts keep up with erasure: a response erased at its respondent's request leaves every stored version
(and so the published outcome); its moderation decision goes with the response itself (ON DELETE CASCADE)."""
from __future__ import annotations

from consult.principles.withdrawal import withdraw_response
from consult.responses.signals import response_erased


@response_erased.connect
def withdraw_from_drafts(_sender, *, survey_id: int, reference: str, answer_ids=(), **_extra) -> None:
    withdraw_response(survey_id, reference, list(answer_ids))

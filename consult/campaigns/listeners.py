"""Campaign detection keeps up with the responses: new responses are signed in a background job, and a survey
that closes has its campaigns found once, so the first draft after closing need not look for them."""
from __future__ import annotations

from consult.campaigns.services import queue_signatures
from consult.responses.signals import responses_stored
from consult.surveys.signals import survey_closed


@responses_stored.connect
def sign_new_responses(_sender, *, survey_id: int, response_ids: list[int], **_extra) -> None:
    queue_signatures(survey_id)


@survey_closed.connect
def find_campaigns_on_closing(_sender, *, survey_id: int, **_extra) -> None:
    queue_signatures(survey_id, find=True)

"""Found themes keep up with erasure: an erased response's answers leave every stored proposal."""
from __future__ import annotations

from consult.responses.signals import response_erased
from consult.workspace.discovery import forget_answers


@response_erased.connect
def forget_erased_answers(_sender, *, survey_id: int, answer_ids=(), **_extra) -> None:
    forget_answers(survey_id, list(answer_ids))

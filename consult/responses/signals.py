"""What the responses stage announces, for the parts downstream of it to act on (blinker signals, as Flask
and Indico use them). Each is sent after the change is committed; a receiver must not undo it.

- `responses_stored`: new responses were stored (a respondent's submit, an import, workshop notes).
  Sent with `survey_id` and `response_ids`.
- `response_erased`: a response was erased at its respondent's request. Sent with `survey_id`,
  `response_id`, `reference` and `answer_ids` (its answers' ids, which stored documents may cite) once
  every row of it has gone.
"""
from __future__ import annotations

from blinker import Namespace

_signals = Namespace()
responses_stored = _signals.signal("responses-stored")
response_erased = _signals.signal("response-erased")

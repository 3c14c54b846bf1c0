"""What the surveys stage announces (blinker signals, sent after the change is committed).

- `survey_closed`: a survey stopped taking answers (closed by staff). Sent with `survey_id`.
"""
from __future__ import annotations

from blinker import Namespace

_signals = Namespace()
survey_closed = _signals.signal("survey-closed")

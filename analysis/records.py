"""Plain records passed in and out of the analysis package (no Flask, no ORM)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Answer:
    """One free-text answer; `codes` holds the human codes where it has been coded, and
    `context` what the answer answers (e.g. the question), which can change its meaning."""

    id: str
    text: str
    codes: tuple[str, ...] = ()
    context: str = ""


@dataclass(frozen=True, slots=True)
class CodeScore:
    code: str
    probability: float


@dataclass(frozen=True, slots=True)
class Suggestion:
    """Codes suggested for one answer.

    `route` is "auto" when every code's probability is far enough from 0.5 to assign
    without a person, else "review"; `review_rank` orders the review queue, 1 = most
    informative to code by hand next (least certain).
    """

    answer_id: str
    codes: tuple[str, ...]
    scores: tuple[CodeScore, ...]
    confidence: float
    route: str
    review_rank: int


@dataclass(frozen=True, slots=True)
class Theme:
    id: int
    label: str
    terms: tuple[str, ...]
    answer_ids: tuple[str, ...]
    exemplar_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Campaign:
    """A group of answers that are copies or near-copies of one text."""

    id: int
    answer_ids: tuple[str, ...]
    representative_id: str
    min_similarity: float


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    label: str


@dataclass(frozen=True, slots=True)
class Redaction:
    text: str
    spans: tuple[Span, ...]


def as_plain(record: Any) -> Any:
    """A record as JSON-ready dicts/lists (dataclasses.asdict deep-copies every leaf,
    which dominated writing 100,000 suggestions)."""
    if hasattr(record, "__dataclass_fields__"):
        return {name: as_plain(getattr(record, name)) for name in record.__dataclass_fields__}
    if isinstance(record, (tuple, list)):
        return [as_plain(item) for item in record]
    return record

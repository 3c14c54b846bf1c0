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
class ThemeOverlap:
    """How far a proposed theme covers the same answers as a theme already in the codebook:
    `shared` of the proposal's answers are that theme's (coded, or scored into it from its texts),
    `share` = shared / the proposal's answers."""

    theme: str
    shared: int
    share: float


@dataclass(frozen=True, slots=True)
class Theme:
    """A theme found in answers nobody has coded. Members are soft, as people code: an answer can
    hold several themes. `answer_ids` holds every member, strongest first, with its `weights`
    (0-1, 1 = the answer most typical of the theme); `size` = len(answer_ids)."""

    id: int
    label: str
    description: str
    terms: tuple[str, ...]
    answer_ids: tuple[str, ...]
    weights: tuple[float, ...]
    exemplar_ids: tuple[str, ...]
    overlaps: tuple[ThemeOverlap, ...] = ()

    @property
    def size(self) -> int:
        return len(self.answer_ids)


@dataclass(frozen=True, slots=True)
class CodebookTheme:
    """A theme people accepted, as few-shot suggestion and overlap read it: its texts, and the
    answers people coded with it (if any)."""

    name: str
    description: str = ""
    include: str = ""  # inclusion notes: what belongs
    exclude: str = ""  # exclusion notes: what does not
    examples: tuple[str, ...] = ()  # example answer texts
    member_ids: tuple[str, ...] = ()  # answers coded with it


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

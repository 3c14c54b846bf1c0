"""Input records for drafting principles: the coded evidence of one survey, as plain
frozen data. The app builds an Evidence from its database; analysis.principles turns it
into a draft document.

At 100,000 responses the app hands over columns rather than one object per row:
`Respondents` and `Answers` are sequences of `Respondent` and `CodedAnswer` records kept as
parallel tuples, votes and closed answers may come already counted (`tally`, `counts`),
and `vote_lookup` fetches the few respondents' votes that drafting samples. Records
(tuples of `Respondent`, `CodedAnswer`, votes as pairs) are accepted everywhere too and
give the same draft.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

GROUPS = ("community", "councils", "others")
GROUP_LABELS = {
    "community": "Community organisations",
    "councils": "Councils and commissioners",
    "others": "Others",
}
SCALE = (
    ("strongly_agree", "Strongly agree"),
    ("agree", "Agree"),
    ("neither", "Neither agree nor disagree"),
    ("disagree", "Disagree"),
    ("strongly_disagree", "Strongly disagree"),
    ("dont_know", "Don't know"),
)
AGREE = frozenset({"strongly_agree", "agree"})
DISAGREE = frozenset({"disagree", "strongly_disagree"})


@dataclass(frozen=True, slots=True)
class Respondent:
    id: str  # the response reference, e.g. "KIL-7K2M-9QXD-4TRW"
    group: str  # "community" | "councils" | "others"
    respondent_type: str | None  # readable label, e.g. "Councillor"
    channel: str  # web | email | paper | workshop
    # None: may not be quoted. Else the attribution they chose:
    # "Sam Jones" / "A charity (Hilltop Trust)" / "Anonymous respondent"
    quote_as: str | None
    demo: bool = False


@dataclass(frozen=True, slots=True)
class CodedAnswer:
    id: str
    respondent_id: str
    question_key: str
    text: str  # raw text as given: redact before quoting
    themes: tuple[str, ...]  # the final coding: theme names


class _Columns(Sequence):
    """A sequence of records stored as one tuple per field (cheap to build from query rows)."""

    record: type
    __slots__ = ()

    def __init__(self, **columns: Iterable[Any]):
        values = {f.name: tuple(columns[f.name]) for f in fields(self.record)}
        sizes = {len(column) for column in values.values()}
        if len(sizes) > 1:
            raise ValueError(f"columns of unequal length: {sorted(sizes)}")
        for name, column in values.items():
            object.__setattr__(self, name, column)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("columns are read-only")

    @classmethod
    def of(cls, items: Sequence[Any]) -> _Columns:
        """These columns as they are, or built from a sequence of records."""
        if isinstance(items, cls):
            return items
        names = [f.name for f in fields(cls.record)]
        rows = list(items)
        return cls(**{name: [getattr(r, name) for r in rows] for name in names})

    def __len__(self) -> int:
        return len(getattr(self, fields(self.record)[0].name))

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        return self.record(*(getattr(self, f.name)[i] for f in fields(self.record)))

    def __iter__(self) -> Iterator:
        return map(self.record, *(getattr(self, f.name) for f in fields(self.record)))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]


class Respondents(_Columns):
    record = Respondent
    __slots__ = ("id", "group", "respondent_type", "channel", "quote_as", "demo")


class Answers(_Columns):
    record = CodedAnswer
    __slots__ = ("id", "respondent_id", "question_key", "text", "themes")


@dataclass(frozen=True, slots=True)
class ConsultedPrinciple:
    number: int
    statement: str
    explanation: str
    agreement_key: str  # key of its agree_scale question
    why_key: str  # key of its "why?" long-text question
    votes: tuple[tuple[str, str], ...] = ()  # (respondent_id, scale value from SCALE)
    # The votes already counted, used instead of `votes` when given: (scale value, group or
    # None for a voter who is not among the respondents, count). Evidence.vote_lookup then
    # gives individual votes.
    tally: tuple[tuple[str, str | None, int], ...] | None = None


@dataclass(frozen=True, slots=True)
class ClosedQuestion:
    key: str
    title: str
    kind: str
    options: tuple[tuple[str, str], ...]  # (value, label) in display order
    answers: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (respondent_id, chosen values)
    # Already counted, used instead of `answers` when given: respondents choosing each
    # option (options order), respondents who chose anything, and whether each chose one value.
    counts: tuple[int, ...] | None = None
    answered: int = 0
    single_valued: bool = True


@dataclass(frozen=True, slots=True)
class ThemeEntry:
    name: str
    parent: str | None
    description: str


PER_CODE_MIN = 30  # a code's own agreement figures are reported only when they rest on this many answers


@dataclass(frozen=True, slots=True)
class AgreementRow:
    """Agreement between the people who coded: over every code ("All codes"), or for one code."""

    label: str
    alpha: float | None  # Krippendorff's alpha (MASI distance between code sets); all codes only
    kappa: float | None  # Cohen's kappa, averaged over the pairs of coders (weighted by answers in common)
    n: int  # answers coded by two or more people (for one code: those where any of them used it)


@dataclass(frozen=True, slots=True)
class CodingFacts:
    coders: int
    coded_answers: int
    double_coded: int  # answers in double-coding samples
    agreement: tuple[AgreementRow, ...]  # "All codes" first, then each code with enough double-coded answers
    machine_suggested: int  # machine suggestions on codable answers, whatever became of them
    machine_accepted: int
    machine_rejected: int
    coder_roles: tuple[tuple[str, int], ...] = ()  # (role, people who coded): ("researcher", 2)

    @property
    def machine_pending(self) -> int:
        return self.machine_suggested - self.machine_accepted - self.machine_rejected


# (agreement_key, respondent ids) -> {respondent id: scale value} for those who voted.
VoteLookup = Callable[[str, Sequence[str]], dict[str, str]]


@dataclass(frozen=True, slots=True)
class Evidence:
    survey_title: str
    survey_slug: str
    generated_at: str  # ISO 8601 UTC, passed in: analysis never reads the clock
    closes_at: str
    respondents: Sequence[Respondent]  # a tuple of records or Respondents
    answers: Sequence[CodedAnswer]  # a tuple of records or Answers, in answer order
    principles: tuple[ConsultedPrinciple, ...]
    questions: tuple[ClosedQuestion, ...]
    codebook: tuple[ThemeEntry, ...]
    coding: CodingFacts
    min_cell: int = 5
    demo: bool = False
    vote_lookup: VoteLookup | None = field(default=None, compare=False)
    # True when the caller has already redacted the answers' texts (its people may have undone or added
    # redactions): the draft then prints them as given instead of redacting them again, except the answers in
    # `unredacted` (ids of answers the caller has not redacted yet), which are redacted as they are printed.
    redacted: bool = False
    unredacted: frozenset[str] = frozenset()

    def printable(self, text: str, answer_ids: Iterable[str] = ()) -> str:
        """`text` (an answer or a slice of one, from the answers `answer_ids`) as the draft may print it:
        redacted."""
        if self.redacted and not (self.unredacted and any(a in self.unredacted for a in answer_ids)):
            return text
        from analysis.redact import redact

        return redact(text).text

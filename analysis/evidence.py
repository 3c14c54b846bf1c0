"""Input records for drafting principles: the coded evidence of one survey, as plain
frozen data. The app builds an Evidence from its database; analysis.principles turns it
into a draft document."""

from __future__ import annotations

from dataclasses import dataclass

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


@dataclass(frozen=True, slots=True)
class ConsultedPrinciple:
    number: int
    statement: str
    explanation: str
    agreement_key: str  # key of its agree_scale question
    why_key: str  # key of its "why?" long-text question
    votes: tuple[tuple[str, str], ...]  # (respondent_id, scale value from SCALE)


@dataclass(frozen=True, slots=True)
class ClosedQuestion:
    key: str
    title: str
    kind: str
    options: tuple[tuple[str, str], ...]  # (value, label) in display order
    answers: tuple[tuple[str, tuple[str, ...]], ...]  # (respondent_id, chosen values)


@dataclass(frozen=True, slots=True)
class ThemeEntry:
    name: str
    parent: str | None
    description: str


@dataclass(frozen=True, slots=True)
class CodingFacts:
    coders: int
    coded_answers: int
    double_coded: int  # answers in double-coding samples
    agreement: tuple[tuple[str, float | None, int], ...]  # (label, value, n answers)
    machine_suggested: int
    machine_accepted: int
    machine_rejected: int


@dataclass(frozen=True, slots=True)
class Evidence:
    survey_title: str
    survey_slug: str
    generated_at: str  # ISO 8601 UTC, passed in: analysis never reads the clock
    closes_at: str
    respondents: tuple[Respondent, ...]
    answers: tuple[CodedAnswer, ...]
    principles: tuple[ConsultedPrinciple, ...]
    questions: tuple[ClosedQuestion, ...]
    codebook: tuple[ThemeEntry, ...]
    coding: CodingFacts
    min_cell: int = 5
    demo: bool = False

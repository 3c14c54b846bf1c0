"""Draft commissioning principles from coded evidence: the DOCUMENT (format 2) that the
report renderer prints and staff edit.

Every text in the document is either a figure, a name from the codebook or the survey,
or a redacted slice of a real answer from a respondent who agreed to be quoted. Organised
campaigns count once towards themes and quotes (through their representative);
their members are still counted as respondents and in the agreement figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from analysis.draft_campaigns import detect_campaigns
from analysis.draft_edits import apply_edits, compare  # noqa: F401  (part of this module's API)
from analysis.draft_figures import answers_per_theme, counts, questions
from analysis.draft_sections import Draft
from analysis.draft_text import executive_summary, methodology
from analysis.evidence import Answers, Evidence, Respondents
from analysis.extractive import fast_analyzer
from analysis.records import Campaign
from analysis.text import Analyzer

FORMAT = 2


@cache
def _english() -> Analyzer:
    """Kept for the process: its stemmer's memo then serves every later draft."""
    return fast_analyzer("en")


def build_draft(
    evidence: Evidence, *, seed: int = 0, campaigns: Sequence[Campaign] | None = None,
    analyzer: Analyzer | None = None,
) -> dict:
    """The draft DOCUMENT for `evidence`. Same evidence, seed and campaigns, same document.

    `campaigns` (from detect_campaigns on the same evidence) saves detecting them again;
    `analyzer` (text -> terms for TF-IDF) defaults to English."""
    if campaigns is None:
        campaigns = detect_campaigns(evidence, seed=seed)
    draft = Draft(evidence, seed, campaigns, analyzer or _english())
    principles, barriers = draft.principles()
    counted = answers_per_theme(Answers.of(evidence.answers).themes)
    document = {
        "format": FORMAT,
        "survey": {
            "title": evidence.survey_title, "slug": evidence.survey_slug,
            "closes_at": evidence.closes_at, "generated_at": evidence.generated_at,
        },
        "demo": evidence.demo or any(Respondents.of(evidence.respondents).demo),
        "min_cell": evidence.min_cell,
        "counts": counts(evidence, campaigns),
        "themes": draft.themes_overview(),
        "principles": principles,
        "barriers": barriers,
        "questions": questions(evidence),
        "codebook": [
            {"name": t.name, "parent": t.parent, "description": t.description, "count": counted.get(t.name, 0)}
            for t in evidence.codebook
        ],
    }
    document["executive_summary"] = executive_summary(document)
    document["methodology"] = methodology(document, evidence.coding)
    return document

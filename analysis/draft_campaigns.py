"""Which respondents' free text is compared for organised campaigns, and finding the
campaigns of a survey's evidence (analysis.campaigns does the grouping)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from analysis.evidence import Answers, Evidence, Respondents
from analysis.records import Answer, Campaign


def campaign_text(texts: Sequence[str]) -> str:
    """What campaign detection compares for one respondent: their free-text answers, in
    answer order, stripped and joined by line breaks ("" when they wrote nothing)."""
    return "\n".join(t.strip() for t in texts if t.strip())


def detect_campaigns(evidence: Evidence, *, seed: int = 0) -> list[Campaign]:
    """Campaigns over each respondent's campaign_text, respondents in evidence order;
    Campaign.answer_ids hold respondent ids. The app may find them from signatures stored
    with each response instead (analysis.campaigns.find_campaigns_signed) and pass them to
    build_draft: detecting them here is the slowest part of drafting."""
    from analysis.campaigns import find_campaigns

    answers = Answers.of(evidence.answers)
    texts: dict[str, list[str]] = defaultdict(list)
    for rid, text in zip(answers.respondent_id, answers.text):
        texts[rid].append(text)
    order = list(dict.fromkeys([*Respondents.of(evidence.respondents).id, *texts]))
    joined = ((rid, campaign_text(texts.get(rid, ()))) for rid in order)
    return find_campaigns([Answer(rid, text) for rid, text in joined if text], seed=seed)

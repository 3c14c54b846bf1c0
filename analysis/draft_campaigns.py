"""Which respondents' free text is compared for organised campaigns, and finding the
campaigns of a survey's evidence (analysis.campaigns does the grouping)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TypeVar

from analysis.evidence import Answers, Evidence, Respondents
from analysis.records import Answer, Campaign

T = TypeVar("T")


def campaign_text(texts: Sequence[str]) -> str:
    """What campaign detection compares for one respondent: their free-text answers, in
    answer order, stripped and joined by line breaks ("" when they wrote nothing)."""
    return "\n".join(t.strip() for t in texts if t.strip())


def voice(members: Sequence[T], central: T, may_quote: Callable[[T], bool]) -> T:
    """The member who speaks for a campaign, once, in theme counts and quotes: the most central member if
    its author agreed to be quoted, else the first member who did, else the most central."""
    if may_quote(central):
        return central
    return next((m for m in members if may_quote(m)), central)


def detect_campaigns(evidence: Evidence, *, seed: int = 0) -> list[Campaign]:
    """Campaigns over each respondent's campaign_text, respondents in evidence order;
    Campaign.answer_ids hold respondent ids and `representative_id` the campaign's voice. The app may
    find them from signatures stored with each response instead (analysis.campaigns.find_campaigns_signed)
    and pass them to build_draft: detecting them here is the slowest part of drafting."""
    from analysis.campaigns import find_campaigns

    answers = Answers.of(evidence.answers)
    texts: dict[str, list[str]] = defaultdict(list)
    for rid, text in zip(answers.respondent_id, answers.text):
        texts[rid].append(text)
    people = Respondents.of(evidence.respondents)
    order = list(dict.fromkeys([*people.id, *texts]))
    joined = ((rid, campaign_text(texts.get(rid, ()))) for rid in order)
    quoted = {rid for rid, quote_as in zip(people.id, people.quote_as) if quote_as is not None}
    return [replace(c, representative_id=voice(c.answer_ids, c.representative_id, quoted.__contains__))
            for c in find_campaigns([Answer(rid, text) for rid, text in joined if text], seed=seed)]

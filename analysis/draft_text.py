"""Executive summary and methodology paragraphs of a draft, written from its figures only:
plain factual sentences, no opinions that the figures do not show."""

from __future__ import annotations

from analysis.evidence import CodingFacts
from analysis.records import as_plain
from analysis.shares import percent_text
from analysis.suppression import count_text, explanation

CHANNEL_NAMES = {"web": "the online survey", "email": "email", "paper": "paper forms", "workshop": "workshops"}


def number(n: int | None, min_cell: int) -> str:
    return count_text(n)


def listing(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def agreed(a: dict, *, disagreed: bool = True) -> str:
    """"412 answered: 71% agreed and 12% disagreed", saying which shares are withheld."""
    shown, hidden = [], []
    for key, word in (("agree_percent", "agreed"), ("disagree_percent", "disagreed"))[: 2 if disagreed else 1]:
        if a[key] is None:
            hidden.append(word)
        else:
            shown.append(f"{percent_text(a[key])} {word}")
    text = f"{a['total']:,} answered" + (": " + " and ".join(shown) if shown else "")
    if hidden:
        text += (f"; the share{'s' if len(hidden) > 1 else ''} who {' and who '.join(hidden)} "
                 f"{'are' if len(hidden) > 1 else 'is'} withheld to protect small numbers")
    return text


def principle_name(p: dict) -> str:
    return f"Principle {p['number']}, “{p['headline']}”"


def campaign_groups(counts: dict) -> int:
    """How many campaigns were found (drafts made before only the largest were listed hold them all)."""
    return counts.get("campaign_groups", len(counts.get("campaigns") or []))


def executive_summary(doc: dict) -> list[str]:
    counts, min_cell = doc["counts"], doc["min_cell"]
    paragraphs = []
    if doc["demo"]:
        paragraphs.append("This draft is built from demonstration data, not from real consultation responses.")
    groups = [f"{number(g['count'], min_cell)} from {g['label'].lower()}" for g in counts["by_group"]]
    text = (
        f"{counts['respondents']:,} people and organisations responded to “{doc['survey']['title']}”: "
        f"{listing(groups)}."
    )
    found = campaign_groups(counts)
    if found:
        text += (
            f" {counts['campaign_responses']:,} responses came from {found:,} organised "
            f"campaign{'s' if found != 1 else ''} of near-identical answers; each campaign "
            "counts once in the themes and quotes."
        )
    else:
        text += " We found no organised campaigns of near-identical answers."
    paragraphs.append(text)

    consulted = [p for p in doc["principles"] if p["source"] == "consulted"]
    supported = [p for p in consulted if p["status"] == "supported"]
    if any(p["agreement"]["total"] for p in consulted):
        text = f"More than half of those who answered agreed with {len(supported)} of the {len(consulted)} consulted principles"
        if supported:
            text += ": " + listing([f"{principle_name(p)} ({agreed(p['agreement'], disagreed=False)})" for p in supported])
        paragraphs.append(text + ".")
    for p in consulted:
        figures = agreed(p["agreement"])
        if not p["agreement"]["total"]:
            paragraphs.append(f"No one said how far they agree with {principle_name(p)}.")
        elif p["status"] == "rejected":
            paragraphs.append(
                f"More respondents disagreed than agreed with {principle_name(p)} ({figures}). "
                "The reasons they gave are set out with the principle."
            )
        elif p["status"] == "mixed":
            paragraphs.append(f"Views were mixed on {principle_name(p)} ({figures}).")

    top = [t for t in doc["themes"]["rows"] if t["respondents"] is not None][:5]
    if top:
        paragraphs.append(
            "The themes raised by the most respondents (each campaign counted once) were "
            + listing([f"{t['name']} ({t['respondents']:,} respondents)" for t in top])
            + "."
        )
    new = [p for p in doc["principles"] if p["source"] == "new"]
    if new:
        paragraphs.append(
            f"{len(new)} theme{' was' if len(new) == 1 else 's were'} raised often but not covered by any "
            f"consulted principle, and {'is proposed as a candidate new principle' if len(new) == 1 else 'are proposed as candidate new principles'}: "
            f"{listing([p['headline'] for p in new])}."
        )
    else:
        paragraphs.append("Every theme raised often is covered by a consulted principle; no new principle is proposed.")
    return paragraphs


def methodology(doc: dict, coding: CodingFacts) -> dict:
    counts, min_cell = doc["counts"], doc["min_cell"]
    paragraphs = []
    channels = [f"{CHANNEL_NAMES.get(c['channel'], c['channel'])} ({number(c['count'], min_cell)})" for c in counts["by_channel"]]
    paragraphs.append(f"We received {counts['respondents']:,} responses, through {listing(channels)}.")
    types = [f"{t['label']} ({number(t['count'], min_cell)})" for t in counts["by_type"]]
    if types:
        paragraphs.append(f"Respondents described themselves as: {listing(types)}.")
    paragraphs.append(
        f"{coding.coders:,} {'person' if coding.coders == 1 else 'people'} coded {coding.coded_answers:,} free-text "
        f"answers against a codebook of {len(doc['codebook'])} themes. {coding.double_coded:,} answers were coded "
        "independently by more than one coder to check that codes were applied consistently."
    )
    if coding.agreement:
        figures = [
            f"{label}: {'not enough data' if value is None else f'{value:.2f}'} ({n:,} answers)"
            for label, value, n in coding.agreement
        ]
        paragraphs.append(f"Agreement between coders: {'; '.join(figures)}.")
    if coding.machine_suggested:
        paragraphs.append(
            f"A computer model made {coding.machine_suggested:,} code suggestions. Coders accepted "
            f"{coding.machine_accepted:,} and rejected {coding.machine_rejected:,} of them."
        )
    else:
        paragraphs.append("No machine code suggestions were used.")
    groups = campaign_groups(counts)
    listed = len(counts["campaigns"])
    paragraphs.append(
        "We looked for organised campaigns: groups of at least 3 responses whose free text is near-identical. "
        f"We found {groups:,} such campaign{'s' if groups != 1 else ''}, with "
        f"{counts['campaign_responses']:,} responses in total. Campaign responses are counted as responses and in "
        "the agreement figures, but each campaign counts once in the themes and the quotes."
        + (f" The {listed} largest campaigns are listed below with their shared text." if listed < groups else "")
    )
    paragraphs.append(
        "The “what we heard” summaries and the reasons for and against are sentences taken word for word from "
        "answers, chosen by a computer to be typical of the answers to each principle and different from each "
        "other. They and the quotes come only from respondents who agreed to be quoted; quotes are attributed as "
        "each respondent chose. Personal details such as names, email addresses and phone numbers have been "
        "replaced by a label in square brackets."
    )
    paragraphs.append(
        f"A theme raised by at least 5% of respondents (and at least {min_cell}) that no consulted principle "
        "covers is proposed as a candidate new principle. " + explanation(min_cell)
    )
    return {
        "paragraphs": paragraphs,
        "channels": counts["by_channel"],
        "coding": as_plain(coding),
        "campaigns": {"groups": groups, "responses": counts["campaign_responses"]},
    }

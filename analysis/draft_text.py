"""Executive summary and methodology paragraphs of a draft, written from its figures only:
plain factual sentences, no opinions that the figures do not show."""

from __future__ import annotations

from analysis.attribution import with_article
from analysis.draft_themes import NEW_THEME_SHARE, RECOMMEND_SHARE
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
    counts = doc["counts"]
    paragraphs = []
    if doc["demo"]:
        paragraphs.append("This draft is built from demonstration data, not from real consultation responses.")
    groups = [f"{g['count']:,} from {g['label'].lower()}" if g["count"] is not None else
              f"some from {g['label'].lower()} (the number is withheld to protect small numbers)"
              for g in counts["by_group"]]
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
        text = (f"More than half of those who answered agreed with {len(supported)} of the {len(consulted)} "
                "consulted principles")
        if supported:
            text += f" ({listing([str(p['number']) for p in supported])}); the table below gives each one's figures"
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
        numbers = (f"candidate principle {new[0]['number']}" if len(new) == 1
                   else f"candidate principles {new[0]['number']} to {new[-1]['number']}")
        paragraphs.append(
            f"Respondents also recommended action on {len(new)} theme{'s' if len(new) != 1 else ''} that no consulted "
            f"principle covers: {listing([p.get('theme') or p['headline'] for p in new])}. We propose "
            f"{'it' if len(new) == 1 else 'them'} as {numbers}, each headed by a respondent's own recommendation."
        )
    else:
        paragraphs.append("No theme outside the consulted principles drew enough recommendations to propose a new "
                          "principle.")
    barriers = doc.get("barriers") or []
    if barriers:
        paragraphs.append(
            "Respondents also described what gets in the way: "
            + listing([f"{b['theme']} ({b['raised_by']:,} respondents)" for b in barriers]) + "."
        )
    return paragraphs


ROLE_NAMES = {"admin": ("administrator", "administrators"), "researcher": ("researcher", "researchers"),
              "staff": ("staff member", "staff members")}
TYPES_LISTED = 6


def _people(n: int, one: str = "person", many: str = "people") -> str:
    return f"{n:,} {one if n == 1 else many}"


def coders_by_role(roles) -> str:
    """'2 researchers and 1 administrator': coders are named by their role, never by their email address."""
    return listing([with_article(ROLE_NAMES.get(role, (role,))[0]) if n == 1 else
                    _people(n, *ROLE_NAMES.get(role, (role, role + "s"))) for role, n in roles])


def agreement_sentences(coding: CodingFacts) -> list[str]:
    if not coding.agreement:
        return []
    overall = coding.agreement[0]
    figures = [f"Krippendorff's alpha was {overall.alpha:.2f}" if overall.alpha is not None else None,
               f"Cohen's kappa {overall.kappa:.2f}" if overall.kappa is not None else None]
    shown = [f for f in figures if f]
    if not shown:
        return [f"Too few answers were coded twice ({overall.n:,}) to measure how consistently the codes were applied."]
    return [f"Over all codes, {' and '.join(shown)}, on {overall.n:,} answers coded by two people.",
            "Both run from 0, no better than chance, to 1, complete agreement; 0.8 or more is usually taken as "
            "reliable, and 0.67 to 0.8 as enough for tentative conclusions."]


def methodology(doc: dict, coding: CodingFacts) -> dict:
    """The methods chapter's paragraphs, in short sentences (none over 70 words), and its figures."""
    counts, min_cell = doc["counts"], doc["min_cell"]
    paragraphs = []
    channels = [f"{CHANNEL_NAMES.get(c['channel'], c['channel'])} ({number(c['count'], min_cell)})" for c in counts["by_channel"]]
    paragraphs.append(f"We received {counts['respondents']:,} responses, through {listing(channels)}.")
    types = [f"{t['label']} ({number(t['count'], min_cell)})" for t in counts["by_type"]]
    if types:
        more = len(types) - TYPES_LISTED
        paragraphs.append("Respondents described themselves as: " + listing(
            types[:TYPES_LISTED] + ([f"{more} other type{'s' if more != 1 else ''}"] if more > 0 else []))
            + ("; the table below gives every type." if more > 0 else "."))
    roles = coders_by_role(coding.coder_roles)
    who = roles if roles and sum(n for _, n in coding.coder_roles) == coding.coders else _people(coding.coders)
    paragraphs.append(
        f"{who[:1].upper()}{who[1:]} coded {coding.coded_answers:,} free-text answers against a codebook of "
        f"{len(doc['codebook'])} themes."
        + (f" {coding.double_coded:,} answers were coded independently by two people, to check that the codes "
           "were applied consistently." if coding.double_coded else "")
        + "".join(" " + s for s in agreement_sentences(coding)))
    if coding.machine_suggested:
        pending = coding.machine_suggested - coding.machine_accepted - coding.machine_rejected
        paragraphs.append(
            f"A computer model suggested codes for the free-text answers: {coding.machine_suggested:,} suggestions. "
            f"Coders accepted {coding.machine_accepted:,} and rejected {coding.machine_rejected:,}"
            + (f"; {pending:,} were not reviewed and are not in the coding." if pending else ".")
        )
    else:
        paragraphs.append("No computer code suggestions were used: people chose every code.")
    groups = campaign_groups(counts)
    listed = len(counts["campaigns"])
    paragraphs.append(
        "We looked for organised campaigns: groups of at least 3 responses whose free text is near-identical. "
        f"We found {groups:,} such campaign{'s' if groups != 1 else ''}, with {counts['campaign_responses']:,} "
        "responses in total. Campaign responses count as responses and in the agreement figures. Each campaign "
        "counts once in the themes and the quotes."
        + (f" The {listed} largest campaigns are listed below." if listed < groups else "")
    )
    paragraphs.append(
        "The summaries, the reasons for and against and the recommendations are sentences taken word for word from "
        "answers. A computer chose them to be typical of the answers on each subject and different from each other. "
        "Each answer is cited at most once in a chapter. They and the quotes come only from respondents who agreed "
        "to be quoted, attributed as each chose. Names, email addresses and phone numbers are replaced by a label "
        "in square brackets."
    )
    paragraphs.append(
        f"A theme raised by at least {NEW_THEME_SHARE:.0%} of respondents (and at least {min_cell}) that no consulted "
        f"principle covers is proposed as a candidate principle when at least {RECOMMEND_SHARE:.0%} of them (and at "
        f"least {min_cell}) recommended "
        "something about it. Its headline is their most typical recommendation, in their words. Such themes raised "
        "without recommendations are listed under “What gets in the way”."
    )
    paragraphs.append(explanation(min_cell))
    return {
        "paragraphs": paragraphs,
        "channels": counts["by_channel"],
        "coding": as_plain(coding),
        "campaigns": {"groups": groups, "responses": counts["campaign_responses"]},
    }

"""Compose demonstration respondents for the Keep it Local survey: plain data, seeded, no database.

Each planned response carries its answers in the survey's answer format ({key: {"value", "text"}}) and,
for every free-text answer, the themes its sentences were drawn from, so the answers can be coded.
Views differ by principle and by respondent group; a small organised campaign shares one template text.
"""
from __future__ import annotations

import random
import string
from dataclasses import dataclass, field
from typing import Any

from consult.demo import content

AGREE = ("strongly_agree", "agree", "neither", "disagree", "strongly_disagree", "dont_know")
STANCE = {"strongly_agree": "for", "agree": "for", "disagree": "against", "strongly_disagree": "against"}
GROUP = {"community_organisation": "community", "charity": "community", "social_enterprise": "community",
         "commissioner": "councils", "councillor": "councils", "council_officer": "councils"}
TYPES = {"community_organisation": 22, "charity": 17, "social_enterprise": 9, "commissioner": 10, "councillor": 7,
         "council_officer": 10, "policy_expert": 7, "member_of_public": 16, "other": 2}
ORGANISATION_SHARE = {"community_organisation": .9, "charity": .92, "social_enterprise": .9, "commissioner": .6,
                      "council_officer": .4, "councillor": .2, "policy_expert": .6, "member_of_public": .04, "other": .3}
ORGANISATION_TYPES = {"community_organisation": ["community_organisation"], "charity": ["charity"],
                      "social_enterprise": ["social_enterprise"], "commissioner": ["local_authority"] * 3 + ["nhs_body"],
                      "council_officer": ["local_authority"], "councillor": ["local_authority"],
                      "policy_expert": ["research_or_think_tank", "infrastructure_body"],
                      "member_of_public": ["community_organisation", "housing_association"],
                      "other": ["housing_association", "nhs_body", "infrastructure_body"]}
INCOMES = {"community_organisation": ["under_10k", "from_10k_to_100k", "from_10k_to_100k", "from_100k_to_1m"],
           "charity": ["from_10k_to_100k", "from_100k_to_1m", "from_100k_to_1m", "from_1m_to_10m"],
           "social_enterprise": ["from_10k_to_100k", "from_100k_to_1m"], "local_authority": ["over_10m"],
           "nhs_body": ["over_10m"], "housing_association": ["from_1m_to_10m", "over_10m"],
           "infrastructure_body": ["from_100k_to_1m", "from_1m_to_10m"], "research_or_think_tank": ["from_100k_to_1m"]}
# Weights over AGREE per principle and group: principle 3 (local spend) is rejected overall, most of all by councils.
AGREEMENT = {
    1: {"community": [40, 35, 12, 5, 3, 5], "councils": [30, 40, 15, 8, 3, 4], "others": [30, 35, 15, 8, 4, 8]},
    2: {"community": [45, 35, 10, 4, 2, 4], "councils": [20, 35, 20, 15, 5, 5], "others": [35, 35, 15, 5, 3, 7]},
    3: {"community": [12, 18, 20, 27, 15, 8], "councils": [4, 8, 13, 42, 28, 5], "others": [8, 12, 18, 35, 20, 7]},
    4: {"community": [55, 32, 6, 2, 1, 4], "councils": [35, 40, 12, 8, 2, 3], "others": [45, 35, 8, 4, 2, 6]},
    5: {"community": [55, 30, 8, 3, 1, 3], "councils": [20, 35, 20, 15, 5, 5], "others": [30, 35, 15, 10, 3, 7]},
    6: {"community": [50, 35, 8, 3, 1, 3], "councils": [30, 40, 15, 8, 3, 4], "others": [35, 35, 15, 5, 3, 7]},
}
ANSWER_RATE = {"barriers_detail": .7, "what_works": .6, "why": .55, "good_practice": .3, "value_evidence": .3,
               "anything_else": .18}
THEME_BIAS = {"councils": {"budgets": 2, "quality_first": 2, "monitoring": 1.5},
              "community": {"short_term": 2, "scale": 1.5, "full_cost": 1.5}, "others": {"trust": 1.5, "early": 1.5}}
BARRIERS = {"contract_scale": 50, "procurement_process": 55, "price_competition": 40, "short_contracts": 60,
            "monitoring_burden": 35, "payment_by_results": 15, "late_payment": 20, "short_notice": 25,
            "insurance_requirements": 15}
CHANNELS = {"web": 85, "email": 7, "paper": 5, "workshop": 3}
CAMPAIGN_SHARE, PERSONAL_SHARE = 0.05, 0.02
# Words a sentence may start with and still follow an opener like "In our experience, ".
LOWERABLE = {"Our", "The", "We", "Every", "People", "With", "When", "A"}


@dataclass
class Planned:
    """One demonstration response: its answers, channel, and the themes behind each free-text answer."""

    number: int
    channel: str
    answers: dict[str, dict[str, Any]]
    themes: dict[str, list[str]] = field(default_factory=dict)
    campaign: bool = False


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _fill(rng: random.Random, template: str) -> str:
    slots = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    values = {name: rng.choice(content.SLOTS[name]) for name in sorted(slots - {"digits"})}
    if "digits" in slots:
        values["digits"] = f"{rng.randrange(1000):03d}"
    text = template.format(**values)
    return text[0].upper() + text[1:]


def _open(rng: random.Random, sentence: str) -> str:
    opener = rng.choice(content.OPENERS)
    if opener and sentence.split(" ", 1)[0] in LOWERABLE:
        return opener + sentence[0].lower() + sentence[1:]
    return sentence


def _compose(rng: random.Random, pairs: list[tuple[str, str]]) -> tuple[str, list[str]]:
    """Sentences (with their themes) → (answer text, distinct themes in order)."""
    sentences = [_fill(rng, sentence) for _, sentence in pairs]
    sentences[0] = _open(rng, sentences[0])
    if rng.random() < PERSONAL_SHARE:
        sentences.append(_fill(rng, rng.choice(content.PERSONAL)))
    return " ".join(sentences), list(dict.fromkeys(theme for theme, _ in pairs))


def _bank_answer(rng: random.Random, key: str, group: str) -> tuple[str, list[str]]:
    bank = content.BANK[key]
    bias = THEME_BIAS[group]
    weights = {theme: bias.get(theme, 1.0) for theme in bank}
    themes: list[str] = []
    for _ in range(rng.choices([1, 2, 3], weights=[45, 40, 15])[0]):
        remaining = {t: w for t, w in weights.items() if t not in themes}
        if remaining:
            themes.append(_pick(rng, remaining))
    return _compose(rng, [(theme, rng.choice(bank[theme])) for theme in themes])


def _why_answer(rng: random.Random, number: int, vote: str | None) -> tuple[str, list[str]]:
    stance = STANCE.get(vote or "", "mixed")
    pool = content.WHY[number][stance]
    pairs = rng.sample(pool, min(len(pool), rng.choices([1, 2], weights=[55, 45])[0]))
    if stance != "mixed" and rng.random() < 0.1:
        pairs.append(rng.choice(content.WHY[number]["mixed"]))
    return _compose(rng, pairs)


def _about(rng: random.Random, kind: str, authorities: list[str]) -> dict[str, dict[str, Any]]:
    """Respondent type, capacity, organisation and area answers."""
    answers: dict[str, dict[str, Any]] = {"respondent_type": {"value": kind, "text": None}}
    if kind == "other":
        answers["respondent_type"]["text"] = rng.choice(content.OTHER_TYPES)
    organisation = rng.random() < ORGANISATION_SHARE[kind]
    answers["capacity"] = {"value": "organisation" if organisation else "individual", "text": None}
    if organisation:
        org_type = rng.choice(ORGANISATION_TYPES[kind])
        name = f"Demo: {rng.choice(content.ORG_PREFIXES)} {rng.choice(content.ORG_KINDS[org_type])}"
        income = rng.choice(INCOMES[org_type]) if rng.random() > 0.05 else "not_known"
        answers["organisation_name"] = {"value": None, "text": name}
        answers["organisation_type"] = {"value": org_type, "text": None}
        answers["organisation_income"] = {"value": income, "text": None}
        if rng.random() < 0.9:
            answers["organisation_areas"] = {"value": sorted(set(rng.choices(authorities, k=rng.randint(1, 3)))),
                                             "text": None}
    elif rng.random() < 0.9:
        answers["local_authority"] = {"value": rng.choice(authorities), "text": None}
    return answers


def _consent(rng: random.Random, number: int, organisation: bool) -> dict[str, dict[str, Any]]:
    weights = ({"with_name": 15, "organisation_only": 35, "anonymous": 35, "not_published": 15} if organisation
               else {"with_name": 20, "anonymous": 55, "not_published": 25})
    consent = _pick(rng, weights)
    answers = {"publish_consent": {"value": consent, "text": None}}
    if consent == "with_name":
        answers["respondent_name"] = {"value": None, "text": f"Demo respondent {number}"}
    contact = "yes" if rng.random() < 0.4 else "no"
    answers["contact_consent"] = {"value": contact, "text": None}
    if contact == "yes":
        answers["contact_email"] = {"value": f"demo.respondent.{number}@example.org", "text": None}
    return answers


def _barriers(rng: random.Random) -> tuple[dict[str, Any], list[str]]:
    count = rng.choices([1, 2, 3, 4, 5], weights=[15, 25, 30, 20, 10])[0]
    chosen: list[str] = []
    while len(chosen) < count:
        choice = _pick(rng, {k: w for k, w in BARRIERS.items() if k not in chosen})
        chosen.append(choice)
    answer: dict[str, Any] = {"value": [b for b in BARRIERS if b in chosen], "text": None}
    themes: list[str] = []
    if rng.random() < 0.06:
        theme, text = rng.choice(content.BARRIER_OTHER)
        answer["value"].append("other")
        answer["text"], themes = text, [theme]
    return answer, themes


def _campaign_text(rng: random.Random) -> str:
    extra = rng.choice(content.CAMPAIGN_EXTRAS)
    return (rng.choice(content.CAMPAIGN_GREETINGS) + content.CAMPAIGN_TEXT + (_fill(rng, extra) if extra else "")
            + rng.choice(content.CAMPAIGN_SIGNOFFS))


def plan(count: int, seed: int, authorities: list[str]) -> list[Planned]:
    """`count` demonstration responses, the same for the same seed and authority list."""
    rng = random.Random(seed)
    focus = rng.sample(authorities, min(len(authorities), 30))
    campaigners = set(rng.sample(range(1, count + 1), round(count * CAMPAIGN_SHARE) if count >= 40 else 0))
    planned = []
    for number in range(1, count + 1):
        areas = focus if rng.random() < 0.8 else authorities
        if number in campaigners:
            planned.append(_campaigner(rng, number, areas))
            continue
        kind = _pick(rng, TYPES)
        group = GROUP.get(kind, "others")
        response = Planned(number, _pick(rng, CHANNELS), _about(rng, kind, areas))
        rate = 0.7 if group == "others" else 1.0
        if rng.random() < 0.92:
            response.answers["barriers"], themes = _barriers(rng)
            if themes:
                response.themes["barriers"] = themes
        for key in ("barriers_detail", "what_works"):
            if rng.random() < ANSWER_RATE[key] * rate:
                text, response.themes[key] = _bank_answer(rng, key, group)
                response.answers[key] = {"value": None, "text": text}
        for number_ in range(1, 7):
            vote = _pick(rng, dict(zip(AGREE, AGREEMENT[number_][group]))) if rng.random() < 0.93 else None
            if vote:
                response.answers[f"principle_{number_}_agreement"] = {"value": vote, "text": None}
            if rng.random() < ANSWER_RATE["why"] * rate:
                text, response.themes[f"principle_{number_}_why"] = _why_answer(rng, number_, vote)
                response.answers[f"principle_{number_}_why"] = {"value": None, "text": text}
        for key in ("good_practice", "value_evidence", "anything_else"):
            if rng.random() < ANSWER_RATE[key] * rate:
                text, response.themes[key] = _bank_answer(rng, key, group)
                response.answers[key] = {"value": None, "text": text}
        response.answers.update(_consent(rng, number, response.answers["capacity"]["value"] == "organisation"))
        planned.append(response)
    return planned


def _campaigner(rng: random.Random, number: int, areas: list[str]) -> Planned:
    """A member of the organised campaign: an individual who strongly agrees and sends the template text."""
    kind = rng.choice(["member_of_public"] * 4 + ["community_organisation"])
    answers: dict[str, dict[str, Any]] = {"respondent_type": {"value": kind, "text": None},
                                          "capacity": {"value": "individual", "text": None},
                                          "local_authority": {"value": rng.choice(areas), "text": None}}
    for principle in range(1, 7):
        answers[f"principle_{principle}_agreement"] = {"value": rng.choice(["strongly_agree"] * 3 + ["agree"]),
                                                       "text": None}
    answers["anything_else"] = {"value": None, "text": _campaign_text(rng)}
    answers.update(_consent(rng, number, False))
    channel = "email" if rng.random() < 0.6 else "web"
    return Planned(number, channel, answers, {"anything_else": list(content.CAMPAIGN_THEMES)}, campaign=True)

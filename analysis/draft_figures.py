"""The figures of a draft: respondent counts, agreement with each consulted principle and
closed-question results, each with small-cell suppression (analysis.suppression)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from itertools import repeat
from operator import attrgetter, itemgetter

import numpy as np

from analysis.evidence import AGREE, DISAGREE, GROUP_LABELS, GROUPS, SCALE, Evidence
from analysis.records import Campaign
from analysis.redact import redact
from analysis.suppression import percent, protect, publishable_sums, table

CHANNELS = ("web", "email", "paper", "workshop")
TEMPLATE_WORDS = 40
SCALE_POSITION = {value: i for i, (value, _) in enumerate(SCALE)}


def counts(evidence: Evidence, campaigns: Sequence[Campaign]) -> dict:
    """counts: respondents, campaign members, and suppressed breakdowns by group, channel and type."""
    people, n = evidence.respondents, len(evidence.respondents)
    group_counts = Counter(map(attrgetter("group"), people))
    groups = [group_counts[g] for g in GROUPS]
    channel_counts = Counter(map(attrgetter("channel"), people))
    channels = [c for c in CHANNELS if channel_counts[c]] + sorted(set(channel_counts) - set(CHANNELS))
    types = Counter(map(attrgetter("respondent_type"), people))
    if None in types:
        types["Not given"] += types.pop(None)
    type_order = sorted(types, key=lambda t: (-types[t], t))
    in_campaigns = sum(len(c.answer_ids) for c in campaigns)
    representatives = {c.representative_id for c in campaigns}
    by_person: dict[str, list[str]] = defaultdict(list)
    for a in evidence.answers:
        if a.respondent_id in representatives:
            by_person[a.respondent_id].append(a.text.strip())
    templates = []
    for c in campaigns:
        words = "\n".join(t for t in by_person[c.representative_id] if t).split()
        short = " ".join(words[:TEMPLATE_WORDS]) + (" …" if len(words) > TEMPLATE_WORDS else "")
        templates.append({"id": c.id, "size": len(c.answer_ids), "template": redact(short).text})
    return {
        "respondents": n,
        "individual_responses": n - in_campaigns,
        "campaign_responses": in_campaigns,
        "by_group": [
            {"group": g, "label": GROUP_LABELS[g], "count": row["count"], "suppressed": row["suppressed"]}
            for g, row in zip(GROUPS, table(groups, n, evidence.min_cell))
        ],
        "by_channel": [
            {"channel": c, "count": row["count"], "suppressed": row["suppressed"]}
            for c, row in zip(channels, table([channel_counts[c] for c in channels], n, evidence.min_cell))
        ],
        "by_type": [
            {"label": t, "count": row["count"], "suppressed": row["suppressed"]}
            for t, row in zip(type_order, table([types[t] for t in type_order], n, evidence.min_cell))
        ],
        "campaigns": templates,
    }


def vote_arrays(votes: Sequence[tuple[str, str]], person_index: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """(person index or -1 when unknown, scale position) per vote."""
    if not votes:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    ids, chosen = tuple(map(itemgetter(0), votes)), tuple(map(itemgetter(1), votes))
    try:  # itemgetter looks every key up in C: twice as fast as map(dict.get) here
        values = np.array(itemgetter(*chosen)(SCALE_POSITION), dtype=np.int64, ndmin=1)
    except KeyError:
        raise ValueError(f"unknown agreement values {sorted(set(chosen) - set(SCALE_POSITION))}") from None
    try:
        people = np.array(itemgetter(*ids)(person_index), dtype=np.int64, ndmin=1)
    except KeyError:
        people = np.fromiter(map(person_index.get, ids, repeat(-1)), dtype=np.int64, count=len(ids))
    return people, values


def agreement(people: np.ndarray, values: np.ndarray, group_codes: np.ndarray, min_cell: int) -> dict:
    """The agreement block of a consulted principle from vote_arrays, plus private
    "_agree"/"_disagree" counts for its status. group_codes[i]: position of person i's
    group in GROUPS, or -1."""
    counts = np.bincount(values, minlength=len(SCALE)).tolist()
    total = sum(counts)
    hidden = protect(counts, min_cell)
    agree_i = [i for i, (v, _) in enumerate(SCALE) if v in AGREE]
    disagree_i = [i for i, (v, _) in enumerate(SCALE) if v in DISAGREE]
    show_agree, show_disagree = publishable_sums(counts, hidden, [agree_i, disagree_i], min_cell)
    agree, disagree = sum(counts[i] for i in agree_i), sum(counts[i] for i in disagree_i)
    groups = np.where(people >= 0, group_codes[np.maximum(people, 0)], -1) if len(group_codes) else people
    known = groups >= 0
    joint = np.bincount(groups[known] * len(SCALE) + values[known], minlength=len(GROUPS) * len(SCALE))
    joint = joint.reshape(len(GROUPS), len(SCALE))
    rows = [
        {"value": v, "label": label, **cell}
        for (v, label), cell in zip(SCALE, table(counts, total, min_cell))
    ]
    return {
        "total": total,
        "agree_percent": percent(agree, total) if show_agree else None,
        "disagree_percent": percent(disagree, total) if show_disagree else None,
        "rows": rows,
        "by_group": agreement_by_group(joint.sum(axis=1).tolist(), joint[:, agree_i].sum(axis=1).tolist(), min_cell),
        "_agree": agree,
        "_disagree": disagree,
    }


def agreement_by_group(ns: list[int], yes: list[int], min_cell: int) -> list[dict]:
    """Per group (GROUPS order): n and the share who agreed."""
    no = [n - y for n, y in zip(ns, yes)]
    hide_n = protect(ns, min_cell)
    hide_pct = set(hide_n)
    while True:  # a hidden percentage must not be recoverable from the overall one
        grown = protect(yes, min_cell, hide_pct) | protect(no, min_cell, hide_pct)
        if grown == hide_pct:
            break
        hide_pct = grown
    return [
        {
            "group": g,
            "label": GROUP_LABELS[g],
            "n": None if i in hide_n else ns[i],
            "agree_percent": None if i in hide_pct else percent(yes[i], ns[i]),
            "suppressed": i in hide_pct,
        }
        for i, g in enumerate(GROUPS)
    ]


def questions(evidence: Evidence) -> list[dict]:
    out = []
    for q in evidence.questions:
        answered = [values for _, values in q.answers if values]
        tally = Counter(v for values in answered for v in set(values))
        counts = [tally[value] for value, _ in q.options]
        partition = all(len(set(values)) == 1 for values in answered)
        rows = table(counts, len(answered), evidence.min_cell, partition=partition)
        out.append({
            "key": q.key, "title": q.title, "kind": q.kind, "total": len(answered),
            "rows": [{"value": value, "label": label, **row} for (value, label), row in zip(q.options, rows)],
        })
    return out


def status(agree: int, disagree: int, total: int) -> str:
    """Rejected when more disagree than agree; supported when more than half agree."""
    if total and disagree > agree:
        return "rejected"
    if total and 2 * agree > total:
        return "supported"
    return "mixed"

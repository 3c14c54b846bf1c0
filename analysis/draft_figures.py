"""The figures of a draft: respondent counts, agreement with each consulted principle and
closed-question results, each with small-cell suppression (analysis.suppression)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import repeat
from operator import itemgetter

import numpy as np

from analysis.evidence import (AGREE, DISAGREE, GROUP_LABELS, GROUPS, SCALE, Answers, ConsultedPrinciple, Evidence,
                               Respondents, VoteLookup)
from analysis.records import Campaign
from analysis.shares import percent
from analysis.suppression import publishable_sums, suppress_counts, suppress_table, table

CHANNELS = ("web", "email", "paper", "workshop")
TEMPLATE_WORDS = 40
LISTED_CAMPAIGNS = 25  # the largest, with their text; a survey of 100,000 can hold thousands of small ones
SCALE_POSITION = {value: i for i, (value, _) in enumerate(SCALE)}
GROUP_CODE = {g: i for i, g in enumerate(GROUPS)}
THEMES_LISTED = 10


def counts(evidence: Evidence, campaigns: Sequence[Campaign]) -> dict:
    """counts: respondents, campaign members, and suppressed breakdowns by group, channel and type."""
    people = Respondents.of(evidence.respondents)
    n = len(people)
    in_campaigns = sum(len(c.answer_ids) for c in campaigns)
    return {
        "respondents": n,
        "individual_responses": n - in_campaigns,
        "campaign_responses": in_campaigns,
        "campaign_groups": len(campaigns),
        **respondent_breakdowns(Counter(people.group), Counter(people.channel), Counter(people.respondent_type), n,
                                evidence.min_cell),
        "campaigns": campaign_templates(evidence, campaigns),
    }


def respondent_breakdowns(by_group: Mapping[str, int], by_channel: Mapping[str, int],
                          by_type: Mapping[str | None, int], total: int, min_cell: int) -> dict:
    """Respondents by group (GROUPS order), by channel (CHANNELS order) and by type (most first; None is
    "Not given"), each suppressed against the total: the draft's figures and the workspace overview's."""
    channels = [c for c in CHANNELS if by_channel.get(c)] + sorted(set(by_channel) - set(CHANNELS))
    types = Counter({("Not given" if t is None else t): n for t, n in by_type.items() if n})
    type_order = sorted(types, key=lambda t: (-types[t], t))
    groups = [by_group.get(g, 0) for g in GROUPS]
    return {
        "by_group": [{"group": g, "label": GROUP_LABELS[g], "count": row["count"], "suppressed": row["suppressed"]}
                     for g, row in zip(GROUPS, table(groups, total, min_cell))],
        "by_channel": [{"channel": c, "count": row["count"], "suppressed": row["suppressed"]}
                       for c, row in zip(channels, table([by_channel[c] for c in channels], total, min_cell))],
        "by_type": [{"label": t, "count": row["count"], "suppressed": row["suppressed"]}
                    for t, row in zip(type_order, table([types[t] for t in type_order], total, min_cell))],
    }


def campaign_templates(evidence: Evidence, campaigns: Sequence[Campaign]) -> list[dict]:
    """The largest campaigns. A campaign's shared text (the start of its voice's answers, redacted) is shown
    only when its voice agreed to be quoted (analysis.draft_campaigns.voice picks a member who did, if any);
    otherwise `template` is None and the campaign is described by the themes its text was coded with."""
    listed = sorted(campaigns, key=lambda c: (-len(c.answer_ids), c.id))[:LISTED_CAMPAIGNS]
    representatives = {c.representative_id for c in listed}
    people = Respondents.of(evidence.respondents)
    quoted = {rid for rid, quote_as in zip(people.id, people.quote_as) if rid in representatives and quote_as is not None}
    by_person: dict[str, list[str]] = defaultdict(list)
    answer_ids: dict[str, list[str]] = defaultdict(list)
    themes_of: dict[str, dict[str, None]] = defaultdict(dict)
    answers = Answers.of(evidence.answers)
    theirs = np.fromiter(map(representatives.__contains__, answers.respondent_id), dtype=bool, count=len(answers))
    for i in np.flatnonzero(theirs).tolist():
        by_person[answers.respondent_id[i]].append(answers.text[i].strip())
        answer_ids[answers.respondent_id[i]].append(answers.id[i])
        themes_of[answers.respondent_id[i]].update(dict.fromkeys(answers.themes[i]))
    templates = []
    for c in listed:
        voice = c.representative_id
        template = None
        if voice in quoted:
            words = "\n".join(t for t in by_person[voice] if t).split()
            template = evidence.printable(" ".join(words[:TEMPLATE_WORDS]) + (" …" if len(words) > TEMPLATE_WORDS else ""),
                                          answer_ids[voice])
        templates.append({"id": c.id, "size": len(c.answer_ids), "template": template,
                          "themes": list(themes_of[voice]), "voice": voice})
    return templates


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


def vote_counts(principle: ConsultedPrinciple, person_index: dict[str, int],
                group_codes: np.ndarray) -> tuple[list[int], np.ndarray]:
    """(votes per scale position, votes per group and scale position) for a principle, from
    its tally when the app counted the votes, else from every vote. group_codes[i]: position
    of person i's group in GROUPS, or -1. Voters who are not respondents count only in the first."""
    joint = np.zeros((len(GROUPS), len(SCALE)), dtype=np.int64)
    if principle.tally is not None:
        unknown = sorted({value for value, _, _ in principle.tally} - set(SCALE_POSITION))
        if unknown:
            raise ValueError(f"unknown agreement values {unknown}")
        counts = [0] * len(SCALE)
        for value, group, n in principle.tally:
            counts[SCALE_POSITION[value]] += n
            if group in GROUP_CODE:
                joint[GROUP_CODE[group], SCALE_POSITION[value]] += n
        return counts, joint
    people, values = vote_arrays(principle.votes, person_index)
    groups = np.where(people >= 0, group_codes[np.maximum(people, 0)], -1) if len(group_codes) else people
    known = groups >= 0
    np.add.at(joint, (groups[known], values[known]), 1)
    return np.bincount(values, minlength=len(SCALE)).tolist(), joint


def individual_votes(principle: ConsultedPrinciple, person_index: dict[str, int],
                     lookup: VoteLookup | None) -> Callable[[Sequence[str]], list[int]]:
    """respondent ids -> scale position of each one's vote (-1: none, or not a respondent),
    from the votes themselves or, when the app counted them, from its lookup."""
    if principle.tally is None:
        people, values = vote_arrays(principle.votes, person_index)
        by_person = np.full(len(person_index), -1, dtype=np.int64)
        known = people >= 0
        by_person[people[known]] = values[known]
        return lambda ids: [int(by_person[person_index[r]]) if r in person_index else -1 for r in ids]

    def looked_up(ids: Sequence[str]) -> list[int]:
        wanted = [r for r in dict.fromkeys(ids) if r in person_index]
        found = lookup(principle.agreement_key, wanted) if wanted and lookup is not None else {}
        return [SCALE_POSITION.get(found.get(r, ""), -1) if r in person_index else -1 for r in ids]

    return looked_up


def agreement(counts: list[int], joint: np.ndarray, min_cell: int) -> dict:
    """The agreement block of a consulted principle from vote_counts, plus private
    "_agree"/"_disagree" counts for its status."""
    total = sum(counts)
    agree_i = [i for i, (v, _) in enumerate(SCALE) if v in AGREE]
    agree = sum(counts[i] for i in agree_i)
    agree_percent, disagree_percent = agreement_shares(counts, min_cell)
    rows = [
        {"value": v, "label": label, **cell}
        for (v, label), cell in zip(SCALE, table(counts, total, min_cell))
    ]
    return {
        "total": total,
        "agree_percent": agree_percent,
        "disagree_percent": disagree_percent,
        "rows": rows,
        "by_group": agreement_by_group(joint.sum(axis=1).tolist(), joint[:, agree_i].sum(axis=1).tolist(), min_cell),
        "_agree": agree,
        "_disagree": sum(c for c, (v, _) in zip(counts, SCALE) if v in DISAGREE),
    }


def agreement_shares(counts: Sequence[int], min_cell: int) -> tuple[int | None, int | None]:
    """(share who agreed or strongly agreed, share who disagreed or strongly disagreed) of everyone answering
    a 5-point scale (counts in SCALE order), each None when it would reveal a hidden count."""
    total = sum(counts)
    shown, _total = suppress_counts(counts, total, min_cell)
    hidden = {i for i, c in enumerate(shown) if c is None}
    agree_i = [i for i, (v, _) in enumerate(SCALE) if v in AGREE]
    disagree_i = [i for i, (v, _) in enumerate(SCALE) if v in DISAGREE]
    show_agree, show_disagree = publishable_sums(counts, hidden, [agree_i, disagree_i], min_cell)
    agree, disagree = sum(counts[i] for i in agree_i), sum(counts[i] for i in disagree_i)
    return (percent(agree, total) if show_agree else None, percent(disagree, total) if show_disagree else None)


def agreement_by_group(ns: list[int], yes: list[int], min_cell: int) -> list[dict]:
    """Per group (GROUPS order): n and the share who agreed. Suppressed as the table of groups by
    (agreed, did not) with its totals: a share is shown only where both its counts are."""
    found = suppress_table([[y, n - y] for n, y in zip(ns, yes)], min_cell, row_totals=ns,
                           column_totals=[sum(yes), sum(ns) - sum(yes)], grand_total=sum(ns))
    assert found.row_totals is not None
    return [
        {
            "group": g,
            "label": GROUP_LABELS[g],
            "n": found.row_totals[i],
            "agree_percent": None if found.cells[i][0] is None or found.row_totals[i] is None else percent(yes[i], ns[i]),
            "suppressed": found.cells[i][0] is None or found.row_totals[i] is None,
        }
        for i, g in enumerate(GROUPS)
    ]


def theme_figures(respondent: Sequence[str], themes: Sequence[tuple[str, ...]], group_of: Mapping[str, str],
                  min_cell: int, limit: int = THEMES_LISTED) -> dict:
    """The themes raised by the most respondents, each with the respondents raising it in every group: the
    "themes" block of a draft, and the workspace's table of the same. One row per counted answer (each
    campaign through one member): who gave it and its final themes. Suppressed as one table of themes by
    groups whose row totals (all respondents raising the theme) are shown."""
    raised: dict[str, set[str]] = defaultdict(set)
    for rid, names in zip(respondent, themes):
        for name in names:
            raised[name].add(rid)
    ranked = sorted(raised, key=lambda name: (-len(raised[name]), name))[:limit]
    by_group = [Counter(map(group_of.get, raised[name])) for name in ranked]
    counts = [[found[g] for g in GROUPS] for found in by_group]
    found = suppress_table(counts, min_cell, row_totals=[len(raised[name]) for name in ranked], columns_add_up=False)
    assert found.row_totals is not None
    return {
        "groups": [{"group": g, "label": GROUP_LABELS[g]} for g in GROUPS],
        "rows": [{"name": name, "respondents": found.row_totals[i], "by_group": found.cells[i]}
                 for i, name in enumerate(ranked)],
    }


def answers_per_theme(themes: Iterable[tuple[str, ...]]) -> Counter:
    """Answers whose final coding holds each theme (every answer, campaigns in full): the codebook's counts."""
    return Counter(name for names in themes for name in set(names))


def questions(evidence: Evidence) -> list[dict]:
    out = []
    for q in evidence.questions:
        if q.counts is not None:  # counted by the app
            counts, total, partition = list(q.counts), q.answered, q.single_valued
        else:
            answered = [values for _, values in q.answers if values]
            tally = Counter(v for values in answered for v in set(values))
            counts, total = [tally[value] for value, _ in q.options], len(answered)
            partition = all(len(set(values)) == 1 for values in answered)
        rows = table(counts, total, evidence.min_cell, partition=partition)
        out.append({
            "key": q.key, "title": q.title, "kind": q.kind, "total": total,
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

"""Staff edits to a draft document, and what changed between two documents."""

from __future__ import annotations

import copy

COUNT_KEYS = ("respondents", "individual_responses", "campaign_responses")


def apply_edits(document: dict, edits: dict) -> dict:
    """A new document with edited headlines and chosen quotes.

    edits = {"headlines": {principle_id: text}, "quotes": {principle_id: [quote ids]}}.
    Chosen quotes come from the principle's quotes and quote_candidates, in the order
    given; the rest of that pool stays as candidates. Unknown ids raise ValueError."""
    out = copy.deepcopy(document)
    principles = {p["id"]: p for p in out["principles"]}
    unknown = (set(edits.get("headlines", {})) | set(edits.get("quotes", {}))) - set(principles)
    if unknown:
        raise ValueError(f"no principle {', '.join(sorted(unknown))}")
    for pid, text in edits.get("headlines", {}).items():
        text = " ".join(str(text).split())
        if not text:
            raise ValueError(f"empty headline for {pid}")
        principles[pid]["headline"] = text
    for pid, chosen in edits.get("quotes", {}).items():
        p = principles[pid]
        pool = {q["id"]: q for q in p["quotes"] + p["quote_candidates"]}
        missing = [qid for qid in chosen if qid not in pool]
        if missing:
            raise ValueError(f"{pid} has no quote {', '.join(missing)}")
        if len(set(chosen)) != len(chosen):
            raise ValueError(f"{pid}: a quote is chosen twice")
        p["quotes"] = [pool[qid] for qid in chosen]
        p["quote_candidates"] = [q for qid, q in pool.items() if qid not in set(chosen)]
    return out


def _change(kind: str, principle: str | None, before, after, summary: str) -> dict:
    return {"kind": kind, "principle": principle, "before": before, "after": after, "summary": summary}


def compare(a: dict, b: dict) -> list[dict]:
    """Changes from document a to document b, each {"kind", "principle", "before",
    "after", "summary"}; kinds: count, principle_added, principle_removed, headline,
    status, agreement, themes, quotes."""
    changes = []
    for key in COUNT_KEYS:
        if a["counts"][key] != b["counts"][key]:
            changes.append(_change("count", None, a["counts"][key], b["counts"][key],
                                   f"{key.replace('_', ' ')}: {a['counts'][key]} → {b['counts'][key]}"))
    old = {p["id"]: p for p in a["principles"]}
    new = {p["id"]: p for p in b["principles"]}
    for pid in [pid for pid in old if pid not in new]:
        changes.append(_change("principle_removed", pid, old[pid]["headline"], None, f"removed {pid}: {old[pid]['headline']}"))
    for pid in [pid for pid in new if pid not in old]:
        changes.append(_change("principle_added", pid, None, new[pid]["headline"], f"added {pid}: {new[pid]['headline']}"))
    for pid in [p["id"] for p in b["principles"] if p["id"] in old]:
        before, after = old[pid], new[pid]
        for field in ("headline", "status"):
            if before[field] != after[field]:
                changes.append(_change(field, pid, before[field], after[field], f"{pid} {field}: {before[field]} → {after[field]}"))
        figures = [
            {k: (p["agreement"] or {}).get(k) for k in ("total", "agree_percent", "disagree_percent")}
            for p in (before, after)
        ]
        if figures[0] != figures[1]:
            changes.append(_change("agreement", pid, figures[0], figures[1], f"{pid} agreement figures changed"))
        themes = [{t["name"]: t["respondents"] for t in p["themes"]} for p in (before, after)]
        if themes[0] != themes[1]:
            changes.append(_change("themes", pid, themes[0], themes[1], f"{pid} themes changed"))
        quotes = [[q["id"] for q in p["quotes"]] for p in (before, after)]
        if quotes[0] != quotes[1]:
            added = [q for q in quotes[1] if q not in quotes[0]]
            removed = [q for q in quotes[0] if q not in quotes[1]]
            changes.append(_change("quotes", pid, quotes[0], quotes[1],
                                   f"{pid} quotes: {len(added)} added, {len(removed)} removed"
                                   + ("" if added or removed else ", reordered")))
    return changes

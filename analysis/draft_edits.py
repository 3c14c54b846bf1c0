"""Staff edits to a draft document, what changed between two documents, and withdrawing a respondent's words."""

from __future__ import annotations

import copy

from analysis.draft_text import executive_summary

COUNT_KEYS = (("respondents", "Responses"), ("individual_responses", "Individual responses"),
              ("campaign_responses", "Campaign responses"))
CITED = ("what_we_heard", "reasons_for", "reasons_against", "recommendations", "quotes", "quote_candidates")


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


def carried_edits(edits: dict, document: dict) -> dict:
    """The edits that still apply to another document: headlines of principles it has, and chosen quotes it
    still offers (a rebuilt draft or a withdrawal may have dropped some)."""
    principles = {p["id"]: p for p in document["principles"]}
    pools = {pid: {q["id"] for q in p["quotes"] + p["quote_candidates"]} for pid, p in principles.items()}
    return {"headlines": {pid: text for pid, text in (edits.get("headlines") or {}).items() if pid in principles},
            "quotes": {pid: [q for q in chosen if q in pools[pid]]
                       for pid, chosen in (edits.get("quotes") or {}).items() if pid in principles}}


def withdraw(document: dict, edits: dict, respondent_id: str, answer_ids=()) -> tuple[dict, dict, int]:
    """(document, edits, passages removed) without anything a respondent wrote: the sentences, quotes and
    recommendations cited from their answers, a campaign's shared text in their words, and a candidate
    principle's headline drawn from them (the next recommendation stands in, or the theme's name).

    Documents made before citations carried respondent references are matched by `answer_ids`, and their
    campaign texts, whose author they do not record, are all removed. The document counts what was withdrawn
    (`withdrawn`) and its executive summary is written again."""
    out = copy.deepcopy(document)
    answer_ids = {str(a) for a in answer_ids}

    def theirs(item: dict | None) -> bool:
        return bool(item) and (item.get("respondent_id") == respondent_id or str(item.get("answer_id")) in answer_ids)

    removed = 0
    for chapter in out["principles"] + (out.get("barriers") or []):
        for field in CITED:
            kept = [item for item in chapter.get(field) or [] if not theirs(item)]
            removed += len(chapter.get(field) or []) - len(kept)
            if field in chapter:
                chapter[field] = kept
        options = [chapter.get("headline_source"), *(chapter.get("headline_options") or [])]
        if chapter.get("headline_source") and theirs(chapter["headline_source"]):
            removed += 1
            left = [o for o in options if o and not theirs(o)]
            chapter["headline_source"] = left[0] if left else None
            chapter["headline_options"] = left[1:]
            chapter["headline"] = left[0]["headline"] if left else chapter.get("theme") or chapter["headline"]
        elif chapter.get("headline_options"):
            chapter["headline_options"] = [o for o in chapter["headline_options"] if not theirs(o)]
    for campaign in out.get("counts", {}).get("campaigns") or []:
        if campaign.get("template") and ("voice" not in campaign or campaign["voice"] == respondent_id):
            campaign.update(template=None, voice=None, withdrawn=True)
            removed += 1
    if not removed:
        return document, edits, 0
    out["withdrawn"] = out.get("withdrawn", 0) + removed
    out["executive_summary"] = executive_summary(out)
    return out, carried_edits(edits, out), removed


def _where(p: dict) -> str:
    kind = "Candidate principle" if p.get("source") == "new" else "Principle"
    return f"{kind} {p.get('number')}: {p['headline']}"


def _agreement(p: dict) -> list[str]:
    a = p.get("agreement") or {}
    if not a:
        return []
    share = lambda v: "withheld" if v is None else f"{v:g}%"  # noqa: E731
    return [f"{share(a.get('agree_percent'))} agreed, {share(a.get('disagree_percent'))} disagreed, "
            f"of {a.get('total', 0):,} who answered"]


def _change(what: str, where: str | None, before: list, after: list, principle: str | None = None) -> dict:
    return {"what": what, "where": where, "before": before, "after": after, "principle": principle}


def compare(a: dict, b: dict) -> list[dict]:
    """What changed from document a to document b, in words a reader can check side by side: each change is
    {"what", "where" (the principle's number and headline), "before" and "after" (lists of texts)}. Quotes
    list the ones taken out and the ones put in; a reordering lists both orders."""
    changes = []
    for key, label in COUNT_KEYS:
        if a["counts"][key] != b["counts"][key]:
            changes.append(_change(label, None, [f"{a['counts'][key]:,}"], [f"{b['counts'][key]:,}"]))
    old = {p["id"]: p for p in a["principles"]}
    new = {p["id"]: p for p in b["principles"]}
    for pid in [pid for pid in old if pid not in new]:
        changes.append(_change("Principle taken out", _where(old[pid]), [old[pid]["headline"]], [], pid))
    for pid in [pid for pid in new if pid not in old]:
        changes.append(_change("Principle added", _where(new[pid]), [], [new[pid]["headline"]], pid))
    for pid in [p["id"] for p in b["principles"] if p["id"] in old]:
        before, after = old[pid], new[pid]
        where = _where(after)
        if before["headline"] != after["headline"]:
            changes.append(_change("Headline", where, [before["headline"]], [after["headline"]], pid))
        if before["status"] != after["status"]:
            changes.append(_change("Status", where, [before["status"]], [after["status"]], pid))
        if _agreement(before) != _agreement(after):
            changes.append(_change("Agreement", where, _agreement(before), _agreement(after), pid))
        themes = [[f"{t['name']} ({t['respondents']:,})" for t in p["themes"]] for p in (before, after)]
        if themes[0] != themes[1]:
            changes.append(_change("Themes raised", where, *themes, pid))
        quotes = [[q["text"] for q in p["quotes"]] for p in (before, after)]
        if quotes[0] != quotes[1]:
            out = [q for q in quotes[0] if q not in quotes[1]]
            put = [q for q in quotes[1] if q not in quotes[0]]
            if out or put:
                changes.append(_change("Quotes", where, out, put, pid))
            else:
                changes.append(_change("Order of quotes", where, *quotes, pid))
    barriers = [[x["theme"] for x in doc.get("barriers") or []] for doc in (a, b)]
    if barriers[0] != barriers[1]:
        changes.append(_change("What gets in the way", None, [t for t in barriers[0] if t not in barriers[1]],
                               [t for t in barriers[1] if t not in barriers[0]]))
    return changes

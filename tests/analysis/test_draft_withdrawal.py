"""A respondent's words leave a stored draft document and its edits when they withdraw (their response is
erased); a campaign's shared text is printed only from members who agreed to be quoted."""
from __future__ import annotations

import json
from dataclasses import replace

import pytest

from analysis.draft_edits import apply_edits, withdraw
from analysis.principles import build_draft
from analysis.report import render_html
from tests.analysis.test_principles import CAMPAIGN, campaign_ids, make_evidence


@pytest.fixture(scope="module")
def evidence():
    return make_evidence()


@pytest.fixture(scope="module")
def document(evidence):
    return build_draft(evidence)


def _cited(document):
    return [x for chapter in document["principles"] + document["barriers"]
            for field in ("what_we_heard", "reasons_for", "reasons_against", "recommendations", "quotes",
                          "quote_candidates") for x in chapter.get(field) or []]


def test_a_withdrawn_quote_leaves_the_document_its_edits_and_its_rendering(document, evidence):
    p1 = next(p for p in document["principles"] if p["id"] == "p1")
    quote = p1["quotes"][0]
    texts = {a.id: a.text for a in evidence.answers}
    edits = {"headlines": {"p1": "Plan services around people"}, "quotes": {"p1": [q["id"] for q in p1["quotes"]]}}
    mine = [a.id for a in evidence.answers if a.respondent_id == quote["respondent_id"]]
    out, kept, removed = withdraw(document, edits, quote["respondent_id"], mine)
    assert removed >= 1 and out["withdrawn"] == removed
    dumped = json.dumps(out) + json.dumps(kept)
    assert quote["text"] not in dumped and quote["respondent_id"] not in dumped
    assert all(texts[a][:40] not in dumped for a in mine)
    assert quote["id"] not in kept["quotes"]["p1"] and kept["headlines"] == edits["headlines"]
    apply_edits(out, kept)  # editing the old version does not carry the quote forward
    page = render_html(apply_edits(out, kept))
    assert quote["text"] not in page and "withdrawn after it was made" in page
    assert json.dumps(document) != dumped  # the input is left as it was
    assert withdraw(out, kept, quote["respondent_id"], mine)[2] == 0  # nothing left to withdraw


def test_a_candidate_principle_keeps_its_headline_when_its_author_withdraws(document):
    candidate = next(p for p in document["principles"] if p["source"] == "new")
    source = candidate["headline_source"]
    out, _edits, removed = withdraw(document, {}, source["respondent_id"], [source["answer_id"]])
    after = next(p for p in out["principles"] if p["id"] == candidate["id"])
    assert removed >= 1 and after["headline_source"]["respondent_id"] != source["respondent_id"]
    if candidate["headline_options"]:  # another respondent wrote the same recommendation
        assert after["headline"] == candidate["headline"]
    assert source["text"] not in json.dumps(after) or after["headline_source"]["text"] == source["text"]
    assert source["respondent_id"] not in json.dumps(out)


def test_sentences_in_older_documents_are_found_by_their_answers(document):
    older = json.loads(json.dumps(document))
    p1 = next(p for p in older["principles"] if p["id"] == "p1")
    for item in p1["what_we_heard"]:
        item.pop("respondent_id")
    target = p1["what_we_heard"][0]
    out, _edits, removed = withdraw(older, {}, "KIL-none", [target["answer_id"]])
    assert removed == 1 and target["text"] not in json.dumps(out)


def test_campaign_text_is_shown_only_from_a_member_who_agreed(evidence):
    members = campaign_ids(evidence)
    consenting = build_draft(evidence)["counts"]["campaigns"]
    assert consenting[0]["template"].startswith(CAMPAIGN[:30]) and consenting[0]["voice"] in members
    refused = replace(evidence, respondents=tuple(replace(r, quote_as=None) if r.id in members else r
                                                  for r in evidence.respondents))
    document = build_draft(refused)
    campaign = document["counts"]["campaigns"][0]
    assert campaign["template"] is None and campaign["themes"] == ["Whole-system working"]
    assert CAMPAIGN[:40] not in json.dumps(document)
    page = render_html(document)
    assert CAMPAIGN[:40] not in page and "its members did not agree to be quoted" in page


def test_a_campaign_whose_voice_withdraws_loses_its_text(document):
    campaign = document["counts"]["campaigns"][0]
    out, _edits, removed = withdraw(document, {}, campaign["voice"], [])
    assert removed >= 1 and out["counts"]["campaigns"][0]["template"] is None
    assert CAMPAIGN[:40] not in json.dumps(out)

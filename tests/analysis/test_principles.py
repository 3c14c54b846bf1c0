"""Drafting principles from evidence: counts, suppression, consent, redaction, campaigns,
real sentences, determinism, staff edits and comparison. The fixture is a small Keep it
Local consultation written for these tests."""

from __future__ import annotations

import json
from collections import Counter

import pytest

import analysis.redact as redact_module
from analysis.evidence import (
    AgreementRow,
    Answers,
    ClosedQuestion,
    CodedAnswer,
    CodingFacts,
    ConsultedPrinciple,
    Evidence,
    Respondent,
    Respondents,
    ThemeEntry,
)
from analysis.shares import percent
from analysis.principles import apply_edits, build_draft, compare, detect_campaigns

EMAIL, PHONE = "jo.bloggs@hilltop-trust.org.uk", "07700 900123"
REFUSED = "NOQUOTE"  # every answer by a respondent who refused quoting contains this word

CAMPAIGN = (
    "As members of Riverside Community Trust we support this principle because councils must stop buying "
    "services in silos and start working with the local charities who already know the families that need help."
)

P1_WHY = [  # (text, themes)
    ("Families we support are passed between five different contracts and none of them owns the problem. "
     "A single plan for the family would save everyone time.", ("Whole-system working",)),
    ("When the council bought housing support and debt advice separately, referrals between them dried up "
     "within a year.", ("Whole-system working",)),
    ("Joint budgets with health have let us keep people out of hospital instead of arguing about who pays. "
     "We need more pooled budgets like this.", ("Whole-system working", "Pooled budgets")),
    ("People with several needs fall between services that each cover only one of them. The council should "
     "look at the whole person.", ("Whole-system working",)),
    ("I agree in principle, but whole-system thinking must not become a reason to bundle everything into one "
     "huge contract that only national firms can bid for.", ("Whole-system working", "Contract size")),
    ("Our food bank sees the same families as the housing team and the health visitors, but nobody talks to "
     "each other. Joined-up commissioning would change that.", ("Whole-system working",)),
    ("Mental health, debt and housing problems arrive together, so services should be commissioned together "
     "rather than in separate lots.", ("Whole-system working",)),
    ("The integrated care board and the council fund the same outcomes through different contracts. Aligning "
     "them would free up money for the front line.", ("Whole-system working", "Pooled budgets")),
    ("Silo contracts mean every provider guards its own targets instead of working together for residents.",
     ("Whole-system working",)),
    ("A whole-system approach only works if local charities are at the table when services are designed, "
     "not just invited to bid afterwards.", ("Whole-system working", "Co-design")),
    ("Short grants make it hard to plan anything across the system. We lurch from one twelve month pot to "
     "the next.", ("Short-term funding",)),
    ("Commissioners told us e.g. that housing and health budgets could never be combined, yet the next "
     "council did exactly that.", ("Whole-system working", "Pooled budgets")),
]
P2_WHY = [
    ("Residents trust the community centre in a way they will never trust a call centre. "
     f"Contact me on {EMAIL} or {PHONE} if you want to visit.", ("Neighbourhood knowledge",)),
    ("Our neighbourhood hub cut the time it takes to get someone the right help from weeks to days.",
     ("Neighbourhood knowledge",)),
    ("Neighbourhood boundaries drawn by the council rarely match how people actually live, especially in "
     "villages that share a bus route and a surgery.", ("Neighbourhood knowledge",)),
    ("Local groups know which families are struggling long before any referral arrives at the council.",
     ("Neighbourhood knowledge",)),
    ("Some services need to be planned across the whole county, so neighbourhoods cannot be the only level.",
     ("Neighbourhood knowledge",)),
    ("Ward budgets let councillors back small neighbourhood projects quickly and the results speak for "
     "themselves.", ("Neighbourhood knowledge",)),
]
P3_WHY_AGAINST = [
    ("Procurement rules require us to get best value, and a local spend target would be challenged by the "
     "first national provider that loses a tender.", ("Value for money", "Procurement law")),
    ("Local is not always better. Refuge places have to be commissioned across areas so that women can move "
     "away from the person who harmed them.", ("Value for money",)),
    ("Social value weighting already rewards local benefit without a fixed spend target.", ("Value for money",)),
    ("A fixed local spend target conflicts with procurement law and with our best value duty.",
     ("Value for money", "Procurement law")),
    ("Small providers can be more expensive per person and councils have to show value for taxpayers' money.",
     ("Value for money",)),
    ("Specialist services are often better bought at a regional scale where there is enough demand.",
     ("Value for money",)),
]
P3_WHY_FOR = [
    ("Money spent locally pays local wages and keeps volunteers in the area.", ("Local spending",)),
    ("Every pound spent with a local charity comes back into the high street several times over.",
     ("Local spending",)),
]
FUNDING = [  # answers to barriers_detail: a frequent theme no consulted principle covers, with recommendations
    "Our grant from the council lasts twelve months, so we spend half the year applying for the next one. "
    "Councils should fund local charities for three years at a time.",
    "Short-term funding means we lose experienced staff every March when redundancy notices go out. "
    "Give small charities grants that last at least three years.",
    "One year contracts make it impossible to plan or to build trust with the families we work with. "
    "In our view, councils should fund local charities for three years at a time.",
    "We have had six short grants in six years for the same youth service, each with new paperwork.",
    "Funding that stops after a year means the people we support are let down just as things improve. "
    "Funders must commit to local groups for longer than a single year.",
    "Three-year grants would let us keep our advice workers instead of training new ones each year. "
    "Please make every grant last three years, with a light check each year.",
    "Short contracts push small charities to chase money instead of helping people.",
]
P1_MORE = [  # councils' answers on principle 1, from respondents who said nothing on how far they agree
    "Adult social care and public health still commission the same providers on separate contracts.",
    "A joint commissioning board with the health service would stop two teams buying the same outcome.",
    "We tried a single outcomes framework across three directorates and it took two years to agree.",
    "Whole-system working needs shared data, and our systems still cannot talk to the hospital's.",
    "Pooled budgets only work when the finance teams trust each other as much as the front line does.",
    "Nobody in the council owns the whole picture for a family, so nobody is accountable for it.",
]
CAPACITY = [  # answers to barriers_detail: a frequent theme nobody recommends anything about (a barrier)
    "Our commissioning team has halved in five years and nobody has time to talk to providers.",
    "The council has lost the officers who used to know every local charity by name.",
    "Commissioners are stretched so thin that every contract is copied from the last one.",
    "There is no one left in the council with time to plan anything beyond this year's budget.",
    "Staff turnover in the commissioning team means we explain our work to someone new each year.",
    "Budget cuts have left one officer covering what four people used to do.",
]
REFUSED_TEXTS = [
    f"Whole-system commissioning is exactly what our families need because services work together {REFUSED}.",
    f"The council should look at the whole system, not each contract on its own, for residents {REFUSED}.",
    f"Local spend targets break procurement rules and cost taxpayers more in the end {REFUSED}.",
]
TYPES = {"community": ["Charity", "Community organisation", "Social enterprise"],
         "councils": ["Commissioner", "Council officer", "Councillor"],
         "others": ["Member of the public"]}


def make_evidence(*, demo: bool = False, min_cell: int = 5) -> Evidence:
    respondents, answers, votes = [], [], {1: [], 2: [], 3: []}

    def person(group, quote_as, channel="web", kind=None):
        rid = f"KIL-{len(respondents) + 1:04d}"
        kinds = TYPES[group]
        respondents.append(Respondent(rid, group, kind or kinds[len(respondents) % len(kinds)], channel, quote_as,
                                      demo=demo))
        return rid

    def answer(rid, key, text, themes):
        answers.append(CodedAnswer(f"a{len(answers) + 1}", rid, key, text, tuple(themes)))

    channels = ["web", "web", "web", "email", "web", "paper", "web", "email"]
    groups = ["community", "community", "councils"]
    for i, (text, themes) in enumerate(P1_WHY):
        rid = person(groups[i % 3], f"Respondent {i + 1}" if i % 4 else "Anonymous respondent", channels[i % 8])
        answer(rid, "principle_1_why", text, themes)
        votes[1].append((rid, "strongly_agree" if i % 2 else "agree"))
        votes[3].append((rid, "disagree" if i % 3 else "neither"))
        if i < 4:
            answer(rid, "barriers_detail", FUNDING[i], ("Short-term funding",))
    for i, (text, themes) in enumerate(P2_WHY):
        rid = person(groups[i % 3], f"A charity (Trust {i})", channels[(i + 3) % 8])
        answer(rid, "principle_2_why", text, themes)
        votes[2].append((rid, ["agree", "neither", "disagree"][i % 3]))
        votes[1].append((rid, "agree"))
    for i, (text, themes) in enumerate(P3_WHY_AGAINST):
        rid = person("councils", f"A council officer ({i})", channels[i % 8])
        answer(rid, "principle_3_why", text, themes)
        answer(rid, "barriers_detail", CAPACITY[i], ("Council capacity",))
        answer(rid, "principle_1_why", P1_MORE[i], ("Whole-system working",))
        votes[3].append((rid, "strongly_disagree"))
    for i, (text, themes) in enumerate(P3_WHY_FOR):
        rid = person("community", "Anonymous respondent")
        answer(rid, "principle_3_why", text, themes)
        votes[3].append((rid, "strongly_agree"))
    for text in REFUSED_TEXTS:
        rid = person("community", None)
        key = "principle_3_why" if "spend" in text else "principle_1_why"
        answer(rid, key, text, ("Value for money",) if "spend" in text else ("Whole-system working",))
        votes[3 if "spend" in text else 1].append((rid, "disagree" if "spend" in text else "strongly_agree"))
    for i in range(8):  # a campaign of near-identical letters
        rid = person("community", "Riverside member" if i % 2 else None, "email", "Community organisation")
        text = CAMPAIGN + (" Please listen to us." if i % 3 == 1 else "")
        answer(rid, "principle_1_why", text, ("Whole-system working",))
        votes[1].append((rid, "strongly_agree"))
    for i, text in enumerate(FUNDING[4:]):
        rid = person("others", f"Resident {i}")
        answer(rid, "barriers_detail", text, ("Short-term funding",))
        votes[1].append((rid, "agree"))
    rid = person("others", "Resident 9", "paper", "Policy expert")
    votes[1].append((rid, "neither"))
    answer(rid, "barriers_detail", "Payments arrive three months late and we have to borrow to pay staff.",
           ("Late payment",))

    capacity = ClosedQuestion(
        "capacity", "Are you responding as an individual or for an organisation?", "single_choice",
        (("individual", "As an individual"), ("organisation", "On behalf of an organisation")),
        tuple((r.id, ("individual",) if r.group == "others" or r.id.endswith("7") else ("organisation",))
              for r in respondents),
    )
    barriers = ClosedQuestion(
        "barriers", "What gets in the way?", "multiple_choice",
        (("contract_scale", "Contracts are too large"), ("short_contracts", "Contracts or grants are too short"),
         ("late_payment", "Payments are late")),
        tuple((r.id, ("short_contracts", "late_payment") if i == 0 else ("contract_scale", "short_contracts")
               if i % 2 else ("short_contracts",)) for i, r in enumerate(respondents)),
    )
    statements = {
        1: ("Think about the whole system, not service silos", "Look at how services work together."),
        2: ("Coordinate services at the neighbourhood level", "Join up services around neighbourhoods."),
        3: ("Increase local spend to invest in the local economy", "Spend more of the budget locally."),
    }
    principles = tuple(
        ConsultedPrinciple(n, s, e, f"principle_{n}_agreement", f"principle_{n}_why", tuple(votes[n]))
        for n, (s, e) in statements.items()
    )
    codebook = tuple(ThemeEntry(name, None, f"Answers about {name.lower()}.") for name in (
        "Whole-system working", "Pooled budgets", "Neighbourhood knowledge", "Value for money", "Procurement law",
        "Local spending", "Short-term funding", "Late payment", "Contract size", "Co-design", "Council capacity"))
    return Evidence(
        survey_title="Keep it Local: how councils should commission local services", survey_slug="keep-it-local",
        generated_at="2028-04-14T09:30:00Z", closes_at="2028-03-31T23:59:00Z",
        respondents=tuple(respondents), answers=tuple(answers), principles=principles,
        questions=(capacity, barriers), codebook=codebook,
        coding=CodingFacts(2, len(answers), 12, (AgreementRow("All codes", 0.81, 0.78, 12),), 20, 15, 5,
                           (("researcher", 1), ("admin", 1))),
        min_cell=min_cell, demo=demo,
    )


@pytest.fixture(scope="module")
def evidence():
    return make_evidence()


@pytest.fixture(scope="module")
def recorded(evidence):
    """The draft, and what each redacted text in it was before redaction."""
    originals: dict[str, list[str]] = {}
    real = redact_module.redact

    def recording(text):
        result = real(text)
        originals.setdefault(result.text, []).append(text)
        return result

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(redact_module, "redact", recording)
        document = build_draft(evidence)
    return document, originals


@pytest.fixture(scope="module")
def document(recorded):
    return recorded[0]


def principle(document, pid):
    return next(p for p in document["principles"] if p["id"] == pid)


def texts_of(p):
    return (p["what_we_heard"] + p["reasons_for"] + p["reasons_against"] + p.get("recommendations", []) + p["quotes"]
            + p["quote_candidates"])


def campaign_ids(evidence):
    return {r.id for r in evidence.respondents if r.channel == "email" and r.respondent_type == "Community organisation"
            and any(a.respondent_id == r.id and a.text.startswith("As members") for a in evidence.answers)}


def test_counts_groups_channels_and_campaign(document, evidence):
    counts = document["counts"]
    assert counts["respondents"] == len(evidence.respondents) == 41
    assert counts["campaign_responses"] == 8
    assert counts["individual_responses"] == 33
    assert [(c["size"], c["template"][:30]) for c in counts["campaigns"]] == [(8, CAMPAIGN[:30])]
    groups = {g["group"]: g for g in counts["by_group"]}
    assert groups["community"]["count"] == sum(r.group == "community" for r in evidence.respondents) == 25
    channels = {c["channel"]: c["count"] for c in counts["by_channel"]}
    assert channels["web"] == sum(r.channel == "web" for r in evidence.respondents)
    assert document["methodology"]["campaigns"] == {"groups": 1, "responses": 8}
    assert document["format"] == 2 and document["min_cell"] == 5 and document["demo"] is False


def test_only_the_largest_campaigns_are_listed_but_all_are_counted(evidence):
    from analysis.draft_figures import LISTED_CAMPAIGNS, counts
    from analysis.draft_text import methodology
    from analysis.records import Campaign

    people = [r.id for r in evidence.respondents]
    many = [Campaign(id=i, answer_ids=tuple(people[:3 + (i == 7)]), representative_id=people[i % len(people)],
                     min_similarity=0.9) for i in range(1, LISTED_CAMPAIGNS + 6)]
    found = counts(evidence, many)
    assert found["campaign_groups"] == LISTED_CAMPAIGNS + 5
    assert found["campaign_responses"] == 3 * (LISTED_CAMPAIGNS + 5) + 1
    assert len(found["campaigns"]) == LISTED_CAMPAIGNS
    assert [c["id"] for c in found["campaigns"]][:3] == [7, 1, 2]  # largest first, then in order
    text = methodology({"counts": found, "min_cell": 5, "codebook": []}, evidence.coding)
    assert text["campaigns"]["groups"] == LISTED_CAMPAIGNS + 5
    said = " ".join(text["paragraphs"])
    assert f"We found {LISTED_CAMPAIGNS + 5} such campaigns" in said
    assert f"The {LISTED_CAMPAIGNS} largest campaigns are listed" in said


def test_small_cells_are_suppressed_with_secondary_suppression(document):
    by_type = {t["label"]: t for t in document["counts"]["by_type"]}
    expert = by_type["Policy expert"]
    assert expert == {"label": "Policy expert", "count": None, "suppressed": True}
    hidden = [t for t in by_type.values() if t["suppressed"]]
    # Respondents total is shown, so one hidden cell alone would be total minus the rest.
    assert len(hidden) >= 2
    channels = {c["channel"]: c for c in document["counts"]["by_channel"]}
    assert channels["paper"]["suppressed"] is (channels["paper"]["count"] is None)

    p2 = principle(document, "p2")["agreement"]
    assert p2["total"] == 6
    rows = {r["value"]: r for r in p2["rows"]}
    # p2 votes: agree 2, neither 2, disagree 2 (all small): all hidden, and so are the block sums.
    assert all(rows[v]["suppressed"] and rows[v]["count"] is None for v in ("agree", "neither", "disagree"))
    assert p2["agree_percent"] is None and p2["disagree_percent"] is None
    assert rows["strongly_agree"]["count"] == 0 and not rows["strongly_agree"]["suppressed"]

    p1_groups = {g["group"]: g for g in principle(document, "p1")["agreement"]["by_group"]}
    assert p1_groups["others"]["n"] is None and p1_groups["others"]["suppressed"]
    # "others" alone hidden would be total minus the shown groups: a second group is hidden.
    assert p1_groups["councils"]["n"] is None and p1_groups["councils"]["agree_percent"] is None
    assert p1_groups["community"]["n"] == 22 and p1_groups["community"]["agree_percent"] == 100.0


def test_agreement_figures_and_rejected_principle(document, evidence):
    p1 = principle(document, "p1")
    assert p1["status"] == "supported"
    assert p1["agreement"]["total"] == len(evidence.principles[0].votes)
    p3 = principle(document, "p3")
    assert p3["status"] == "rejected"
    a = p3["agreement"]
    disagree = sum(v in ("disagree", "strongly_disagree") for _, v in evidence.principles[2].votes)
    assert a["disagree_percent"] == percent(disagree, a["total"]) == 71  # 15 of 21, rounded half up
    assert a["agree_percent"] is None  # 2 agreed: fewer than min_cell
    assert p3["reasons_against"], "a rejected principle shows the reasons against"
    against_ids = {x["answer_id"] for x in p3["reasons_against"]}
    by_id = {x.id: x for x in evidence.answers}
    votes = dict(evidence.principles[2].votes)
    assert all(votes[by_id[i].respondent_id] in ("disagree", "strongly_disagree") for i in against_ids)
    assert any("rejected" in s or "disagreed than agreed" in s for s in document["executive_summary"])


def test_an_uncovered_theme_with_recommendations_becomes_a_candidate_principle(document, evidence):
    new = [p for p in document["principles"] if p["source"] == "new"]
    assert [p["theme"] for p in new] == ["Short-term funding"]
    p = new[0]
    assert p["id"] == "new-1" and p["number"] == 4 and p["status"] == "new" and p["agreement"] is None
    # Headed by the most typical recommendation, in the respondent's words, with the sentence it came from.
    assert p["headline"] == "Fund local charities for three years at a time"
    source = p["headline_source"]
    assert source["text"] == "Councils should fund local charities for three years at a time."
    by_id = {a.id: a for a in evidence.answers}
    assert source["text"] in by_id[source["answer_id"]].text and source["respondent_id"] == by_id[source["answer_id"]].respondent_id
    assert p["raised_by"] == 8 and p["recommended_by"] == 5
    assert p["explanation"] == "Answers about short-term funding."
    assert p["recommendations"] and p["what_we_heard"] and p["quotes"]
    # Raised by fewer than min_cell: neither a new principle nor a listed theme.
    listed = {t["name"]: t["respondents"] for t in document["themes"]["rows"]}
    assert "Late payment" not in listed or listed["Late payment"] is None


def test_an_uncovered_theme_without_recommendations_is_what_gets_in_the_way(document):
    assert [b["theme"] for b in document["barriers"]] == ["Council capacity"]
    barrier = document["barriers"][0]
    assert barrier["raised_by"] == 6 and barrier["recommended_by"] == 0
    assert barrier["what_we_heard"] and barrier["quotes"]
    assert all(p.get("theme") != "Council capacity" for p in document["principles"])
    assert any("what gets in the way" in s and "Council capacity (6 respondents)" in s
               for s in document["executive_summary"])


def test_no_sentence_or_answer_is_printed_twice_in_a_chapter(document):
    from analysis.draft_selection import sentence_key, sentences_of

    for chapter in document["principles"] + document["barriers"]:
        printed = [x for field in ("what_we_heard", "reasons_for", "reasons_against", "recommendations", "quotes")
                   for x in chapter.get(field) or []] + ([chapter["headline_source"]] if chapter.get("headline_source") else [])
        sentences = [sentence_key(s) for x in printed for s in sentences_of(x["text"])]
        assert len(sentences) == len(set(sentences)), chapter.get("id")
        answers = [x["answer_id"] for x in printed]
        assert len(answers) == len(set(answers)), chapter.get("id")  # a quote is never also a bullet


def test_quotes_only_from_consenting_respondents(document, evidence):
    people = {r.id: r for r in evidence.respondents}
    by_id = {a.id: a for a in evidence.answers}
    for p in document["principles"]:
        assert len(p["quotes"]) <= 5
        for item in texts_of(p):
            assert people[by_id[item["answer_id"]].respondent_id].quote_as is not None
        for q in p["quotes"] + p["quote_candidates"]:
            assert q["id"] == f"q-{q['answer_id']}"
            assert q["attribution"] == people[q["respondent_id"]].quote_as
            assert by_id[q["answer_id"]].respondent_id == q["respondent_id"]
    assert 3 <= len(principle(document, "p1")["quotes"]) <= 5
    assert REFUSED not in json.dumps(document)


def test_personal_data_is_redacted(document):
    p2 = principle(document, "p2")
    cited = texts_of(p2)
    assert len(cited) == 6  # every consenting p2 answer is cited once, the one with contact details too
    contact = next(q for q in cited if "community centre" in q["text"])
    assert "[EMAIL]" in contact["text"] or "[PHONE]" in contact["text"] or "Contact me" not in contact["text"]
    dumped = json.dumps(document)
    assert EMAIL not in dumped and PHONE not in dumped


def test_what_we_heard_is_redacted():
    base = make_evidence()
    answers = tuple(a for a in base.answers if a.question_key != "principle_2_why") + (
        CodedAnswer("x1", base.principles[1].votes[0][0], "principle_2_why",
                    f"Please write to me at {EMAIL} about the neighbourhood hub we run.", ("Neighbourhood knowledge",)),
    )
    from dataclasses import replace

    document = build_draft(replace(base, answers=answers))
    heard = principle(document, "p2")["what_we_heard"]
    assert [{"text": "Please write to me at [EMAIL] about the neighbourhood hub we run.", "answer_id": "x1",
             "respondent_id": base.principles[1].votes[0][0]}] == [h for h in heard if h["answer_id"] == "x1"]


def test_every_selected_text_is_a_real_sentence(recorded, evidence):
    document, originals = recorded
    by_id = {a.id: a.text for a in evidence.answers}
    checked = 0
    for p in document["principles"]:
        for item in texts_of(p):
            before = originals[item["text"]]
            assert any(b in by_id[item["answer_id"]] for b in before), item
            checked += 1
    assert checked > 25


def test_campaign_counts_once_in_themes_and_quotes(document, evidence):
    members = campaign_ids(evidence)
    assert len(members) == 8
    p1 = principle(document, "p1")
    cited = [x for x in texts_of(p1) if x["respondent_id"] in members]
    # Once, through a member who agreed to be quoted (the first copy's sender did not).
    assert len(cited) == 1 and "As members of Riverside Community Trust" in cited[0]["text"]
    quote_as = {r.id: r.quote_as for r in evidence.respondents}
    assert quote_as[cited[0]["respondent_id"]] == "Riverside member"
    whole = next(t for t in p1["themes"] if t["name"] == "Whole-system working")
    individual = sum("Whole-system working" in a.themes and a.respondent_id not in members
                     for a in evidence.answers if a.question_key == "principle_1_why")
    assert whole["respondents"] == whole["count"] == individual + 1
    assert whole["share"] == percent(individual + 1, len({a.respondent_id for a in evidence.answers
                                                          if a.question_key == "principle_1_why"} - members) + 1)
    # Members still count as respondents and in the agreement figures.
    assert p1["agreement"]["total"] == len(evidence.principles[0].votes)


def test_themes_ranked_overall_and_by_group(document):
    rows = document["themes"]["rows"]
    assert rows[0]["name"] == "Whole-system working"
    shown = [t["respondents"] for t in rows if t["respondents"] is not None]
    assert shown == sorted(shown, reverse=True)
    assert [g["group"] for g in document["themes"]["groups"]] == ["community", "councils", "others"]
    for t in rows:  # no hidden group count can be worked out from the theme's total
        hidden = [i for i, c in enumerate(t["by_group"]) if c is None]
        assert len(hidden) != 1 or t["respondents"] is None
        if not hidden:
            assert sum(t["by_group"]) == t["respondents"]
    codebook = {c["name"]: c["count"] for c in document["codebook"]}
    assert codebook["Short-term funding"] == 8 and codebook["Late payment"] == 1


def test_questions_rows_and_suppression(document, evidence):
    questions = {q["key"]: q for q in document["questions"]}
    capacity = questions["capacity"]
    assert capacity["total"] == 41
    assert sum(r["count"] for r in capacity["rows"]) == 41
    barriers = {r["value"]: r for r in questions["barriers"]["rows"]}
    assert barriers["short_contracts"]["count"] == 41 and barriers["short_contracts"]["percent"] == 100.0
    assert barriers["late_payment"] == {"value": "late_payment", "label": "Payments are late", "count": None,
                                        "percent": None, "suppressed": True}


def test_summary_and_methodology_come_from_the_figures(document):
    summary = " ".join(document["executive_summary"])
    assert "41 people and organisations responded" in summary
    assert "8 responses came from 1 organised campaign" in summary
    assert ("recommended action on 1 theme that no consulted principle covers: Short-term funding. We propose it as "
            "candidate principle 4, each headed by a respondent's own recommendation.") in summary
    methodology = " ".join(document["methodology"]["paragraphs"])
    assert "A researcher and an administrator coded" in methodology  # coders by role, never by email
    assert "Over all codes, Krippendorff's alpha was 0.81 and Cohen's kappa 0.78, on 12 answers" in methodology
    assert "Coders accepted 15 and rejected 5." in methodology
    assert document["methodology"]["coding"]["agreement"][0] == {"label": "All codes", "alpha": 0.81, "kappa": 0.78,
                                                                 "n": 12}


def test_methods_sentences_are_short_and_suggestions_left_pending_are_said(evidence):
    from dataclasses import replace

    from analysis.draft_selection import sentences_of

    document = build_draft(replace(evidence, coding=replace(evidence.coding, machine_suggested=30)))
    methodology = document["methodology"]["paragraphs"]
    assert "Coders accepted 15 and rejected 5; 10 were not reviewed and are not in the coding." in " ".join(methodology)
    lengths = [len(s.split()) for paragraph in methodology for s in sentences_of(paragraph)]
    assert lengths and max(lengths) <= 70


def test_demo_evidence_is_labelled():
    document = build_draft(make_evidence(demo=True))
    assert document["demo"] is True
    assert "demonstration data" in document["executive_summary"][0]


def test_same_input_same_output(document, evidence):
    again = build_draft(make_evidence())
    assert json.dumps(again, sort_keys=True) == json.dumps(document, sort_keys=True)
    campaigns = detect_campaigns(evidence)
    assert build_draft(evidence, campaigns=campaigns) == document


def test_apply_edits_returns_a_new_document(document):
    p1 = principle(document, "p1")
    swap_in = p1["quote_candidates"][0]["id"]
    keep = p1["quotes"][1]["id"]
    before = json.dumps(document, sort_keys=True)
    edited = apply_edits(document, {"headlines": {"p1": "  Plan services around  people "}, "quotes": {"p1": [swap_in, keep]}})
    assert json.dumps(document, sort_keys=True) == before
    e1 = principle(edited, "p1")
    assert e1["headline"] == "Plan services around people"
    assert [q["id"] for q in e1["quotes"]] == [swap_in, keep]
    pool = {q["id"] for q in p1["quotes"] + p1["quote_candidates"]}
    assert {q["id"] for q in e1["quote_candidates"]} == pool - {swap_in, keep}
    with pytest.raises(ValueError):
        apply_edits(document, {"quotes": {"p1": ["q-not-there"]}})
    with pytest.raises(ValueError):
        apply_edits(document, {"headlines": {"p9": "x"}})


def test_compare_shows_the_changes_themselves(document):
    assert compare(document, document) == []
    p1 = principle(document, "p1")
    swap_in = p1["quote_candidates"][0]
    edited = apply_edits(document, {"headlines": {"p2": "Plan around neighbourhoods"},
                                    "quotes": {"p1": [q["id"] for q in p1["quotes"][:2]] + [swap_in["id"]]}})
    changes = compare(document, edited)
    assert [(c["what"], c["principle"]) for c in changes] == [("Quotes", "p1"), ("Headline", "p2")]
    quotes, headline = changes
    assert quotes["where"] == "Principle 1: Think about the whole system, not service silos"
    assert quotes["before"] == [q["text"] for q in p1["quotes"][2:]] and quotes["after"] == [swap_in["text"]]
    assert headline["before"] == ["Coordinate services at the neighbourhood level"]
    assert headline["after"] == ["Plan around neighbourhoods"]
    assert "p1" not in json.dumps([{k: v for k, v in c.items() if k != "principle"} for c in changes])
    smaller = build_draft(make_evidence())
    smaller["principles"] = [p for p in smaller["principles"] if p["source"] == "consulted"]
    smaller["counts"]["respondents"] -= 1
    found = compare(document, smaller)
    assert [(c["what"], c["before"], c["after"]) for c in found][:2] == [
        ("Responses", ["41"], ["40"]),
        ("Principle taken out", ["Fund local charities for three years at a time"], [])]


def test_unknown_vote_values_are_rejected_and_unknown_voters_only_counted_in_totals():
    from dataclasses import replace

    base = make_evidence()
    p1 = base.principles[0]
    with pytest.raises(ValueError, match="maybe"):
        build_draft(replace(base, principles=(replace(p1, votes=p1.votes + (("KIL-0001", "maybe"),)),)))
    stranger = replace(p1, votes=p1.votes + (("KIL-9999", "agree"),))
    figures = principle(build_draft(replace(base, principles=(stranger,))), "p1")["agreement"]
    assert figures["total"] == len(p1.votes) + 1
    assert sum(g["n"] or 0 for g in figures["by_group"]) <= len(p1.votes)


def test_empty_evidence_gives_a_draft_without_invented_views():
    from dataclasses import replace

    base = make_evidence()
    empty = replace(base, respondents=(), answers=(), questions=(),
                    principles=tuple(replace(p, votes=()) for p in base.principles))
    document = build_draft(empty)
    assert document["counts"]["respondents"] == 0
    assert [p["status"] for p in document["principles"]] == ["mixed"] * 3
    assert all(not p["quotes"] and not p["what_we_heard"] for p in document["principles"])
    summary = " ".join(document["executive_summary"])
    assert "No one said how far they agree with Principle 1" in summary and "Views were mixed" not in summary


def counted(evidence: Evidence) -> Evidence:
    """The same evidence as the app hands it over at scale: columns, votes counted by group with a lookup
    for single votes, closed answers counted by option."""
    from dataclasses import replace

    group = {r.id: r.group for r in evidence.respondents}
    asked = []

    def lookup(key, ids):
        asked.append(len(ids))
        votes = dict(next(p for p in evidence.principles if p.agreement_key == key).votes)
        return {rid: votes[rid] for rid in ids if rid in votes}

    def tally(p):
        counts = Counter((value, group.get(rid)) for rid, value in p.votes)
        return tuple((value, g, n) for (value, g), n in counts.items())

    def closed(q):
        answered = [set(values) for _, values in q.answers if values]
        return replace(q, answers=(), counts=tuple(sum(v in s for s in answered) for v, _ in q.options),
                       answered=len(answered), single_valued=all(len(s) == 1 for s in answered))

    return replace(evidence, respondents=Respondents.of(evidence.respondents), answers=Answers.of(evidence.answers),
                   principles=tuple(replace(p, votes=(), tally=tally(p)) for p in evidence.principles),
                   questions=tuple(map(closed, evidence.questions)), vote_lookup=lookup), asked


def test_counted_evidence_gives_the_same_draft(document, evidence):
    columns, asked = counted(evidence)
    assert list(columns.respondents) == list(evidence.respondents) and columns.answers == evidence.answers
    assert build_draft(columns) == document
    assert asked and max(asked) <= 260  # single votes are looked up only for the answers sampled
    with pytest.raises(ValueError, match="maybe"):
        from dataclasses import replace

        p1 = columns.principles[0]
        build_draft(replace(columns, principles=(replace(p1, tally=p1.tally + (("maybe", "others", 1),)),)))

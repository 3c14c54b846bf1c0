"""The evidence a draft is built from: the loader's counts and columns against a plain row-by-row reading, the
signatures kept for each response (after submit and import, and for older responses), and campaigns found from
stored signatures (and kept in a cache) against detecting them from the texts."""
from __future__ import annotations

import json
import random
from collections import defaultdict
from dataclasses import replace

import pytest
from sqlalchemy import func, select

import consult.campaigns.services as campaign_services
from analysis.evidence import (
    AgreementRow,
    ClosedQuestion,
    CodedAnswer,
    CodingFacts,
    ConsultedPrinciple,
    Evidence,
    Respondent,
    ThemeEntry,
)
from analysis.principles import build_draft, detect_campaigns
from consult.auth.models import User
from consult.campaigns.models import CampaignCache, ResponseSignature
from consult.campaigns.services import current_campaigns, store_signatures
from consult.coding.agreement import figures
from consult.coding.final import final_coding
from consult.coding.models import (
    Adjudication,
    AnswerReview,
    CodeAssignment,
    Coder,
    SampleItem,
    Theme,
)
from consult.coding.samples import create_sample
from consult.extensions import db
from consult.interchange.importing import plan_import, run_import
from consult.principles.loader import load
from consult.responses.models import Answer, Response
from consult.surveys.kinds import AGREE_SCALE
from consult.surveys.services import load_definition
from consult.workspace.services import erase_response
from tests.factories import make_response

TEMPLATE = ("As members of the Riverside Community Trust we ask the council to keep commissioning local groups "
            "because they know the families on our estates")
WHY = ["Big contracts shut small charities out of the work they have done for years.",
       "Local groups spot problems early and can act before they grow into a crisis.",
       "We need longer grants, not another twelve month pot that stops in March.",
       "Procurement rules make it hard for councils to buy from small providers."]
WORDS = ("river market school bus clinic library park hall garden bakery choir football youth elders food bank "
         "housing debt advice carers nursery allotment chapel museum pool cafe theatre ferry farm mill bridge").split()
TYPES = ["charity", "councillor", "commissioner", "member_of_public", "community_organisation", "other"]
CONSENT = ["with_name", "organisation_only", "anonymous", "not_published"]
SCALE = [value for value, _ in AGREE_SCALE]


def web_answers(n: int) -> dict:
    kind = TYPES[n % len(TYPES)]
    answers = {"respondent_type": {"value": kind, "text": "Parish clerk" if kind == "other" else None},
               "capacity": {"value": "organisation" if n % 3 == 0 else "individual"},
               "publish_consent": {"value": CONSENT[n % 4]}, "contact_consent": {"value": "no"},
               "barriers": {"value": [["contract_scale"], ["short_contracts", "late_payment"], ["price_competition"]][n % 3]}}
    if n % 3 == 0:
        answers["organisation_name"] = {"value": None, "text": f"Hilltop Trust {n}"}
        answers["organisation_type"] = {"value": "charity"}
    if n % 4 == 0:
        answers["respondent_name"] = {"value": None, "text": f"Sam Jones {n}"}
    for p in range(1, 4):
        answers[f"principle_{p}_agreement"] = {"value": SCALE[(n + p) % len(SCALE)]}
        words = random.Random(n * 10 + p).sample(WORDS, 10)  # so that no two people write near-copies
        answers[f"principle_{p}_why"] = {"value": None, "text": f"{WHY[(n + p) % 4]} {' '.join(words).capitalize()}."}
    return answers


def copying(n: int, text: str) -> dict:
    """A web response whose only free text is `text`."""
    answers = {k: v for k, v in web_answers(n).items() if not k.endswith("_why")}
    return answers | {"principle_1_why": {"value": None, "text": text}}


@pytest.fixture
def survey(app, kil_definition):
    """Web and imported responses, a campaign of letters, two people and a machine coding, a review with
    no code, an adjudication, a merged theme and a double-coding sample."""
    survey = load_definition(kil_definition, open_survey=True).survey
    for n in range(18):
        make_response(survey, web_answers(n))
    letters = "".join(f'L{i},charity,individual,agree,"{TEMPLATE}{" Thank you." if i % 2 else ""}"\n' for i in range(4))
    run_import(plan_import(survey, ("id,respondent_type,capacity,principle_1_agreement,principle_1_why\n" + letters)
                           .encode(), "letters.csv", "email"))
    users = [User(email=f"{n}@example.org", name=n, password_hash="!", role="researcher") for n in ("alice", "bob")]
    db.session.add_all(users)
    db.session.flush()
    alice, bob = (Coder(kind="person", user_id=u.id, name=u.name.title()) for u in users)
    machine = Coder(kind="machine", name="Machine suggestions")
    themes = [Theme(survey_id=survey.id, name=name, description=f"About {name.lower()}", position=i)
              for i, name in enumerate(["Contract size", "Local knowledge", "Short funding", "Old theme"])]
    db.session.add_all([alice, bob, machine, *themes])
    db.session.flush()
    themes[3].merged_into_id = themes[2].id
    why = list(db.session.scalars(select(Answer).where(Answer.text.is_not(None)).order_by(Answer.id)))
    for i, answer in enumerate(why):
        mine = [themes[i % 4], themes[(i + 1) % 4]] if i % 5 == 0 else [themes[i % 4]]
        db.session.add_all(CodeAssignment(answer_id=answer.id, theme_id=t.id, coder_id=alice.id, status="applied") for t in mine)
        if i < 12:  # Bob codes some of the same answers, agreeing with Alice on every other one
            theirs = mine if i % 2 else [themes[(i + 2) % 4]]
            db.session.add_all(CodeAssignment(answer_id=answer.id, theme_id=t.id, coder_id=bob.id, status="applied")
                               for t in theirs)
        if i % 3 == 0:
            db.session.add(CodeAssignment(answer_id=answer.id, theme_id=themes[1].id, coder_id=machine.id,
                                          status=["suggested", "accepted", "rejected"][i % 9 // 3]))
    db.session.add(AnswerReview(answer_id=why[13].id, coder_id=bob.id))  # Bob decided: no code applies
    db.session.add(Adjudication(answer_id=why[2].id, theme_ids=[themes[0].id, themes[2].id]))
    db.session.commit()
    create_sample(survey, "principle_2_why", 0.5, users[0], users[1], seed=1)
    return survey


def agreement(survey) -> tuple:
    """Over all codes: alpha across the people, and kappa over the pairs weighted by the answers each shares;
    no code here is used on 30 double-coded answers, so there is no row per code."""
    rows, overall, _ = figures(survey)
    pairs = [row.figures for row in rows if not row.machine and row.figures.kappa.value is not None]
    kappa = sum(p.kappa.value * p.n for p in pairs) / sum(p.n for p in pairs) if pairs else None
    return (AgreementRow("All codes", overall.value, kappa, overall.n),)


def attribution(consent, name, org_name, org_type, kind):
    def article(label):
        return ("an " if label[0].lower() in "aeiou" else "a ") + label.lower()

    if consent == "with_name":
        return name or "Anonymous respondent"
    if consent == "organisation_only":
        if org_name:
            return f"{org_name}, {article(org_type)}" if org_type else org_name
        label = org_type or kind
        return article(label).capitalize() if label else "Anonymous respondent"
    return "Anonymous respondent" if consent == "anonymous" else None


def reference(survey) -> Evidence:
    """The evidence read row by row from the ORM objects, with the app's own final-coding and agreement rules."""
    current = survey.current_version
    type_q = next(q for q in current.questions if q.role == "respondent_type")
    labels = {c["value"]: c["label"] for c in type_q.settings["choices"]} | {"other": type_q.settings["other"]["label"]}
    groups = {c["value"]: c.get("group", "others") for c in type_q.settings["choices"]}
    responses = list(db.session.scalars(select(Response).where(Response.survey_id == survey.id).order_by(Response.id)))
    every = sorted((a for r in responses for a in r.answers), key=lambda a: a.id)
    finals = final_coding([a.id for a in every])
    names = {t.id: t.name for t in db.session.scalars(select(Theme))}
    people, answers, chosen = [], [], defaultdict(list)
    for r in responses:
        facts = {a.question.key: a for a in r.answers}
        org_type = facts.get("organisation_type")
        people.append(Respondent(
            r.reference, groups.get(r.respondent_type or "", "others"), labels.get(r.respondent_type or "", r.respondent_type),
            r.channel, attribution(facts["publish_consent"].value if "publish_consent" in facts else None,
                                   facts["respondent_name"].text if "respondent_name" in facts else None,
                                   facts["organisation_name"].text if "organisation_name" in facts else None,
                                   "Charity" if org_type else None,
                                   facts["respondent_type"].text if r.respondent_type == "other"
                                   else labels.get(r.respondent_type or ""))))
    for a in every:
        q, ref = a.question, a.response.reference
        if q.kind in ("long_text", "short_text") and q.role is None and a.text is not None:
            coded = finals[a.id].theme_ids if a.id in finals else []
            answers.append(CodedAnswer(str(a.id), ref, q.key, a.text, tuple(names[t] for t in coded)))
        if a.options and q.kind in ("single_choice", "multiple_choice", "agree_scale"):
            chosen[q.key].append((ref, tuple(o.value for o in sorted(a.options, key=lambda o: o.id))))
    principles = []
    for page in current.pages:
        scale = next((q for q in page.questions if q.role == "principle"), None)
        if scale:
            why = next(q for q in page.questions if q.kind == "long_text")
            principles.append(ConsultedPrinciple(len(principles) + 1, page.title.partition(":")[2].strip(), page.intro or "",
                                                 scale.key, why.key, tuple((ref, v[0]) for ref, v in chosen[scale.key])))
    closed = tuple(ClosedQuestion(q.key, q.title, q.kind, tuple(AGREE_SCALE) if q.kind == "agree_scale" else tuple(
        [(c["value"], c["label"]) for c in q.settings["choices"]] + ([("other", q.settings["other"]["label"])]
                                                                     if q.settings.get("other") else [])),
        tuple(chosen[q.key])) for q in current.questions
        if q.kind in ("single_choice", "multiple_choice", "agree_scale") and q.role != "principle")
    themes = sorted(db.session.scalars(select(Theme).where(Theme.merged_into_id.is_(None))), key=lambda t: (t.position, t.name))
    # Only opinions are coded: answers to text questions without a role (not names, not "other" boxes).
    codable = {a.id for a in every if a.question.kind in ("long_text", "short_text") and a.question.role is None}
    machine = [c for c in db.session.scalars(select(CodeAssignment).join(Coder).where(Coder.kind == "machine"))
               if c.answer_id in codable]
    coding = CodingFacts(
        coders=db.session.scalar(select(func.count(func.distinct(CodeAssignment.coder_id))).join(Coder).where(Coder.kind == "person")),
        coded_answers=sum(1 for a, f in finals.items() if f.theme_ids and a in codable),
        double_coded=db.session.scalar(select(func.count(func.distinct(SampleItem.answer_id)))),
        agreement=agreement(survey), machine_suggested=len(machine),
        machine_accepted=sum(c.status == "accepted" for c in machine), machine_rejected=sum(c.status == "rejected" for c in machine),
        coder_roles=(("researcher", 2),))
    return Evidence(survey.title, survey.slug, "now", survey.closes_at.isoformat() + "Z", tuple(people), tuple(answers),
                    tuple(principles), closed, tuple(ThemeEntry(t.name, None, t.description) for t in themes), coding)


def test_a_large_survey_is_read_in_one_pass_with_the_same_figures(survey, monkeypatch):
    """Past 10 * CHUNK coded answers they are read in one pass over the codable answers instead of by chunks of
    ids, and agreement reads the answers two people coded by chunks of SHARED_CHUNK: the same figures."""
    import consult.coding.coder_sets as coder_sets_module
    import consult.coding.figures as figures_module

    few = figures_module.coded_answers(survey)
    monkeypatch.setattr(figures_module, "CHUNK", 1)
    monkeypatch.setattr(coder_sets_module, "SHARED_CHUNK", 2)
    assert len(few) > 10 and figures_module.coded_answers(survey) == few
    assert figures_module.coded_answer_count(survey) == len(few)
    assert load(survey).evidence.coding == reference(survey).coding


def test_loader_reads_what_a_row_by_row_reading_reads(survey):
    loaded = load(survey)
    evidence, expected = loaded.evidence, reference(survey)
    assert list(evidence.respondents) == list(expected.respondents)
    assert list(evidence.answers) == list(expected.answers)
    assert evidence.coding == expected.coding and evidence.codebook == expected.codebook
    assert evidence.coding.double_coded > 0 and len(evidence.coding.agreement) == 1 and evidence.coding.machine_rejected
    campaigns = loaded.campaigns
    assert campaigns == detect_campaigns(expected)
    assert [len(c.answer_ids) for c in campaigns] == [4]
    for min_cell in (1, 5):
        counted = build_draft(replace(evidence, min_cell=min_cell), campaigns=campaigns)
        rows = build_draft(replace(expected, generated_at=evidence.generated_at, min_cell=min_cell), campaigns=campaigns)
        assert json.dumps(counted, sort_keys=True) == json.dumps(rows, sort_keys=True)
    assert counted["principles"][0]["agreement"]["total"] == 22 and counted["principles"][0]["reasons_for"]
    assert {q["key"]: q["total"] for q in counted["questions"]}["barriers"] == 18
    quoted = {q["attribution"] for p in counted["principles"] for q in p["quotes"] + p["quote_candidates"]}
    assert quoted <= {r.quote_as for r in evidence.respondents} - {None}
    chosen = {r.quote_as for r in evidence.respondents}
    assert {"Sam Jones 4", "Hilltop Trust 9, a charity", "A parish clerk"} <= chosen  # name; organisation; type only


def test_signatures_are_kept_for_each_response_and_go_with_it(survey):
    responses = list(db.session.scalars(select(Response).order_by(Response.id)))
    signatures = {s.response_id: s for s in db.session.scalars(select(ResponseSignature))}
    assert set(signatures) == {r.id for r in responses}  # signed by the job each submit and import queued
    letter = next(r for r in responses if r.channel == "email")
    assert signatures[letter.id].signature is not None and signatures[letter.id].text_key is not None
    erase_response(responses[0])
    assert db.session.get(ResponseSignature, responses[0].id) is None


def test_signatures_missing_for_older_responses_are_worked_out_from_their_answers(survey):
    def stored():
        return sorted((s.response_id, s.text_key, s.signature, s.scheme) for s in db.session.scalars(select(ResponseSignature)))

    before = stored()
    db.session.execute(ResponseSignature.__table__.delete())
    db.session.commit()
    assert store_signatures(survey) == 22
    assert stored() == before
    assert store_signatures(survey) == 0


def test_responses_signed_by_a_concurrent_job_first_are_kept_not_refused(survey, monkeypatch):
    """CI: a workspace page signing missing responses while the job queued at submit signed the same ones
    failed with a unique violation on PostgreSQL (its delete saw no rows; its insert met the job's)."""
    table = ResponseSignature.__table__
    before = [dict(r._mapping) for r in db.session.execute(select(table).order_by(table.c.response_id))]
    db.session.execute(table.delete())
    db.session.commit()
    real = campaign_services.signature_rows

    def job_signs_first(texts):
        rows = real(texts)
        with db.engine.begin() as job:
            job.execute(table.insert(), before)
        return rows

    monkeypatch.setattr(campaign_services, "signature_rows", job_signs_first)
    assert store_signatures(survey) == 22
    assert [dict(r._mapping) for r in db.session.execute(select(table).order_by(table.c.response_id))] == before


def test_campaigns_found_by_two_requests_at_once_are_kept_once(survey, monkeypatch):
    real = campaign_services._find
    current_campaigns(survey)
    kept = db.session.get(CampaignCache, survey.id)
    row = {"survey_id": survey.id, "scheme": kept.scheme, "fingerprint": kept.fingerprint,
           "campaigns": kept.campaigns, "computed_at": kept.computed_at}
    db.session.execute(CampaignCache.__table__.delete())
    db.session.commit()

    def other_request_keeps_them_first(survey_id):
        found = real(survey_id)
        with db.engine.begin() as other:
            other.execute(CampaignCache.__table__.insert(), [row])
        return found

    monkeypatch.setattr(campaign_services, "_find", other_request_keeps_them_first)
    assert [len(c.members) for c in current_campaigns(survey)] == [4]
    db.session.expire_all()
    assert db.session.get(CampaignCache, survey.id).campaigns == row["campaigns"]


def test_campaigns_are_reused_until_a_response_is_added_or_erased(survey, monkeypatch):
    found = []
    real = campaign_services._find
    monkeypatch.setattr(campaign_services, "_find", lambda survey_id: found.append(1) or real(survey_id))

    def sizes():
        return [len(c.members) for c in current_campaigns(survey)]

    assert sizes() == [4] and found == [1]
    assert sizes() == [4] and found == [1]
    copy = make_response(survey, copying(3, TEMPLATE))
    assert sizes() == [5] and len(found) == 2
    assert sizes() == [5] and len(found) == 2
    # Erased, and (on SQLite) its id given to a new response: the same count and ids, other words.
    erase_response(copy)
    make_response(survey, copying(1, "The bus to the clinic stops running at six so nobody can get to evening appointments"))
    assert sizes() == [4] and len(found) == 3
    letter = db.session.scalar(select(Response).where(Response.channel == "email").order_by(Response.id))
    erase_response(letter)
    assert sizes() == [3] and len(found) == 4


def test_closing_a_survey_finds_its_campaigns_once(survey, runner, monkeypatch):
    make_response(survey, copying(3, TEMPLATE))  # the kept campaigns are now out of date
    result = runner.invoke(args=["surveys", "close", survey.slug])
    assert "is now closed" in result.output
    assert [len(m) for m, _, _ in db.session.get(CampaignCache, survey.id).campaigns] == [5]
    monkeypatch.setattr(campaign_services, "_find", lambda survey_id: pytest.fail("found again"))
    assert [len(c.members) for c in current_campaigns(survey)] == [5]


def test_a_stored_draft_quotes_campaign_text_only_from_members_who_agreed(survey):
    """Issue 14: the campaigns table printed a member's words though every member refused publication. The
    four imported letters (and three web copies marked "not published") never agreed: their text is in no part
    of the stored draft (data, HTML, PDF); once one member agrees, the campaign speaks through that member."""
    import io

    from pypdf import PdfReader

    from consult.principles.services import build_version

    for n in (3, 7, 11):  # CONSENT[n % 4] == "not_published"
        make_response(survey, copying(n, TEMPLATE))
    draft = build_version(survey, lambda *_: None)
    campaigns = draft.document["counts"]["campaigns"]
    assert campaigns and all(c["template"] is None for c in campaigns)
    pdf = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(draft.pdf)).pages)
    for stored in (json.dumps(draft.document), draft.html, pdf):
        assert TEMPLATE[:40] not in stored
    agreed = make_response(survey, copying(2, TEMPLATE))  # CONSENT[2] == "anonymous"
    quoted = build_version(survey, lambda *_: None)
    campaign = next(c for c in quoted.document["counts"]["campaigns"] if c["template"])
    assert campaign["template"].startswith(TEMPLATE[:30]) and campaign["voice"] == agreed.reference

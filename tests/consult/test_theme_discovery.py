"""Find themes in the workspace: a background job proposes themes, researchers accept, rename, merge, split or
drop them into the codebook (with history), a second run proposes only what is new, erasure reaches the
proposals, and `consult themes discover` writes the same proposals to a file."""
from __future__ import annotations

import json
import random

from sqlalchemy import func, select

from consult.coding.assignments import person_coder
from consult.coding.models import AnswerVector, CodeAssignment, Theme, ThemeChange
from consult.coding.services import create_theme
from consult.extensions import db
from consult.jobs.models import Job
from consult.responses.models import Answer
from consult.workspace.models import ThemeDiscovery, ThemeProposal
from tests.factories import make_response, make_survey

BASE = "/workspace/test-survey"
TOPICS = {
    "parking": ["Car parking at the centre is too expensive", "There is never enough parking near the hall",
                "Free parking would help people visit", "Parking charges put families off coming"],
    "buses": ["The bus service is too infrequent to rely on", "More buses in the evening please",
              "The last bus leaves far too early", "Bus routes do not reach the estate"],
    "youth": ["Young people need a youth club to go to", "Youth workers make a real difference",
              "Activities for young people have been cut", "Open the youth centre at weekends"],
    "funding": ["Small charities lose out on short-term funding", "Grants last one year so funding is never secure",
                "Longer funding would let charities plan", "Funding rounds take too long to decide"],
}
OPENERS = ["", "", "Honestly. ", "In my view: ", "As a resident. "]


def texts(topic: str, count: int, seed: int = 1) -> list[str]:
    """`count` answers on the topic: two of its sentences each, in a seeded order."""
    rng = random.Random(f"{topic}:{seed}")
    return [(rng.choice(OPENERS) + " ".join(rng.sample(TOPICS[topic], 2))).strip() for _ in range(count)]


def respond(survey, topics: list[str], count: int = 16, capacity: str = "individual") -> list[int]:
    """Responses whose 'Why?' answers speak of the topics; returns their answer ids."""
    ids = []
    for topic in topics:
        for text in texts(topic, count):
            response = make_response(survey, {"capacity": {"value": capacity, "text": None},
                                              "p1": {"value": "agree", "text": None}, "p1_why": {"value": None, "text": text},
                                              "publish": {"value": "anonymous", "text": None},
                                              "contact": {"value": "no", "text": None}})
            ids.append(next(a.id for a in response.answers if a.text == text))
    return ids


def find(client, **extra) -> ThemeDiscovery:
    response = client.post(f"{BASE}/themes", data={"questions": "p1_why", "max_themes": "5", **extra})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    run = db.session.scalars(select(ThemeDiscovery).order_by(ThemeDiscovery.id.desc())).first()
    assert response.location.endswith(f"/workspace/jobs/{run.job_id}")
    job = db.session.get(Job, run.job_id)
    assert job.state == "finished", job.error
    db.session.expire_all()
    return run


def by_topic(run: ThemeDiscovery, ids: dict[str, list[int]]) -> dict[str, ThemeProposal]:
    """Each topic's proposal: the one holding most of its answers."""
    return {topic: max(run.proposals, key=lambda p: len(set(p.member_ids) & set(members)))
            for topic, members in ids.items()}


def decide(client, run, proposal, **data):
    return client.post(f"{BASE}/themes/{run.id}/{proposal.id}", data=data)


def test_find_themes_proposes_themes_with_label_description_typical_answers_and_size(app, client, login):
    survey = make_survey()
    ids = {topic: respond(survey, [topic]) for topic in ("parking", "buses", "youth")}
    login("researcher")
    page = client.get(f"{BASE}/themes").get_data(as_text=True)
    assert "Find themes" in page and 'value="p1_why"' in page and 'value="capacity"' not in page.split("Only some")[0]
    run = find(client)
    assert run.answers == 48 and 3 <= len(run.proposals) <= 5
    found = by_topic(run, ids)
    assert len({p.id for p in found.values()}) == 3  # each topic a theme of its own
    for topic, proposal in found.items():
        assert set(proposal.example_ids) <= set(ids[topic]) and proposal.example_ids
        assert len(set(proposal.member_ids) & set(ids[topic])) >= 6
        assert proposal.label and proposal.label.lower() not in ("the", "and") and proposal.description.endswith(".")
        assert proposal.overlaps == []
    job = db.session.get(Job, run.job_id)
    assert job.result["next"]["values"]["discovery_id"] == run.id
    status = client.get(f"/workspace/jobs/{job.id}").get_data(as_text=True)
    assert f'href="{BASE}/themes/{run.id}"' in status and "Review the proposed themes" in status
    html = client.get(f"{BASE}/themes/{run.id}").get_data(as_text=True)
    proposal = found["parking"]
    example = db.session.get(Answer, proposal.example_ids[0]).text
    assert proposal.label in html and example in html and f"{proposal.size} answers" in html
    assert "None: no theme in the codebook covers these answers" in html
    members = client.get(f"{BASE}/themes/{run.id}/{proposal.id}").get_data(as_text=True)
    assert example in members and f"{proposal.size} answers" in members


def test_answers_can_hold_several_themes(app, client, login):
    survey = make_survey()
    respond(survey, ["parking", "buses", "youth"])
    both = []
    for parking, bus in zip(texts("parking", 8, seed=2), texts("buses", 8, seed=2)):
        text = f"{parking}. {bus}"
        response = make_response(survey, {"capacity": {"value": "individual", "text": None},
                                           "p1": {"value": "agree", "text": None}, "p1_why": {"value": None, "text": text},
                                           "publish": {"value": "anonymous", "text": None}})
        both.append(next(a.id for a in response.answers if a.text == text))
    login("researcher")
    run = find(client)
    held = {i: sum(i in p.member_ids for p in run.proposals) for i in both}
    assert max(held.values()) >= 2, held
    html = client.get(f"{BASE}/themes/{run.id}").get_data(as_text=True)
    assert "also in other themes proposed here" in html


def test_find_themes_reads_the_stored_sentence_vectors_when_every_answer_has_one(app, client, login, vectors_on,
                                                                                 monkeypatch):
    """Neighbours by the vectors stored when the answers arrived, never worked out in the run; with one answer
    lacking its vector, the words alone, and the job that works it out is queued."""
    import numpy as np

    import analysis.themes
    from consult.coding.vectors import store_vectors
    from tests.coded_answers import fake_vectors

    survey = make_survey()
    ids = [i for topic in ("parking", "buses", "youth") for i in respond(survey, [topic])]
    store_vectors(survey)  # as the job after each stored response does (it may have run already)
    assert db.session.scalar(select(func.count()).select_from(AnswerVector)) == 48
    asked, discover = [], analysis.themes.discover_themes

    def spy(answers, *args, **kwargs):
        asked.append(kwargs.get("vectors"))
        return discover(answers, *args, **kwargs)

    monkeypatch.setattr(analysis.themes, "discover_themes", spy)
    login("researcher")
    embedded = len(vectors_on)
    run = find(client)
    assert run.answers == 48 and len(vectors_on) == embedded  # read, not worked out
    assert np.array_equal(asked[0], fake_vectors([db.session.get(Answer, i).text for i in sorted(ids)]))
    [later] = respond(survey, ["funding"], count=1)
    db.session.execute(AnswerVector.__table__.delete().where(AnswerVector.answer_id == later))
    db.session.commit()
    find(client)
    assert asked[1] is None
    vectors_job = db.session.scalars(select(Job).where(Job.kind == "answer_vectors").order_by(Job.id.desc())).first()
    assert vectors_job.state == "finished" and db.session.get(AnswerVector, later) is not None


def test_filters_choose_the_answers_read(app, client, login):
    survey = make_survey()
    respond(survey, ["parking", "buses"], capacity="individual")
    youth = respond(survey, ["youth"], capacity="organisation")
    login("researcher")
    run = find(client, capacity="organisation", max_themes="3")
    assert run.answers == 16 and run.filters == {"capacity": "organisation"}
    assert all(set(p.member_ids) <= set(youth) for p in run.proposals)


def test_bad_requests_say_what_is_wrong_and_lose_nothing(app, client, login):
    survey = make_survey()
    respond(survey, ["parking"], count=4)
    login("researcher")
    response = client.post(f"{BASE}/themes", data={"max_themes": "5"})
    assert response.status_code == 400 and "Choose one or more free-text questions" in response.get_data(as_text=True)
    response = client.post(f"{BASE}/themes", data={"questions": "capacity", "max_themes": "5"})
    assert response.status_code == 400
    response = client.post(f"{BASE}/themes", data={"questions": "p1_why", "max_themes": "99"})
    assert response.status_code == 400 and "between 3 and 30" in response.get_data(as_text=True)
    response = client.post(f"{BASE}/themes", data={"questions": "p1_why", "max_themes": "5"})
    job = db.session.get(Job, db.session.scalars(select(ThemeDiscovery)).one().job_id)
    assert job.state == "failed" and "4 answers match" in job.error and "at least 10" in job.error


def test_accept_rename_merge_split_and_drop_keep_history(app, client, login):
    survey = make_survey()
    ids = {topic: respond(survey, [topic]) for topic in ("parking", "buses", "youth", "funding")}
    login("researcher")
    run = find(client)
    found = by_topic(run, ids)
    parking, buses, youth = found["parking"], found["buses"], found["youth"]
    assert decide(client, run, parking, action="accept", name=parking.label).status_code == 302
    assert decide(client, run, buses, action="accept", name="Public transport").status_code == 302
    db.session.expire_all()
    transport = db.session.scalar(select(Theme).where(Theme.name == "Public transport"))
    assert transport.description and "(" not in transport.description  # no counts: they change as answers arrive
    assert db.session.get(Answer, buses.example_ids[0]).text.split()[0] in transport.example
    changes = {c.action: c.detail for c in db.session.scalars(select(ThemeChange).where(ThemeChange.theme_id == transport.id))}
    assert changes["discovered"]["proposed_as"] == buses.label and changes["created"]["name"] == "Public transport"
    # merging two accepted themes is the codebook's merge, with its history
    response = decide(client, run, parking, action="merge", target=f"p:{buses.id}")
    assert response.status_code == 302
    db.session.expire_all()
    first = db.session.get(Theme, parking.theme_id)
    assert first.merged_into_id == transport.id and parking.status == "merged"
    assert {c.action for c in db.session.scalars(select(ThemeChange).where(ThemeChange.theme_id == first.id))} >= {"merged"}
    history = client.get(f"/workspace/test-survey/codebook/{transport.id}").get_data(as_text=True)
    assert "Found by “Find themes”" in history and "merged into this theme" in history
    # split a pending proposal into themes found among its answers; drop and restore
    assert decide(client, run, youth, action="split", parts="2").status_code == 302
    db.session.expire_all()
    parts = [p for p in run.proposals if p.split_from_id == youth.id]
    assert youth.status == "split" and len(parts) == 2
    assert set().union(*(p.member_ids for p in parts)) <= set(youth.member_ids)
    decide(client, run, parts[0], action="drop")
    db.session.expire_all()
    assert parts[0].status == "dropped"
    decide(client, run, parts[0], action="restore")
    db.session.expire_all()
    assert parts[0].status == "proposed"
    # a decided proposal cannot be decided again; a name already in the codebook is refused
    page = client.post(f"{BASE}/themes/{run.id}/{buses.id}", data={"action": "drop"}, follow_redirects=True)
    assert "was already accepted" in page.get_data(as_text=True)
    page = client.post(f"{BASE}/themes/{run.id}/{parts[1].id}", data={"action": "accept", "name": " Public  transport"},
                       follow_redirects=True).get_data(as_text=True)
    db.session.expire_all()
    assert "already a theme called ‘Public transport’" in page and parts[1].status == "proposed"


def test_pending_proposals_merge_into_each_other_or_into_a_codebook_theme(app, client, login):
    survey = make_survey()
    ids = {topic: respond(survey, [topic]) for topic in ("parking", "buses", "youth")}
    login("researcher")
    run = find(client, max_themes="3")
    found = by_topic(run, ids)
    parking, buses, youth = found["parking"], found["buses"], found["youth"]
    size = buses.size
    decide(client, run, parking, action="merge", target=f"p:{buses.id}")
    db.session.expire_all()
    assert parking.status == "merged" and parking.merged_into_id == buses.id
    assert set(parking.member_ids) <= set(buses.member_ids) and buses.size > size
    decide(client, run, buses, action="accept", name="Getting there")
    decide(client, run, youth, action="merge", target=f"p:{buses.id}")  # accepted: into its codebook theme
    db.session.expire_all()
    assert youth.status == "merged" and youth.theme.name == "Getting there"


def test_a_second_run_proposes_only_what_is_new(app, client, login):
    survey = make_survey()
    ids = {topic: respond(survey, [topic]) for topic in ("parking", "buses", "youth")}
    user = login("researcher")
    run = find(client, max_themes="3")
    found = by_topic(run, ids)
    decide(client, run, found["parking"], action="accept", name="Parking")
    decide(client, run, found["buses"], action="drop")
    db.session.expire_all()
    # a theme typed into the codebook, which a person coded on most of the youth answers
    young = create_theme(survey, "Young people", description="Youth clubs and youth workers")
    coder = person_coder(user)
    for answer_id in ids["youth"][:12]:
        db.session.add(CodeAssignment(answer_id=answer_id, theme_id=young.id, coder_id=coder.id, status="applied"))
    db.session.commit()
    ids["funding"] = respond(survey, ["funding"])
    again = find(client, max_themes="3")
    assert again.proposals
    for proposal in again.proposals:
        members = set(proposal.member_ids)
        for old in ("parking", "buses", "youth"):
            assert len(members & set(ids[old])) < 0.5 * len(members), (proposal.label, old)
    funding = by_topic(again, {"funding": ids["funding"]})["funding"]
    assert len(set(funding.member_ids) & set(ids["funding"])) >= 10


def test_erasure_removes_the_answer_from_proposals_and_copied_examples(app, client, login):
    from consult.workspace.services import erase_response

    survey = make_survey()
    ids = {topic: respond(survey, [topic]) for topic in ("parking", "buses", "youth")}
    login("researcher")
    run = find(client, max_themes="3")
    parking = by_topic(run, ids)["parking"]
    decide(client, run, parking, action="accept", name="Parking")
    db.session.expire_all()
    typical = parking.example_ids[0]
    erased = db.session.get(Answer, typical)
    size, wanted = parking.size, len(parking.example_ids)
    theme = db.session.get(Theme, parking.theme_id)
    kept = [text for key, text in parking.examples_copied.items() if key != str(typical)]
    assert theme.example.splitlines() == list(parking.examples_copied.values()) and len(kept) == wanted - 1
    erase_response(erased.response)
    db.session.expire_all()
    for proposal in run.proposals:
        assert typical not in proposal.member_ids and typical not in proposal.example_ids
        assert len(proposal.member_ids) == len(proposal.weights)
    assert parking.size == size - 1 and len(parking.example_ids) == wanted
    assert str(typical) not in parking.examples_copied
    assert theme.example.splitlines() == kept
    assert run.answers == 47 and "of 47" in parking.description
    history = client.get(f"{BASE}/codebook/{theme.id}").get_data(as_text=True)
    assert "Changed example" in history


def test_staff_read_proposals_but_only_researchers_decide(app, client, login):
    survey = make_survey()
    ids = {topic: respond(survey, [topic]) for topic in ("parking", "buses", "youth")}
    login("researcher")
    run = find(client, max_themes="3")
    client.post("/logout")
    login("staff")
    page = client.get(f"{BASE}/themes/{run.id}").get_data(as_text=True)
    assert "Accept" not in page and by_topic(run, ids)["parking"].label in page
    assert client.post(f"{BASE}/themes/{run.id}/{run.proposals[0].id}", data={"action": "drop"}).status_code == 403
    assert client.post(f"{BASE}/themes", data={"questions": "p1_why"}).status_code == 403


def test_cli_writes_the_proposed_themes(app, runner, tmp_path):
    survey = make_survey()
    ids = {topic: respond(survey, [topic]) for topic in ("parking", "buses", "youth")}
    respond(survey, ["funding"], capacity="organisation")
    out = tmp_path / "themes.json"
    result = runner.invoke(args=["themes", "discover", "--survey", "test-survey", "--question", "p1_why",
                                 "--out", str(out), "--max-themes", "4"])
    assert result.exit_code == 0, result.output
    written = json.loads(out.read_text())
    assert written["answers"] == 64 and written["questions"] == ["p1_why"] and 3 <= len(written["themes"]) <= 4
    theme = max(written["themes"], key=lambda t: len(set(t["members"]) & set(ids["parking"])))
    assert set(theme) >= {"label", "description", "keywords", "size", "members", "weights", "examples", "overlaps"}
    assert theme["size"] == len(theme["members"]) and set(theme["examples"]) <= set(ids["parking"])
    assert db.session.scalar(select(ThemeDiscovery.id)) is None  # the command stores nothing
    result = runner.invoke(args=["themes", "discover", "--survey", "test-survey", "--question", "p1_why",
                                 "--question", "story", "--capacity", "organisation", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())["answers"] == 16
    result = runner.invoke(args=["themes", "discover", "--survey", "test-survey", "--question", "capacity",
                                 "--out", str(out)])
    assert result.exit_code != 0 and "choose free-text questions" in result.output
    result = runner.invoke(args=["themes", "discover", "--survey", "nope", "--question", "p1_why", "--out", str(out)])
    assert result.exit_code != 0 and "No survey called" in result.output


def test_proposal_pages_404_outside_their_survey(app, client, login):
    make_survey()
    login("researcher")
    assert client.get(f"{BASE}/themes/999").status_code == 404
    assert client.get(f"{BASE}/themes/999/1").status_code == 404
    assert client.post(f"{BASE}/themes/999/1", data={"action": "drop"}).status_code == 404

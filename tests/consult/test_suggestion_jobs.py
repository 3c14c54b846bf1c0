"""'Suggest codes' as a job: the batch command's training rule, confidence and auto routing, stored per answer;
the same suggestions as `python -m analysis suggest` / `few-shot` on the same data; the queue in order of
confidence or usefulness; accepting all above the auto cut, and undoing it exactly."""
from __future__ import annotations

import json
import random
import re
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import select

from analysis.__main__ import main as analysis_main
from analysis.evaluate import shared_data_dir
from consult.auth.models import AuditEvent
from consult.coding import assignments, bulk, services, suggestions
from consult.coding.models import (
    Adjudication,
    AnswerReview,
    AnswerSuggestion,
    BulkAcceptance,
    CodeAssignment,
    Coder,
    SuggestionRun,
    Theme,
)
from consult.extensions import db
from consult.jobs.models import Job
from consult.responses.models import Answer
from tests.coded_answers import add_answers, decide, fake_vectors, nhs_rows, themes_by_name
from tests.factories import make_survey, make_user

pytestmark = pytest.mark.usefixtures("app")

PHRASES = {
    "Transport": ["the bus is always late", "no buses on sunday", "bus fares keep rising", "the train station closed",
                  "trains are overcrowded", "the bus timetable is unreliable", "the bus route was cut",
                  "rail services are poor", "train tickets cost too much", "the last bus is too early"],
    "Housing": ["rent is too high", "no affordable homes here", "landlords raise the rent", "young people cannot buy homes",
                "rented homes are damp", "the council housing list is long", "new homes are too expensive",
                "homes bought as holiday lets", "not enough social housing", "the landlord will not repair"],
    "Parks": ["the park is full of litter", "the playground is broken", "more trees in the park please",
              "the park gates are locked early", "dogs foul the green", "the benches in the park are broken",
              "keep the park toilets open", "the pond in the park is dirty", "mow the grass on the green",
              "the skate park needs lights"],
}
NOTHING = ["nothing to add", "no comment", "n/a", "none", "I have nothing more to say", "not sure", "no", "see above"]


def synthetic(n: int, seed: int) -> list[tuple[str, list[str]]]:
    """(text, theme names) like people's answers: one theme, sometimes two, sometimes nothing that fits."""
    rng = random.Random(seed)
    rows = []
    for _ in range(n):
        roll = rng.random()
        if roll < 0.1:
            rows.append((rng.choice(NOTHING), []))
            continue
        names = rng.sample(sorted(PHRASES), 2 if roll > 0.85 else 1)
        parts = [rng.choice(PHRASES[name]) for name in names]
        if rng.random() < 0.15:  # people are not consistent: some answers get another theme too, or instead
            names = sorted(set(names[:rng.randint(0, 1)]) | {rng.choice(sorted(PHRASES))})
        rows.append((" and ".join(parts) + rng.choice(["", ".", " really", " in our town"]), sorted(names)))
    return rows


def seed_survey(coded: int, undecided: int, *, seed: int = 0, descriptions: bool = False):
    """A survey whose researcher decided `coded` synthetic answers (some "no code applies"); two more answers
    on which two people disagree, and `undecided` answers nobody has decided."""
    survey = make_survey()
    researcher = make_user("researcher", "sam@example.org")
    other = make_user("researcher", "kim@example.org")
    ids = themes_by_name(survey, sorted(PHRASES))
    if descriptions:
        for theme in db.session.scalars(select(Theme).where(Theme.survey_id == survey.id)):
            theme.description = f"Answers about {theme.name.lower()}: " + "; ".join(PHRASES[theme.name][:3])
            theme.example = "\n".join(PHRASES[theme.name][3:5])
        db.session.commit()
    rows = synthetic(coded + undecided + 2, seed)
    answer_ids = add_answers(survey, [text for text, _ in rows])
    me, them = assignments.person_coder(researcher), assignments.person_coder(other)
    decide(me, [(a, [ids[n] for n in names]) for a, (_, names) in zip(answer_ids[:coded], rows[:coded])])
    disputed = answer_ids[coded:coded + 2]
    decide(me, [(disputed[0], [ids["Transport"]]), (disputed[1], [])])
    decide(them, [(disputed[0], [ids["Housing"]]), (disputed[1], [ids["Parks"]])])
    training = [{"id": str(a), "text": t, "codes": names, "question": "story"}
                for a, (t, names) in zip(answer_ids[:coded], rows[:coded])]
    targets = [{"id": str(a), "text": t, "question": "story"}
               for a, (t, _) in zip(answer_ids[coded + 2:], rows[coded + 2:])]
    return survey, researcher, ids, training, targets, disputed


def write_jsonl(path: Path, rows) -> str:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return str(path)


def batch(tmp_path: Path, command: str, training, targets, codebook=None, extra=()) -> dict[str, dict]:
    """`python -m analysis <command>` on the same coded answers, read with their question as the app does."""
    out = tmp_path / f"{command}.jsonl"
    argv = [command, "--in", write_jsonl(tmp_path / "predict.jsonl", targets), "--out", str(out),
            "--context-field", "question", "--jobs", "1", *extra]
    if training:
        argv += ["--train", write_jsonl(tmp_path / "train.jsonl", training)]
    if codebook is not None:
        (tmp_path / "codebook.json").write_text(json.dumps(codebook), encoding="utf-8")
        argv += ["--codebook", str(tmp_path / "codebook.json")]
    assert analysis_main(argv) == 0
    return {row["id"]: row for row in map(json.loads, out.read_text(encoding="utf-8").splitlines())}


def stored(survey) -> dict[str, dict]:
    """The app's suggestions as the batch command writes them."""
    machine = db.session.scalar(select(Coder).where(Coder.kind == "machine"))
    names = {t.id: t.name for t in db.session.scalars(select(Theme).where(Theme.survey_id == survey.id))}
    codes: dict[int, dict[str, float]] = {}
    for row in db.session.scalars(select(CodeAssignment).where(CodeAssignment.coder_id == machine.id)):
        codes.setdefault(row.answer_id, {})[names[row.theme_id]] = row.score
    return {str(s.answer_id): {"codes": codes.get(s.answer_id, {}), "confidence": s.confidence, "auto": s.auto,
                               "review_rank": s.review_rank, "no_code": s.no_code}
            for s in db.session.scalars(select(AnswerSuggestion))}


def assert_same(app_rows: dict[str, dict], batch_rows: dict[str, dict]) -> None:
    assert app_rows.keys() == batch_rows.keys()
    for answer_id, row in batch_rows.items():
        mine = app_rows[answer_id]
        assert set(mine["codes"]) == set(row["codes"]), answer_id
        assert all(mine["codes"][c] == row["scores"][c] for c in row["codes"] if c in row["scores"]), answer_id
        assert (mine["confidence"], mine["auto"], mine["review_rank"], mine["no_code"]) == (
            row["confidence"], row["auto"], row["review_rank"], not row["codes"]), answer_id


def test_suggest_job_learns_no_code_skips_decided_answers_and_equals_the_batch_command(client, tmp_path):
    survey, researcher, ids, training, targets, disputed = seed_survey(440, 60)
    client.post("/login", data={"email": "sam@example.org", "password": "correct horse battery staple"})
    response = client.post("/workspace/test-survey/suggest", data={"question_key": "story"})
    job = db.session.scalar(select(Job).where(Job.kind == "coding_suggest"))
    assert response.location.endswith(f"/workspace/jobs/{job.id}") and job.state == "finished", job.error
    page = client.get(response.location).get_data(as_text=True)
    assert "of 60 undecided answers" in page and "learning from 440 coded answers" in page

    run = db.session.scalar(select(SuggestionRun))
    assert (run.method, run.trained_on, run.answers, run.job_id) == ("supervised", 440, 60, job.id)
    assert run.auto_cut is not None and 0 < run.auto_cut <= 1
    app_rows = stored(survey)
    assert set(app_rows) == {t["id"] for t in targets}  # nothing on decided or disputed answers
    assert not {str(a) for a in disputed} & set(app_rows)
    assert any(r["no_code"] for r in app_rows.values()) and any(r["auto"] for r in app_rows.values())
    assert_same(app_rows, batch(tmp_path, "suggest", training, targets))
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "codes.suggested")).detail["run"] == run.id


def test_before_400_coded_answers_the_codebook_suggests_as_the_few_shot_command_does(tmp_path):
    survey, researcher, ids, training, targets, _ = seed_survey(0, 40, descriptions=True)
    suggestions.run_suggestions(survey, "story", by=researcher)
    run = db.session.scalar(select(SuggestionRun))
    assert (run.method, run.trained_on, run.auto_cut) == ("few-shot", 0, None)
    app_rows = stored(survey)
    codebook = [{"name": t.name, "description": t.description, "examples": t.example.splitlines()}
                for t in db.session.scalars(select(Theme).order_by(Theme.position))]
    assert_same(app_rows, batch(tmp_path, "few-shot", [], targets, codebook))
    bus = [t["id"] for t in targets if "bus" in t["text"] and " and " not in t["text"]]
    assert bus and all("Transport" in app_rows[a]["codes"] for a in bus)  # before anyone has coded


def test_few_shot_blends_with_what_people_coded_as_the_command_does(tmp_path):
    survey, researcher, ids, training, targets, _ = seed_survey(60, 40, descriptions=True, seed=1)
    suggestions.run_suggestions(survey, "story", by=researcher)
    run = db.session.scalar(select(SuggestionRun))
    assert (run.method, run.trained_on) == ("few-shot", 60)
    codebook = [{"name": t.name, "description": t.description, "examples": t.example.splitlines()}
                for t in db.session.scalars(select(Theme).order_by(Theme.position))]
    assert_same(stored(survey), batch(tmp_path, "few-shot", training, targets, codebook))


@pytest.mark.skipif(not (shared_data_dir() / "nhs-feedback").is_dir(),
                    reason="the shared NHS feedback set is not here (../shared/data or CONSULT_SHARED_DATA)")
def test_on_a_slice_of_the_nhs_set_the_app_equals_the_batch_command(tmp_path):
    rows = nhs_rows(str(shared_data_dir()))[::6][:560]  # every 6th answer: all trusts and questions
    survey = make_survey()
    researcher = make_user("researcher", "sam@example.org")
    ids = themes_by_name(survey, sorted({c for r in rows for c in r["codes"]}))
    answer_ids = add_answers(survey, [r["text"] for r in rows])
    coded = 440
    decide(assignments.person_coder(researcher),
           [(a, [ids[c] for c in r["codes"]]) for a, r in zip(answer_ids[:coded], rows[:coded])])
    assert sum(not r["codes"] for r in rows[:coded]) > 5  # "no code applies" answers are in the training
    suggestions.run_suggestions(survey, "story", by=researcher)
    training = [{"id": str(a), "text": r["text"], "codes": r["codes"], "question": "story"}
                for a, r in zip(answer_ids[:coded], rows[:coded])]
    targets = [{"id": str(a), "text": r["text"], "question": "story"} for a, r in zip(answer_ids[coded:], rows[coded:])]
    assert_same(stored(survey), batch(tmp_path, "suggest", training, targets))


def snapshot() -> tuple:
    return (sorted(db.session.execute(select(CodeAssignment.id, CodeAssignment.answer_id, CodeAssignment.theme_id,
                                             CodeAssignment.coder_id, CodeAssignment.status, CodeAssignment.score,
                                             CodeAssignment.span_start)).all()),
            sorted(db.session.execute(select(AnswerReview.id, AnswerReview.answer_id, AnswerReview.coder_id)).all()),
            sorted(db.session.execute(select(Adjudication.id, Adjudication.answer_id)).all()))


def test_accept_all_above_the_auto_cut_is_audited_and_undo_restores_exactly(client):
    survey, researcher, ids, training, targets, _ = seed_survey(440, 60)
    suggestions.run_suggestions(survey, "story", by=researcher)
    client.post("/login", data={"email": "sam@example.org", "password": "correct horse battery staple"})
    confident = {s.answer_id: s for s in bulk.confident(survey, "story")}
    assert 0 < len(confident) < 60
    page = client.get("/workspace/test-survey/suggestions?question=story&order=confidence").get_data(as_text=True)
    assert f"Accept all {len(confident)} above the auto cut" in page
    shown = [float(c) for c in re.findall(r'data-confidence="([0-9.]+)"', page)]
    assert shown == sorted(shown, reverse=True) and len(shown) == 50

    before = snapshot()
    machine_codes = {a: set(rows["codes"]) for a, rows in stored(survey).items() if int(a) in confident}
    client.post("/workspace/test-survey/suggestions/accept-confident", data={"question": "story"})
    me = assignments.person_coder(researcher)
    final = {a: {t for (t,) in db.session.execute(select(Theme.name).join(CodeAssignment).where(
        CodeAssignment.answer_id == int(a), CodeAssignment.coder_id == me.id))} for a in machine_codes}
    assert final == machine_codes
    reviewed = set(db.session.scalars(select(AnswerReview.answer_id).where(AnswerReview.coder_id == me.id)))
    assert set(confident) <= reviewed and not bulk.confident(survey, "story")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "codes.bulk_accepted"))
    assert event.detail["answers"] == len(confident) and event.user_id == researcher.id

    done = db.session.scalar(select(BulkAcceptance))
    undone = client.post(f"/workspace/test-survey/suggestions/accepted/{done.id}/undo", follow_redirects=True)
    assert f"Undone: {len(confident)} answers are back as they were" in undone.get_data(as_text=True)
    assert snapshot() == before
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "codes.bulk_accept_undone"))
    again = client.post(f"/workspace/test-survey/suggestions/accepted/{done.id}/undo", follow_redirects=True)
    assert "already undone" in again.get_data(as_text=True) and snapshot() == before

    # Accepted again, then the researcher recodes one answer: undo leaves that answer as they left it.
    client.post("/workspace/test-survey/suggestions/accept-confident", data={"question": "story"})
    recoded = db.session.get(Answer, min(confident))
    assignments.save_codes(recoded, me, {ids["Parks"], ids["Housing"]}, by=researcher)
    latest = db.session.scalar(select(BulkAcceptance).order_by(BulkAcceptance.id.desc()))
    message = client.post(f"/workspace/test-survey/suggestions/accepted/{latest.id}/undo",
                          follow_redirects=True).get_data(as_text=True)
    assert f"{len(confident) - 1} answers are back as they were" in message and "1 changed since" in message
    mine = {t for (t,) in db.session.execute(select(CodeAssignment.theme_id).where(
        CodeAssignment.answer_id == recoded.id, CodeAssignment.coder_id == me.id))}
    assert mine == {ids["Parks"], ids["Housing"]}
    assert [row for row in snapshot()[0] if row[1] != recoded.id] == [row for row in before[0] if row[1] != recoded.id]


def test_queue_in_order_of_confidence_or_usefulness_and_the_screen_shows_confidence(client):
    survey, researcher, ids, training, targets, _ = seed_survey(440, 30)
    suggestions.run_suggestions(survey, "story", by=researcher)
    me = assignments.person_coder(researcher)
    rows = list(db.session.scalars(select(AnswerSuggestion)))
    by_confidence = [s.answer_id for s in sorted(rows, key=lambda s: (-s.confidence, s.answer_id))]
    by_rank = [s.answer_id for s in sorted(rows, key=lambda s: s.review_rank)]
    assert assignments.next_uncoded(survey, me, "story", order="confidence") == by_confidence[0]
    assert assignments.next_uncoded(survey, me, "story", after=by_confidence[0], order="confidence") == by_confidence[1]
    assert assignments.next_uncoded(survey, me, "story", order="usefulness") == by_rank[0]
    assert assignments.next_uncoded(survey, me, "story", after=by_rank[0], order="usefulness") == by_rank[1]

    client.post("/login", data={"email": "sam@example.org", "password": "correct horse battery staple"})
    first = client.get("/workspace/test-survey/code?question=story&order=usefulness")
    assert first.location.endswith(f"/code/{by_rank[0]}?question=story&order=usefulness")
    top = next(s for s in rows if s.answer_id == by_rank[0])
    page = client.get(first.location).get_data(as_text=True)
    assert f"Confidence {int(top.confidence * 100)}%" in page and f"usefulness rank {top.review_rank}" in page
    saved = client.post(first.location, data={"themes": [str(ids["Parks"])], "go": "next"})
    assert saved.location.endswith(f"/code?after={by_rank[0]}&question=story&order=usefulness")
    assert client.get(saved.location).location.endswith(f"/code/{by_rank[1]}?question=story&order=usefulness")


def test_nothing_to_suggest_and_no_codebook_are_said_plainly(client, login):
    survey = make_survey()
    login("researcher")
    add_answers(survey, ["the bus is late"])
    page = client.post("/workspace/test-survey/suggest", data={"question_key": "story"}, follow_redirects=True)
    assert "The codebook is empty" in page.get_data(as_text=True)
    assert not db.session.scalar(select(AnswerSuggestion))
    transport = services.create_theme(survey, "Transport", description="Buses, trains and getting about")
    page = client.post("/workspace/test-survey/suggest", data={"question_key": "story"}, follow_redirects=True)
    assert "The machine suggested codes for 1 of 1 undecided answers" in page.get_data(as_text=True)
    decide(assignments.person_coder(make_user("researcher", "kim@example.org")), [(db.session.scalar(
        select(AnswerSuggestion.answer_id)), [transport.id])])
    page = client.post("/workspace/test-survey/suggest", data={"question_key": "story"}, follow_redirects=True)
    assert "Every answer to this question has been decided by a person" in page.get_data(as_text=True)
    assert client.post("/workspace/test-survey/suggest", data={"question_key": "nope"}).location.endswith("/code")


def test_new_answers_get_their_vector_once_in_a_job_and_other_languages_none(app, vectors_on):
    from consult.coding.models import AnswerVector
    from consult.coding.vectors import queue_vectors, stored_vectors
    from consult.responses.models import Response
    from consult.responses.signals import responses_stored

    survey = make_survey()
    english = add_answers(survey, ["the bus is late", "rent is too high"])
    welsh = add_answers(survey, ["mae'r bws yn hwyr"])
    db.session.get(Answer, welsh[0]).response.language = "cy"  # the model reads English only
    db.session.commit()
    responses_stored.send(app, survey_id=survey.id, response_ids=list(db.session.scalars(select(Response.id))))
    job = db.session.scalar(select(Job).where(Job.kind == "answer_vectors"))
    assert job.state == "finished" and "2 new answers given a sentence vector" in job.result["summary"]
    assert vectors_on == [["the bus is late", "rent is too high"]]
    assert set(db.session.scalars(select(AnswerVector.answer_id))) == set(english)
    assert np.array_equal(stored_vectors(english), fake_vectors(["the bus is late", "rent is too high"]))
    assert stored_vectors([*english, *welsh]) is None  # one without: none, so the words alone are read
    queue_vectors(survey.id)
    assert len(vectors_on) == 1  # nothing new to embed


def test_vectors_another_job_stored_meanwhile_or_an_older_model_made_are_replaced(app, vectors_on, monkeypatch):
    from consult.coding import vectors
    from consult.coding.models import AnswerVector
    from tests.coded_answers import fake_vectors

    survey = make_survey()
    ids = add_answers(survey, ["the bus is late", "rent is too high", "more bins"])
    old = {"survey_id": survey.id, "scheme": "an-older-model", "vector": b"\0" * 8}
    with db.engine.begin() as connection:
        connection.execute(AnswerVector.__table__.insert(), [{"answer_id": ids[0], **old}])
    db.session.execute(AnswerVector.__table__.delete().where(AnswerVector.answer_id != ids[0]))
    db.session.commit()
    assert db.session.execute(select(AnswerVector.answer_id, AnswerVector.scheme)).all() == [(ids[0], "an-older-model")]
    real = vectors.embedder()

    def another_job_first(texts):
        made = real(texts)
        with db.engine.begin() as job:  # stores the same numbers, and commits, while this one embeds
            job.execute(AnswerVector.__table__.insert(), [
                {"answer_id": ids[1], "survey_id": survey.id, "scheme": vectors.scheme(),
                 "vector": np.asarray(fake_vectors(["rent is too high"]), dtype="<f4")[0].tobytes()}])
        return made

    monkeypatch.setattr(vectors, "embedder", lambda: another_job_first)
    assert vectors.store_vectors(survey) == 3
    assert set(db.session.scalars(select(AnswerVector.scheme))) == {vectors.scheme()}
    assert np.array_equal(vectors.stored_vectors(ids), fake_vectors(["the bus is late", "rent is too high", "more bins"]))


def test_with_stored_vectors_the_job_equals_the_batch_command_given_them(tmp_path, vectors_on):
    from consult.coding.vectors import store_vectors

    survey, researcher, ids, training, targets, _ = seed_survey(440, 60)
    assert store_vectors(survey) == 502  # as the job after `responses_stored` does (440 + 2 disputed + 60)
    suggestions.run_suggestions(survey, "story", by=researcher)
    assert len(vectors_on) == 2  # nothing embedded while suggesting (a chunk of 500, then 2)
    app_rows = stored(survey)
    np.save(tmp_path / "train.npy", fake_vectors([r["text"] for r in training]))
    np.save(tmp_path / "predict.npy", fake_vectors([r["text"] for r in targets]))
    with_vectors = batch(tmp_path, "suggest", training, targets,
                         extra=["--train-vectors", str(tmp_path / "train.npy"), "--vectors", str(tmp_path / "predict.npy")])
    assert_same(app_rows, with_vectors)
    words_only = batch(tmp_path, "suggest", training, targets)
    assert any(words_only[a]["scores"] != with_vectors[a]["scores"] for a in words_only)  # the vectors were read


def test_with_stored_vectors_the_codebook_suggests_as_few_shot_given_them(tmp_path, vectors_on, monkeypatch):
    """Before 400 coded answers, the codebook's texts are read with the models that made the answers' vectors,
    in the job as in `few-shot --vectors` (the stand-in model for both)."""
    from analysis import embeddings
    from consult.coding.vectors import store_vectors

    survey, researcher, ids, training, targets, _ = seed_survey(0, 40, descriptions=True)
    assert store_vectors(survey) == 42  # 40 undecided and 2 disputed
    suggestions.run_suggestions(survey, "story", by=researcher)
    assert db.session.scalar(select(SuggestionRun)).method == "few-shot"
    themes = list(db.session.scalars(select(Theme).order_by(Theme.position)))
    assert len(vectors_on) == 2 and any(t.description in text for t in themes for text in vectors_on[1])
    codebook = [{"name": t.name, "description": t.description, "examples": t.example.splitlines()} for t in themes]
    np.save(tmp_path / "predict.npy", fake_vectors([r["text"] for r in targets]))
    monkeypatch.setattr(embeddings, "available", lambda language="en": True)
    monkeypatch.setattr(embeddings, "sentence_vectors", lambda texts, batch_size=64, language="en": fake_vectors(texts))
    with_vectors = batch(tmp_path, "few-shot", [], targets, codebook, extra=["--vectors", str(tmp_path / "predict.npy")])
    assert_same(stored(survey), with_vectors)
    words_only = batch(tmp_path, "few-shot", [], targets, codebook)
    assert any(words_only[a]["scores"] != with_vectors[a]["scores"] for a in words_only)


def test_an_answer_without_a_vector_leaves_the_job_on_the_words_alone(tmp_path, vectors_on):
    """Vectors missing (the job has not run) or impossible (a language the model does not read): the words alone,
    and the missing vectors queued for the next run."""
    from consult.coding.models import AnswerVector

    survey, researcher, ids, training, targets, _ = seed_survey(440, 20)
    db.session.get(Answer, int(targets[0]["id"])).response.language = "de"  # no vector for this one
    db.session.commit()
    suggestions.run_suggestions(survey, "story", by=researcher)
    assert db.session.scalar(select(Job).where(Job.kind == "answer_vectors")).state == "finished"
    assert db.session.get(AnswerVector, int(targets[0]["id"])) is None
    assert db.session.get(AnswerVector, int(targets[1]["id"])) is not None
    assert_same(stored(survey), batch(tmp_path, "suggest", training, targets))

import pytest

from analysis.evaluate import DATASETS, evaluate, format_report, learning_curve, shared_data_dir, split
from analysis.records import Answer

needs_shared_data = pytest.mark.skipif(
    not (shared_data_dir() / DATASETS["nhs"].path).exists(), reason="shared data (../shared/data) not present"
)


def test_split_is_seeded_and_disjoint():
    answers = [Answer(str(i), "t") for i in range(10)]
    train, test = split(answers, 0.2, seed=1)
    assert (len(train), len(test)) == (8, 2)
    assert {a.id for a in train}.isdisjoint({a.id for a in test})
    assert split(answers, 0.2, seed=1) == (train, test)
    assert split(answers, 0.2, seed=2) != (train, test)


def test_shared_data_dir_can_be_overridden(monkeypatch, tmp_path):
    monkeypatch.setenv("CONSULT_SHARED_DATA", str(tmp_path))
    assert shared_data_dir() == tmp_path


@needs_shared_data
@pytest.mark.parametrize("name", ["nhs", "cycling-level1"])
def test_reaches_the_reference_agreement_on_shared_data(name):
    report = evaluate(name, seed=0)
    assert report["sample_f1"] >= report["reference_sample_f1"] - 0.03, format_report(report)
    assert report["alpha_masi"] > 0.4
    # Auto-assigned answers must be markedly more precise than the rest.
    assert report["auto_share"] > 0.05
    assert report["auto_precision"] >= 0.85


@needs_shared_data
def test_nhs_auto_assigns_a_third_of_answers_at_the_agreement_asked():
    report = evaluate("nhs", seed=0)
    assert report["auto_share"] >= 0.30 and report["auto_sample_f1"] >= 0.95, format_report(report)


def test_learning_curve_trains_on_growing_shares(tmp_path):
    import json

    rows = [{"id": f"b{i}", "text": f"the bus {i} was late again", "codes": ["transport"]} for i in range(30)]
    rows += [{"id": f"p{i}", "text": f"parking charge number {i} too high", "codes": ["parking"]} for i in range(30)]
    (tmp_path / "nhs-feedback").mkdir()
    (tmp_path / "nhs-feedback" / "coded.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    curve = learning_curve("nhs", data_dir=tmp_path, seed=0, shares=(0.4, 0.8))
    assert [r["train"] for r in curve] == [24, 48]
    assert all(r["sample_f1"] > 0.9 for r in curve)


def test_suggestions_read_sentence_vectors_in_the_data_sets_order(tmp_path, capsys):
    """The same words for every answer, the code told by its vector alone: with the vectors (split as the answers
    are), the codes are learnt; without, they cannot be."""
    import json

    import numpy as np

    from analysis.__main__ import main

    rows = [{"id": f"a{i}", "text": "a comment", "question": "q", "codes": ["transport" if i % 2 else "parking"]}
            for i in range(80)]
    (tmp_path / "nhs-feedback").mkdir()
    (tmp_path / "nhs-feedback" / "coded.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    vectors = np.array([[1, 0] if i % 2 else [0, 1] for i in range(80)], dtype=np.float32)
    assert evaluate("nhs", data_dir=tmp_path, seed=0, vectors=vectors)["sample_f1"] == 1.0
    assert evaluate("nhs", data_dir=tmp_path, seed=0)["sample_f1"] < 0.7
    np.save(tmp_path / "vectors.npy", vectors)
    args = ["evaluate", "--dataset", "nhs", "--parts", "suggestions", "--no-learning-curve", "--data-dir", str(tmp_path),
            "--vectors", str(tmp_path / "vectors.npy"), "--jobs", "1"]
    assert main(args) == 0
    assert "sample-F1 1.000" in capsys.readouterr().out
    assert main([*args[:2], "all", *args[3:]]) == 2
    assert "give it with --dataset" in capsys.readouterr().err

import json

import pytest

from analysis.__main__ import main


def write(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_redact_writes_jsonl(tmp_path):
    src = write(tmp_path / "in.jsonl", [{"id": 1, "text": "Call 07700 900123"}])
    out = tmp_path / "out.jsonl"
    assert main(["redact", "--in", str(src), "--out", str(out)]) == 0
    row = json.loads(out.read_text())
    assert row == {"id": "1", "text": "Call 07700 900123", "redacted": "Call [PHONE]",
                   "found": [{"kind": "PHONE", "start": 5, "end": 17}]}


def test_bad_input_exits_2_and_leaves_no_output(tmp_path, capsys):
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": 1, "text": "a"}\n{"id": 1, "text": "b"}\n')
    out = tmp_path / "out.jsonl"
    assert main(["redact", "--input", str(src), "--output", str(out)]) == 2
    assert "in.jsonl:2: duplicate id" in capsys.readouterr().err
    assert not out.exists()


def test_invalid_arguments_exit_2(tmp_path):
    with pytest.raises(SystemExit) as info:
        main(["campaigns", "--input", "x", "--output", "y", "--threshold", "1.5"])
    assert info.value.code == 2


def test_progress_flag_draws_bar_on_stderr(tmp_path, capsys):
    src = write(tmp_path / "in.jsonl", [{"id": i, "text": "fine"} for i in range(3)])
    assert main(["redact", "--input", str(src), "--output", str(tmp_path / "o.jsonl"), "--progress"]) == 0
    err = capsys.readouterr().err
    assert "redacting: 100%|" in err and " 3/3 " in err


def test_campaigns_command_writes_groups(tmp_path):
    text = "We object to the new housing estate on the green belt because the roads cannot cope already"
    rows = [{"id": i, "text": text} for i in range(3)] + [{"id": 9, "text": "Build more homes for young families near the station"}]
    src = write(tmp_path / "in.jsonl", rows)
    out = tmp_path / "campaigns.json"
    assert main(["campaigns", "--in", str(src), "--out", str(out)]) == 0
    result = json.loads(out.read_text())
    assert (result["answers"], result["campaign_responses"], result["individual_responses"]) == (4, 3, 1)
    assert [g["members"] for g in result["groups"]] == [["0", "1", "2"]]
    assert result["groups"][0]["template"] == text and result["groups"][0]["similarity"] == 1.0


def test_suggest_command_writes_one_suggestion_per_answer(tmp_path):
    coded = [{"id": f"b{i}", "text": f"the bus is late again {i}", "codes": ["transport"]} for i in range(6)]
    coded += [{"id": f"p{i}", "text": f"parking costs too much {i}", "codes": ["parking"]} for i in range(6)]
    train = write(tmp_path / "coded.jsonl", coded)
    new = write(tmp_path / "new.jsonl", [{"id": "n1", "text": "bus late"}, {"id": "n2", "text": "parking costs"}])
    out = tmp_path / "suggestions.jsonl"
    assert main(["suggest", "--train", str(train), "--predict", str(new), "--out", str(out)]) == 0
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [(r["id"], r["codes"]) for r in rows] == [("n1", ["transport"]), ("n2", ["parking"])]
    assert all(isinstance(r["auto"], bool) and 0 <= r["scores"]["transport"] <= 1 for r in rows)


def test_suggest_reads_each_answer_with_its_context_field(tmp_path):
    coded = [{"id": f"g{i}", "q": "What was good?", "text": t, "codes": ["negative"]} for i, t in enumerate(["Nothing", "nothing."])]
    coded += [{"id": f"i{i}", "q": "How could we improve?", "text": t, "codes": ["positive"]} for i, t in enumerate(["Nothing", "nothing."])]
    train = write(tmp_path / "coded.jsonl", coded)
    new = write(tmp_path / "new.jsonl", [{"id": "a", "q": "What was good?", "text": "Nothing"},
                                         {"id": "b", "q": "How could we improve?", "text": "Nothing"}])
    out = tmp_path / "suggestions.jsonl"
    args = ["suggest", "--train", str(train), "--predict", str(new), "--out", str(out), "--context-field", "q"]
    assert main(args) == 0
    assert [json.loads(line)["codes"] for line in out.read_text().splitlines()] == [["negative"], ["positive"]]


def test_suggest_reads_stored_sentence_vectors_beside_the_words(tmp_path, capsys):
    """The same words, told apart by their vectors alone (as `embed` stores them): both files' vectors, or neither."""
    import numpy as np

    coded = [{"id": f"c{i}", "text": f"comment {i}", "codes": ["transport" if i % 2 else "parking"]} for i in range(20)]
    train = write(tmp_path / "coded.jsonl", coded)
    np.save(tmp_path / "coded.npy", np.array([[1, 0] if i % 2 else [0, 1] for i in range(20)], dtype=np.float32))
    new = write(tmp_path / "new.jsonl", [{"id": "a", "text": "a remark"}, {"id": "b", "text": "a remark"}])
    np.save(tmp_path / "new.npy", np.array([[1, 0], [0, 1]], dtype=np.float32))
    out = tmp_path / "suggestions.jsonl"
    args = ["suggest", "--train", str(train), "--predict", str(new), "--out", str(out)]
    assert main([*args, "--vectors", str(tmp_path / "new.npy"), "--train-vectors", str(tmp_path / "coded.npy")]) == 0
    assert [json.loads(line)["codes"] for line in out.read_text().splitlines()] == [["transport"], ["parking"]]
    out.unlink()
    assert main([*args, "--vectors", str(tmp_path / "new.npy")]) == 2
    assert "--train-vectors" in capsys.readouterr().err and not out.exists()
    assert main([*args, "--vectors", str(tmp_path / "coded.npy"), "--train-vectors", str(tmp_path / "coded.npy")]) == 2
    assert "one vector a row for 2 answers" in capsys.readouterr().err


def test_suggest_requires_codes_in_training_file(tmp_path, capsys):
    train = write(tmp_path / "coded.jsonl", [{"id": 1, "text": "no codes here"}])
    args = ["suggest", "--train", str(train), "--input", str(train), "--output", str(tmp_path / "o")]
    assert main(args) == 2
    assert "missing field 'codes'" in capsys.readouterr().err


def test_themes_command_writes_themes(tmp_path):
    rows = [{"id": i, "text": t} for i, t in enumerate(["bins missed", "bins collected late", "park trees", "more park trees"])]
    src = write(tmp_path / "in.jsonl", rows)
    out = tmp_path / "themes.json"
    assert main(["themes", "--in", str(src), "--out", str(out), "--max-themes", "2"]) == 0
    result = json.loads(out.read_text())
    assert sorted(sorted(t["members"]) for t in result) == [["0", "1"], ["2", "3"]]
    for theme in result:
        assert theme["keywords"] and theme["label"] and set(theme["examples"]) <= set(theme["members"])
        assert theme["description"].startswith(f"Answers on “{theme['label']}” (2 of 4, 50%)")


def test_evaluate_command_rejects_missing_data_dir(tmp_path, capsys):
    assert main(["evaluate", "--dataset", "nhs", "--data-dir", str(tmp_path)]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_unwritable_output_exits_1(tmp_path, capsys):
    src = write(tmp_path / "in.jsonl", [{"id": 1, "text": "fine"}])
    assert main(["redact", "--input", str(src), "--output", str(tmp_path / "missing" / "o.jsonl")]) == 1
    assert "error:" in capsys.readouterr().err


def test_no_progress_bar_when_stderr_is_not_a_terminal(tmp_path, capsys):
    src = write(tmp_path / "in.jsonl", [{"id": 1, "text": "fine"}])
    assert main(["redact", "--input", str(src), "--output", str(tmp_path / "o.jsonl")]) == 0
    assert capsys.readouterr().err == ""


def test_campaigns_min_words_option(tmp_path):
    src = write(tmp_path / "in.jsonl", [{"id": i, "text": "Stop the road closure now"} for i in range(3)])
    out = tmp_path / "c.json"
    assert main(["campaigns", "--input", str(src), "--output", str(out)]) == 0
    assert json.loads(out.read_text())["groups"] == []
    assert main(["campaigns", "--input", str(src), "--output", str(out), "--min-words", "5"]) == 0
    assert len(json.loads(out.read_text())["groups"]) == 1

import json

import pytest

from analysis.__main__ import main


def write(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_redact_writes_jsonl(tmp_path):
    src = write(tmp_path / "in.jsonl", [{"id": 1, "text": "Call 07700 900123"}])
    out = tmp_path / "out.jsonl"
    assert main(["redact", "--input", str(src), "--output", str(out)]) == 0
    row = json.loads(out.read_text())
    assert row == {"id": "1", "text": "Call [PHONE]", "redactions": [{"start": 5, "end": 17, "label": "PHONE"}]}


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
    assert "100% 3/3" in capsys.readouterr().err


def test_campaigns_command_writes_groups(tmp_path):
    text = "We object to the new housing estate on the green belt because the roads cannot cope already"
    rows = [{"id": i, "text": text} for i in range(3)] + [{"id": 9, "text": "Build more homes for young families near the station"}]
    src = write(tmp_path / "in.jsonl", rows)
    out = tmp_path / "campaigns.json"
    assert main(["campaigns", "--input", str(src), "--output", str(out)]) == 0
    result = json.loads(out.read_text())
    assert result["answers"] == 4
    assert [c["answer_ids"] for c in result["campaigns"]] == [["0", "1", "2"]]

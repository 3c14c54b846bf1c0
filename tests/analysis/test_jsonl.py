import json

import pytest

from analysis.jsonl import InputError, read_answers, write_json_atomic, write_jsonl_atomic
from analysis.records import Answer


def write_lines(tmp_path, *lines, name="in.jsonl"):
    path = tmp_path / name
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def test_reads_ids_text_and_codes(tmp_path):
    path = write_lines(
        tmp_path,
        '{"id": 7, "text": "Too few buses", "codes": ["transport", "transport"]}',
        '{"id": "b", "text": "", "codes": []}',
    )
    assert read_answers(path, codes_field="codes") == [
        Answer("7", "Too few buses", ("transport",)),
        Answer("b", "", ()),
    ]


def test_joins_several_text_fields_and_skips_null_parts(tmp_path):
    path = write_lines(tmp_path, '{"id": "c1", "title": "Poller", "text": null}', '{"id": "c2", "title": "A", "text": "B"}')
    answers = read_answers(path, text_fields=("title", "text"))
    assert [a.text for a in answers] == ["Poller", "A\nB"]


def test_reads_an_optional_context_field(tmp_path):
    path = write_lines(tmp_path, '{"id": 1, "q": " What was good? ", "text": "Nothing"}', '{"id": 2, "text": "x"}',
                       '{"id": 3, "q": null, "text": "y"}')
    assert [a.context for a in read_answers(path, context_field="q")] == ["What was good?", "", ""]
    assert read_answers(path)[0].context == ""
    with pytest.raises(InputError, match=r"in.jsonl:1: field 'q' must be a string"):
        read_answers(write_lines(tmp_path, '{"id": 1, "q": ["a"], "text": "x"}'), context_field="q")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("not json", "not JSON"),
        ("[1, 2]", "expected a JSON object"),
        ('{"text": "no id"}', "'id' must be"),
        ('{"id": true, "text": "x"}', "'id' must be"),
        ('{"id": "", "text": "x"}', "'id' must be"),
        ('{"id": 1}', "missing field 'text'"),
        ('{"id": 1, "text": 5}', "must be a string"),
        ("", "blank line"),
    ],
)
def test_rejects_bad_lines_with_their_line_number(tmp_path, line, message):
    path = write_lines(tmp_path, '{"id": 0, "text": "ok"}', line)
    with pytest.raises(InputError, match=message) as info:
        read_answers(path)
    assert f"{path}:2:" in str(info.value)


def test_rejects_duplicate_ids_and_bad_codes(tmp_path):
    dup = write_lines(tmp_path, '{"id": 1, "text": "a"}', '{"id": "1", "text": "b"}')
    with pytest.raises(InputError, match="duplicate id"):
        read_answers(dup)
    bad = write_lines(tmp_path, '{"id": 1, "text": "a", "codes": "x"}', name="codes.jsonl")
    with pytest.raises(InputError, match="list of non-empty strings"):
        read_answers(bad, codes_field="codes")


def test_rejects_empty_file_invalid_utf8_and_missing_file(tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    with pytest.raises(InputError, match="no answers"):
        read_answers(empty)
    latin = tmp_path / "latin.jsonl"
    latin.write_bytes('{"id": 1, "text": "caf\xe9"}\n'.encode("latin-1"))
    with pytest.raises(InputError, match="UTF-8"):
        read_answers(latin)
    with pytest.raises(InputError, match="cannot read"):
        read_answers(tmp_path / "absent.jsonl")


def test_atomic_write_replaces_whole_file_and_leaves_no_temp(tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text("old\n")
    write_jsonl_atomic(out, [{"id": "1", "text": "Grüße"}, {"id": "2"}])
    assert [json.loads(l) for l in out.read_text(encoding="utf-8").splitlines()] == [
        {"id": "1", "text": "Grüße"},
        {"id": "2"},
    ]
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]


def test_failed_write_keeps_old_file(tmp_path):
    out = tmp_path / "out.json"
    out.write_text("old\n")

    def rows():
        yield {"id": "1"}
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        write_jsonl_atomic(out, rows())
    assert out.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]
    write_json_atomic(out, {"a": [1]})
    assert json.loads(out.read_text()) == {"a": [1]}


def test_records_become_plain_json_data():
    from analysis.records import CodeScore, Span, Suggestion, as_plain

    suggestion = Suggestion("a1", ("x",), (CodeScore("x", 0.9),), 0.9, "auto", 1)
    assert as_plain(suggestion) == {
        "answer_id": "a1", "codes": ["x"], "scores": [{"code": "x", "probability": 0.9}],
        "confidence": 0.9, "route": "auto", "review_rank": 1,
    }
    assert as_plain([Span(0, 2, "NAME")]) == [{"start": 0, "end": 2, "label": "NAME"}]

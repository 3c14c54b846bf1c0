import pytest

from analysis.progress import progress


def test_disabled_progress_yields_items_and_writes_nothing(capsys):
    assert list(progress(range(3), 3, "x", enabled=False)) == [0, 1, 2]
    assert capsys.readouterr().err == ""


def test_enabled_progress_ends_with_full_bar_on_stderr(capsys):
    assert list(progress("abcd", 4, "reading", enabled=True)) == list("abcd")
    captured = capsys.readouterr()
    last = captured.err.rstrip("\n").split("\r")[-1]
    assert captured.out == "" and last.startswith("reading: 100%|") and " 4/4 " in last


def test_sizes_count_what_each_item_covers(capsys):
    assert list(progress(["first slice", "second"], 25, "rows", enabled=True, sizes=[20, 5])) == ["first slice", "second"]
    assert " 25/25 " in capsys.readouterr().err.split("\r")[-1]


def test_sizes_must_match_the_items():
    with pytest.raises(ValueError):
        list(progress("abc", 3, "x", enabled=False, sizes=[1, 1]))

import io

from analysis.progress import progress


def test_disabled_progress_yields_items_and_writes_nothing():
    stream = io.StringIO()
    assert list(progress(range(3), 3, "x", enabled=False, stream=stream)) == [0, 1, 2]
    assert stream.getvalue() == ""


def test_enabled_progress_ends_with_full_bar():
    stream = io.StringIO()
    assert list(progress("abcd", 4, "reading", enabled=True, stream=stream)) == list("abcd")
    last = stream.getvalue().rstrip("\n").split("\r")[-1]
    assert last.startswith("reading [")
    assert last.endswith("100% 4/4")

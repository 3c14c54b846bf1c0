import io
import multiprocessing
import os

import pytest

from analysis.parallel import default_jobs, map_in_order, map_slices


def square(x):
    return x * x


def test_tasks_come_back_in_order_on_one_or_several_processes():
    items = list(range(23))
    assert list(map_in_order(square, items)) == [x * x for x in items]
    assert list(map_in_order(square, items, jobs=2)) == [x * x for x in items]


def test_several_processes_really_run_the_tasks():
    pids = set(map_in_order(lambda _: os.getpid(), list(range(8)), jobs=2))
    assert os.getpid() not in pids


def test_a_closure_over_what_cannot_be_pickled_runs_in_the_workers():
    lock = multiprocessing.Lock()  # pickling a lock raises: the closure must reach the workers by the fork

    def under_lock(x):
        with lock:
            return x + 1

    assert list(map_in_order(under_lock, [1, 2, 3], jobs=2)) == [2, 3, 4]


def test_slices_cover_the_input_once_in_order():
    data = list(range(25))
    got = list(map_slices(lambda piece: sum(data[piece]), len(data), 10, jobs=2))
    assert [(p.start, p.stop) for p, _ in got] == [(0, 10), (10, 20), (20, 25)]
    assert [total for _, total in got] == [45, 145, 110]
    assert list(map_slices(len, 0, 10, jobs=2)) == []


def test_a_failing_task_raises_in_the_caller_and_leaves_no_task_behind():
    def fails(x):
        raise ValueError(f"bad {x}")

    with pytest.raises(ValueError, match="bad"):
        list(map_in_order(fails, [1, 2, 3], jobs=2))
    assert not multiprocessing.active_children()  # the pool is shut down


def test_progress_counts_finished_tasks(monkeypatch):
    stream = io.StringIO()
    monkeypatch.setattr("sys.stderr", stream)
    list(map_in_order(square, list(range(4)), jobs=2, label="work", show_progress=True))
    assert "work: 100%" in stream.getvalue() and "4/4" in stream.getvalue()


def test_default_jobs_is_at_least_one():
    assert default_jobs() >= 1


def test_progress_of_slices_counts_what_they_cover(monkeypatch):
    stream = io.StringIO()
    monkeypatch.setattr("sys.stderr", stream)
    list(map_slices(lambda piece: piece.stop - piece.start, 25, 10, jobs=2, label="rows", show_progress=True))
    assert "rows: 100%" in stream.getvalue() and " 25/25 " in stream.getvalue()
    assert not multiprocessing.active_children()  # the workers are gone once the last slice is read

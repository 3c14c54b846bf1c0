"""One pure function over a list of tasks (or consecutive slices of a long input), on one core or several.

With `jobs` above 1 the tasks go to a concurrent.futures process pool whose workers are forked: they
see the parent's memory as it was at the fork, so the function (often a closure over a fitted model
and the input) is handed to them at the fork and never pickled; only each task and its result cross
between processes. Results come back in task order, so the output is the same whatever `jobs` is.
Meant for the batch command line; a web process (threads, open connections) keeps `jobs=1`.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

from analysis.progress import progress

T = TypeVar("T")
R = TypeVar("R")

_task: Callable[[Any], Any] | None = None  # in a worker: the function it was forked with


def _receive(task: Callable[[Any], Any]) -> None:
    global _task
    _task = task


def _run(item: Any) -> Any:
    assert _task is not None
    return _task(item)


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # not on Linux
        return max(os.cpu_count() or 1, 1)


def map_in_order(task: Callable[[T], R], items: Sequence[T], *, jobs: int = 1, label: str = "working",
                 show_progress: bool = False, sizes: Sequence[int] | None = None) -> Iterator[R]:
    """task(item) for each item, in order; on `jobs` forked processes when above 1. The progress
    bar counts items, or `sizes[i]` for item i."""
    total = len(items) if sizes is None else sum(sizes)
    if jobs <= 1 or len(items) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        yield from progress(map(task, items), total, label, enabled=show_progress, sizes=sizes)
        return
    with ProcessPoolExecutor(min(jobs, len(items)), mp_context=multiprocessing.get_context("fork"),
                             initializer=_receive, initargs=(task,)) as pool:
        yield from progress(pool.map(_run, items), total, label, enabled=show_progress, sizes=sizes)


def map_slices(task: Callable[[slice], R], total: int, size: int, *, jobs: int = 1, label: str = "working",
               show_progress: bool = False) -> Iterator[tuple[slice, R]]:
    """(slice, task(slice)) for consecutive slices of `size` covering range(total), in order; the
    progress bar counts what the slices cover."""
    pieces = [slice(start, min(start + size, total)) for start in range(0, total, size)]
    results = map_in_order(task, pieces, jobs=jobs, label=label, show_progress=show_progress,
                           sizes=[p.stop - p.start for p in pieces])
    # results first: zip then runs them to their end (last progress line, workers closed)
    return ((piece, result) for result, piece in zip(results, pieces))

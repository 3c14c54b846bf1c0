"""One pure function over a list of tasks (or consecutive slices of a long input), on one core or several.

With `jobs` above 1 the tasks go to forked worker processes, which see the parent's memory as it
was at the fork: the fitted model and the input are not pickled, only each task's result comes
back. Results arrive in task order, so the output is the same whatever `jobs` is. Meant for the
batch command line; a web process (threads, open connections) keeps `jobs=1`.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from analysis.progress import progress

T = TypeVar("T")
R = TypeVar("R")

_task: Callable[[Any], Any] | None = None  # the function the forked workers run


def _run(item: Any) -> Any:
    assert _task is not None
    return _task(item)


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # not on Linux
        return max(os.cpu_count() or 1, 1)


def map_ordered(task: Callable[[T], R], items: Sequence[T], *, jobs: int = 1, label: str = "working",
                show_progress: bool = False, sizes: Sequence[int] | None = None) -> Iterator[R]:
    """task(item) for each item, in order; on `jobs` forked processes when above 1. The progress
    bar counts items, or `sizes[i]` for item i."""
    global _task
    total = len(items) if sizes is None else sum(sizes)
    if jobs <= 1 or len(items) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        yield from progress(map(task, items), total, label, enabled=show_progress, sizes=sizes)
        return
    _task = task
    try:
        with multiprocessing.get_context("fork").Pool(min(jobs, len(items))) as pool:
            yield from progress(pool.imap(_run, items), total, label, enabled=show_progress, sizes=sizes)
    finally:
        _task = None


def map_slices(task: Callable[[slice], R], total: int, size: int, *, jobs: int = 1, label: str = "working",
               show_progress: bool = False) -> Iterator[tuple[slice, R]]:
    """(slice, task(slice)) for consecutive slices of `size` covering range(total), in order; the
    progress bar counts what the slices cover."""
    pieces = [slice(start, min(start + size, total)) for start in range(0, total, size)]
    results = map_ordered(task, pieces, jobs=jobs, label=label, show_progress=show_progress,
                          sizes=[p.stop - p.start for p in pieces])
    # results first: zip then runs them to their end (last progress line, workers closed)
    return ((piece, result) for result, piece in zip(results, pieces))

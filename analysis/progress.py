"""A minimal progress bar on stderr for long batch runs."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from typing import IO, TypeVar

T = TypeVar("T")


def progress(
    items: Iterable[T],
    total: int,
    label: str,
    *,
    enabled: bool,
    stream: IO[str] | None = None,
    every_seconds: float = 0.2,
    sizes: Iterable[int] | None = None,
) -> Iterator[T]:
    """Yield `items` unchanged, redrawing `label [####    ]  42% 420/1000` on `stream`; each item
    counts 1, or its entry in `sizes` (e.g. the answers in a slice)."""
    if not enabled:
        yield from items
        return
    out = stream if stream is not None else sys.stderr
    last = 0.0
    done = 0

    def draw() -> None:
        share = done / total if total else 1.0
        bar = "#" * int(share * 30)
        out.write(f"\r{label} [{bar:<30}] {share:4.0%} {done}/{total}")
        out.flush()

    steps = iter(sizes) if sizes is not None else None
    for item in items:
        done += next(steps) if steps is not None else 1
        yield item
        now = time.monotonic()
        if now - last >= every_seconds:
            last = now
            draw()
    draw()
    out.write("\n")
    out.flush()

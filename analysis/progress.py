"""Progress bars on stderr for long batch runs (tqdm)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TypeVar

from tqdm import tqdm

T = TypeVar("T")


def progress(items: Iterable[T], total: int, label: str, *, enabled: bool,
             sizes: Iterable[int] | None = None) -> Iterator[T]:
    """Yield `items` unchanged while tqdm draws `label: 42%|####      | 420/1000` on stderr; each item
    counts 1, or its entry in `sizes` (e.g. the answers in a slice)."""
    with tqdm(total=total, desc=label, disable=not enabled) as bar:
        for item, size in zip(items, sizes, strict=True) if sizes is not None else ((item, 1) for item in items):
            bar.update(size)
            yield item

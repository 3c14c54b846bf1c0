"""Small-cell suppression for published counts.

Primary: a count of 1 to min_cell - 1 is hidden (a zero identifies no one and is shown).
Secondary: where the cells partition a published total, the hidden cells could be
worked out as total minus the shown ones, so further cells are hidden, smallest first,
until the hidden cells together hold at least min_cell people.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def small(count: int, min_cell: int) -> bool:
    return 0 < count < min_cell


def protect(values: Sequence[int], min_cell: int, hidden: Iterable[int] = (), *, partition: bool = True) -> set[int]:
    """Indexes of the cells to hide. `hidden` are cells already hidden for another reason;
    `partition` says the cells add up to a total that is shown."""
    out = {i for i, v in enumerate(values) if small(v, min_cell)} | set(hidden)
    if not partition:
        return out
    while out and sum(values[i] for i in out) < min_cell:
        visible = [(v, i) for i, v in enumerate(values) if i not in out and v > 0]
        if not visible:
            break
        out.add(min(visible)[1])
    return out


def percent(count: int, total: int) -> float | None:
    return round(100.0 * count / total, 1) if total else None


def table(counts: Sequence[int], total: int, min_cell: int, *, partition: bool = True) -> list[dict]:
    """Rows of {"count", "percent", "suppressed"} for counts out of a shown total."""
    hidden = protect(counts, min_cell, partition=partition)
    return [
        {"count": None, "percent": None, "suppressed": True}
        if i in hidden
        else {"count": c, "percent": percent(c, total), "suppressed": False}
        for i, c in enumerate(counts)
    ]


def publishable_sums(
    values: Sequence[int], hidden: set[int], blocks: Sequence[Sequence[int]], min_cell: int
) -> list[bool]:
    """Which block sums (e.g. agree = strongly agree + agree) can be shown beside a table
    whose `hidden` cells are suppressed and whose total is shown.

    A shown block sum reveals the sum of its hidden cells, and the rows outside every
    shown block can be worked out from the total; each such revealed group of hidden
    cells, and each revealed sum, must be 0 or at least min_cell."""

    def safe(cells: Sequence[int]) -> bool:
        in_hidden = [values[i] for i in cells if i in hidden]
        return not small(sum(values[i] for i in cells), min_cell) and (
            not in_hidden or sum(in_hidden) >= min_cell
        )

    shown: list[Sequence[int]] = []
    result = []
    for block in blocks:
        trial = shown + [block]
        covered = {i for b in trial for i in b}
        rest = [i for i in range(len(values)) if i not in covered]
        ok = all(safe(b) for b in trial) and safe(rest)
        if ok:
            shown = trial
        result.append(ok)
    return result

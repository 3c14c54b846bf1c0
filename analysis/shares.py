"""Percentages: the one rule for every share printed anywhere (workspace pages, exports, the draft and its PDF).

A share is worked out from the exact counts and rounded half up to a whole percentage, so 145 of 420 is 35%
(34.52...) and 690 + 656 of 1,856 is 73% (72.52...), never the sum of two rounded parts.
"""

from __future__ import annotations


def percent(count: int, total: int) -> int | None:
    """count / total as a whole percentage, rounded half up in integer arithmetic; None when total is 0."""
    if not total:
        return None
    return (200 * count + total) // (2 * total)


def percent_text(value: float | None, *, missing: str = "") -> str:
    """'35%' for a percentage from `percent`; `missing` when there is none (no answers, or withheld). A share
    stored with decimals by an older draft keeps them."""
    return missing if value is None else f"{value:g}%"

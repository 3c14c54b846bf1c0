"""Show-if conditions: a page, a question or an answer choice shown only when an earlier answer matches."""
from __future__ import annotations

from typing import Any

Answers = dict[str, dict[str, Any]]


def condition_met(condition: dict[str, Any] | None, answers: Answers) -> bool:
    """True when there is no condition, or the earlier answer it names matches."""
    if not condition:
        return True
    answer = answers.get(condition["question"])
    value = answer.get("value") if answer else None
    if "equals" in condition:
        return value == condition["equals"]
    if "in" in condition:
        return value in condition["in"]
    return isinstance(value, list) and condition["includes"] in value

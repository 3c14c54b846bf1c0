"""An import row's cells as answers: each cell's text parsed as the value its question's kind stores, and
when the answer was received. Cell contents are only ever treated as text: nothing evaluates them."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from consult.surveys import local_authorities
from consult.surveys.kinds import AGREE_SCALE, EMAIL_PATTERN, kind_of
from consult.surveys.models import Question
from consult.timeutil import parse_utc, utcnow


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"Row {self.row}, column '{self.column}': {self.message}" if self.column else f"Row {self.row}: {self.message}"


def fold(text: str) -> str:
    return " ".join(text.replace("’", "'").casefold().split())


def _choose(raw: str, options: list[tuple[str, str]], what: str = "") -> str:
    lookup = {}
    for value, label in options:
        lookup[fold(value)] = lookup[fold(label)] = value
    found = lookup.get(fold(raw))
    if found is None:
        raise ValueError(f"'{raw}' is not one of {what or ', '.join(label for _, label in options)}")
    return found


def _parts(raw: str) -> list[str]:
    return [part.strip() for part in raw.split(";") if part.strip()]


def parse_value(q: Question, raw: str) -> Any:
    """A cell's text as the structured value the question's kind stores; ValueError says what is wrong."""
    kind = q.kind
    if kind in ("single_choice", "consent", "agree_scale"):
        return _choose(raw, kind_of(q).options(q))
    if kind == "multiple_choice":
        return list(dict.fromkeys(_choose(part, kind_of(q).options(q)) for part in _parts(raw)))
    if kind == "local_authority":
        councils = [(a.slug, a.name) for a in local_authorities.all_authorities()]
        what = "the councils of England and Wales (by name or slug)"
        if q.settings.get("multiple"):
            return list(dict.fromkeys(_choose(part, councils, what) for part in _parts(raw)))
        return _choose(raw, councils, what)
    if kind == "number":
        cleaned = raw.replace(",", "")
        if len(cleaned) > 30 or not re.fullmatch(r"-?\d+(\.\d+)?", cleaned):
            raise ValueError(f"'{raw[:40]}{'…' if len(raw) > 40 else ''}' is not a number")
        number = float(cleaned)
        if q.settings.get("integer") and not number.is_integer():
            raise ValueError(f"'{raw}' is not a whole number")
        low, high = q.settings.get("min"), q.settings.get("max")
        if (low is not None and number < low) or (high is not None and number > high):
            raise ValueError(f"{raw} is outside {low:,g} to {high:,g}" if low is not None and high is not None
                             else f"{raw} is out of range")
        return int(number) if number.is_integer() else number
    if kind == "email":
        if len(raw) > 254 or not re.fullmatch(EMAIL_PATTERN, raw):
            raise ValueError(f"'{raw}' is not an email address")
        return raw
    raise ValueError(f"questions of kind {kind} cannot be imported from a single column")


def row_answers(row: dict[str, str], mapping: dict[str, str], questions: dict[str, Question],
                 number: int, errors: list[RowError]) -> dict[str, dict[str, Any]]:
    answers: dict[str, dict[str, Any]] = {}
    extras: dict[str, dict[str, str]] = {}  # question key -> {"other": text} or {statement: raw}
    for column, target in mapping.items():
        raw = row.get(column, "")
        if not raw:
            continue
        if target in questions:
            q = questions[target]
            if q.key in answers:
                errors.append(RowError(number, column, f"'{q.key}' is already answered by another column of this row"))
                continue
            if q.kind in ("short_text", "long_text"):
                answers[q.key] = {"value": None, "text": raw}
                continue
            try:
                answers[q.key] = {"value": parse_value(q, raw), "text": None}
            except ValueError as error:
                errors.append(RowError(number, column, str(error)))
        else:
            key, _, part = target.rpartition("__")
            extras.setdefault(key, {})[part] = (column, raw)
    for key, parts in extras.items():
        q = questions[key]
        if q.kind == "scale_grid":
            value = {}
            for statement, (column, raw) in parts.items():
                try:
                    value[statement] = _choose(raw, list(AGREE_SCALE))
                except ValueError as error:
                    errors.append(RowError(number, column, str(error)))
            answers[key] = {"value": value, "text": None}
        elif "other" in parts:
            column, raw = parts["other"]
            answer = answers.setdefault(key, {"value": [] if q.kind == "multiple_choice" else "other", "text": None})
            chose_other = answer["value"] == "other" or (isinstance(answer["value"], list) and "other" in answer["value"])
            if not chose_other and isinstance(answer["value"], list):
                answer["value"].append("other")
            elif not chose_other:
                errors.append(RowError(number, column, f"there is 'Other' text but the answer to '{key}' is not Other"))
            answer["text"] = raw
    return answers


def parse_submitted(raw: str) -> datetime:
    """When an answer was received: 2026-03-31 or 31/03/2026 (day first, as UK spreadsheets write it),
    optionally with a time (14:05), in UTC; never in the future."""
    text = raw.strip()
    day_first = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T](.+))?", text)
    if day_first:
        day, month, year, time = day_first.groups()
        text = f"{year}-{int(month):02d}-{int(day):02d}" + (f" {time}" if time else "")
    try:
        moment = parse_utc(text.replace(" ", "T", 1) if len(text) > 10 else text + "T00:00:00")
    except ValueError:
        raise ValueError(f"'{raw}' is not a date like 2026-03-31, 31/03/2026 or 2026-03-31 14:05") from None
    if moment > utcnow():
        raise ValueError(f"'{raw}' is in the future")
    return moment

"""Checking an import file against a survey without writing anything (the preview and `--dry-run`): which
column answers which question, and each row as the answers it will store.

Each row has a stable import key (from an id/reference column, else a SHA-256 of its content), so running the
same file again adds only rows not yet imported.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import select

from consult.extensions import db
from consult.interchange.import_answers import (
    RowError,
    fold,
    parse_submitted,
    row_answers,
)
from consult.interchange.readers import MB, ImportFileError, Limits, read_table
from consult.responses.models import CHANNELS, Response
from consult.surveys.models import Question, Survey
from consult.surveys.services import question_labels

KEY_COLUMNS = ("id", "reference")
# Columns read, unless matched otherwise, as when each answer was received (the response is dated by it).
RECEIVED_COLUMNS = ("submitted_at", "received", "received_at", "date received", "received on")
# What a column can be besides a question (whose key never holds a colon): see `column_targets`.
KEY_TARGET, RECEIVED_TARGET = ":key", ":received"


@dataclass
class PlannedRow:
    number: int  # the row as a spreadsheet shows it (header = row 1), or the JSONL line
    key: str
    answers: dict[str, dict[str, Any]]  # question key -> {"value", "text"}
    submitted_at: datetime | None = None
    imported: bool = False  # already stored by an earlier import


@dataclass
class ImportPlan:
    survey: Survey
    channel: str
    filename: str
    checksum: str
    mapping: dict[str, str]  # column -> question key (or "key__statement" for grid statements)
    unmapped: list[str]
    key_column: str | None
    received_column: str | None = None
    headers: list[str] = field(default_factory=list)
    examples: dict[str, str] = field(default_factory=dict)  # column -> its first non-empty cell
    rows: list[PlannedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    repeated: int = 0  # rows identical to an earlier row of the same file
    # Only the first rows were read (a large file's preview): the whole file is checked by the import job.
    sampled: bool = False
    size: int = 0

    @property
    def new_rows(self) -> list[PlannedRow]:
        return [row for row in self.rows if not row.imported]

    @property
    def already_imported(self) -> int:
        return sum(row.imported for row in self.rows)

    def counts(self) -> str:
        if self.sampled:
            return (f"the first {len(self.rows):,} rows are shown; every row of the file ({self.size / MB:,.1f} MB) "
                    "is checked in the background when you import it, and nothing is imported if any has a problem")
        text = f"{len(self.new_rows):,} new, {self.already_imported:,} already imported"
        return text + (f", {self.repeated:,} repeated in this file" if self.repeated else "")

    def target_of(self, column: str) -> str:
        """What the column is read as: a question target, KEY_TARGET, RECEIVED_TARGET, or "" (not imported)."""
        if column == self.key_column:
            return KEY_TARGET
        if column == self.received_column:
            return RECEIVED_TARGET
        return self.mapping.get(column, "")


def column_targets(survey: Survey) -> list[tuple[str, list[tuple[str, str]]]]:
    """What a column can be matched to, as (group, [(target, label)]) for the preview's selects: the row's
    own id or when the answer was received, else one of the current version's questions (by label), a
    grid's statement or a choice's 'Other' text."""
    labels = question_labels(survey)
    questions = []
    for q in survey.current_version.questions:
        label = labels.get(q.key, q.title)
        if q.kind == "scale_grid":
            questions += [(f"{q.key}__{s['key']}", f"{label}: {s['text']}") for s in q.settings.get("statements", [])]
            continue
        questions.append((q.key, label))
        if q.settings.get("other"):
            questions.append((f"{q.key}__other", f"{label}: text for ‘{q.settings['other']['label']}’"))
    return [("", [("", "Do not import"), (RECEIVED_TARGET, "When the answer was received"),
                  (KEY_TARGET, "The row’s own id (a reference or number)")]), ("Questions", questions)]


def map_columns(headers: list[str], questions: list[Question], overrides: dict[str, str],
                labels: dict[str, str] | None = None) -> tuple[dict[str, str], list[str]]:
    """Column -> question key: a header equal to a key, a title or a label (any case), unless `overrides`
    says otherwise.

    Grid statements map as "<key>__<statement>" and "Other" text as "<key>__other".
    """
    targets: dict[str, str] = {}
    for q in questions:
        if labels and q.key in labels:
            targets[fold(labels[q.key])] = q.key
        targets[fold(q.key)] = targets[fold(q.title)] = q.key
        for statement in q.settings.get("statements", []):
            targets[fold(f"{q.key}__{statement['key']}")] = f"{q.key}__{statement['key']}"
        if q.settings.get("other"):
            targets[fold(f"{q.key}__other")] = f"{q.key}__other"
    known = set(targets.values())
    problems = [f"--map {column}: there is no column called '{column}'" for column in overrides if column not in headers]
    problems += [f"--map {column}={key}: the survey has no question '{key}'" for column, key in overrides.items()
                 if key and key not in known]
    if problems:
        raise ImportFileError("; ".join(problems))
    mapping: dict[str, str] = {}
    for header in headers:
        target = overrides[header] if header in overrides else targets.get(fold(header))
        if target:
            mapping[header] = target
    return mapping, [h for h in headers if h not in mapping]


def import_limits() -> Limits:
    """The most an import file may hold, from the IMPORT_MAX_* settings."""
    config = current_app.config
    return Limits(max_rows=config["IMPORT_MAX_ROWS"], max_columns=config["IMPORT_MAX_COLUMNS"],
                  max_cells=config["IMPORT_MAX_CELLS"], max_unzipped_bytes=int(config["IMPORT_MAX_UNZIPPED_MB"] * MB))


def _import_key(channel: str, row: dict[str, str], key_column: str | None,
                answers: dict[str, dict[str, Any]]) -> str:
    """Channel-prefixed, so row '1' of an email file and row '1' of a paper file stay distinct."""
    if key_column and row.get(key_column):
        key = f"{channel}:{row[key_column]}"
        return key if len(key) <= 64 else hashlib.sha256(key.encode()).hexdigest()
    content = json.dumps(answers, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(f"{channel}\n{content}".encode()).hexdigest()


def plan_import(survey: Survey, content: bytes, filename: str, channel: str, *,
                overrides: dict[str, str] | None = None, key_column: str | None = None,
                received_column: str | None = None, unmatched_ok: bool = False,
                first_rows: int | None = None) -> ImportPlan:
    """Read and check a file against the survey's current version; writes nothing.

    `received_column` (else one named like RECEIVED_COLUMNS) dates each response by when it was received.
    With `unmatched_ok`, a file no column of which matches a question gives a plan with that as its error
    (so the preview can offer to match them) rather than raising ImportFileError. With `first_rows`, only
    that many rows are read (`plan.sampled` says when the file has more).
    """
    if channel not in CHANNELS:
        raise ImportFileError(f"The channel must be one of {', '.join(CHANNELS)}")
    headers, table = read_table(content, filename, import_limits(), first_rows)
    if key_column and key_column not in headers:
        raise ImportFileError(f"There is no key column called '{key_column}'")
    if received_column and received_column not in headers:
        raise ImportFileError(f"There is no column called '{received_column}' for when answers were received")
    overrides = dict(overrides or {})
    key_column = key_column or next((h for h in headers if h.strip().casefold() in KEY_COLUMNS
                                     and h not in overrides), None)
    received_column = received_column or next((h for h in headers if fold(h) in RECEIVED_COLUMNS
                                               and h not in overrides and h != key_column), None)
    questions = {q.key: q for q in survey.current_version.questions}
    for fixed in (key_column, received_column):
        if fixed in headers:
            overrides[fixed] = ""
    mapping, unmapped = map_columns(headers, list(questions.values()), overrides, question_labels(survey))
    plan = ImportPlan(survey=survey, channel=channel, filename=Path(filename).name[:255],
                      checksum=hashlib.sha256(content).hexdigest(), mapping=mapping,
                      unmapped=[h for h in unmapped if h not in (key_column, received_column)], key_column=key_column,
                      received_column=received_column, headers=headers, size=len(content),
                      sampled=first_rows is not None and len(table) >= first_rows)
    for _number, row in table:
        for column in headers:
            if column not in plan.examples and row.get(column):
                plan.examples[column] = row[column]
    if not mapping and not unmatched_ok:
        raise ImportFileError("No column matches a question: name columns after question keys or titles, or use --map")
    if not mapping:
        plan.errors.append(RowError(1, "", "no column is matched to a question: choose a question for at least one"))
        return plan
    seen: dict[str, int] = {}
    for number, row in table:
        answers = row_answers(row, mapping, questions, number, plan.errors)
        submitted = None
        if received_column and row.get(received_column):
            try:
                submitted = parse_submitted(row[received_column])
            except ValueError as error:
                plan.errors.append(RowError(number, received_column, str(error)))
        if not answers:
            plan.errors.append(RowError(number, "", "no column of this row answers a question"))
            continue
        key = _import_key(channel, row, key_column, answers)
        if key in seen:
            if key_column and row.get(key_column):
                plan.errors.append(RowError(number, key_column, f"'{row[key_column]}' was already used on row {seen[key]}"))
            else:
                plan.repeated += 1
            continue
        seen[key] = number
        plan.rows.append(PlannedRow(number, key, answers, submitted))
    existing = _existing_keys(survey, [row.key for row in plan.rows])
    for row in plan.rows:
        row.imported = row.key in existing
    return plan


def _existing_keys(survey: Survey, keys: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(keys), 500):  # stay well under each database's bound-parameter limit
        found.update(db.session.scalars(select(Response.import_key).where(
            Response.survey_id == survey.id, Response.import_key.in_(keys[start:start + 500]))))
    return found

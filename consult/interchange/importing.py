"""Importing responses that arrived by email, on paper or at events: CSV, XLSX or JSONL, all rows or none.

`plan_import` reads and checks a file without writing anything (the preview and `--dry-run`);
`run_import` stores a plan that has no errors in one transaction. Each row has a stable import key
(from an id/reference column, else a SHA-256 of its content), so running the same file again adds
only rows not yet imported. Cell contents are only ever treated as text: nothing evaluates them.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import select

from consult.extensions import db
from consult.interchange.readers import (
    FORMATS,
    MB,
    ImportFileError,
    Limits,
    file_format,
    read_table,
)
from consult.jobs import files
from consult.jobs.services import JobError, task
from consult.responses.models import CHANNELS, ImportBatch, Response
from consult.responses.services import announce_stored, build_response
from consult.surveys import local_authorities
from consult.surveys.kinds import AGREE_SCALE, EMAIL_PATTERN, kind_of
from consult.surveys.models import Question, Survey
from consult.surveys.services import question_labels
from consult.timeutil import parse_utc, utcnow

__all__ = ["FORMATS", "ImportFileError", "file_format", "plan_import", "run_import", "preview_rows"]
KEY_COLUMNS = ("id", "reference")
# Columns read, unless matched otherwise, as when each answer was received (the response is dated by it).
RECEIVED_COLUMNS = ("submitted_at", "received", "received_at", "date received", "received on")
# What a column can be besides a question (whose key never holds a colon): see `column_targets`.
KEY_TARGET, RECEIVED_TARGET = ":key", ":received"
PREVIEW_ROWS = 10
# Confirmed imports with more new rows than this run as a background job, clear of the web server's timeout.
INLINE_ROWS = 1000


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"Row {self.row}, column '{self.column}': {self.message}" if self.column else f"Row {self.row}: {self.message}"


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

    @property
    def new_rows(self) -> list[PlannedRow]:
        return [row for row in self.rows if not row.imported]

    @property
    def already_imported(self) -> int:
        return sum(row.imported for row in self.rows)

    def counts(self) -> str:
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

def _fold(text: str) -> str:
    return " ".join(text.replace("’", "'").casefold().split())


def map_columns(headers: list[str], questions: list[Question], overrides: dict[str, str],
                labels: dict[str, str] | None = None) -> tuple[dict[str, str], list[str]]:
    """Column -> question key: a header equal to a key, a title or a label (any case), unless `overrides`
    says otherwise.

    Grid statements map as "<key>__<statement>" and "Other" text as "<key>__other".
    """
    targets: dict[str, str] = {}
    for q in questions:
        if labels and q.key in labels:
            targets[_fold(labels[q.key])] = q.key
        targets[_fold(q.key)] = targets[_fold(q.title)] = q.key
        for statement in q.settings.get("statements", []):
            targets[_fold(f"{q.key}__{statement['key']}")] = f"{q.key}__{statement['key']}"
        if q.settings.get("other"):
            targets[_fold(f"{q.key}__other")] = f"{q.key}__other"
    known = set(targets.values())
    problems = [f"--map {column}: there is no column called '{column}'" for column in overrides if column not in headers]
    problems += [f"--map {column}={key}: the survey has no question '{key}'" for column, key in overrides.items()
                 if key and key not in known]
    if problems:
        raise ImportFileError("; ".join(problems))
    mapping: dict[str, str] = {}
    for header in headers:
        target = overrides[header] if header in overrides else targets.get(_fold(header))
        if target:
            mapping[header] = target
    return mapping, [h for h in headers if h not in mapping]


def import_limits() -> Limits:
    """The most an import file may hold, from the IMPORT_MAX_* settings."""
    config = current_app.config
    return Limits(max_rows=config["IMPORT_MAX_ROWS"], max_columns=config["IMPORT_MAX_COLUMNS"],
                  max_cells=config["IMPORT_MAX_CELLS"], max_unzipped_bytes=int(config["IMPORT_MAX_UNZIPPED_MB"] * MB))


def _choose(raw: str, options: list[tuple[str, str]], what: str = "") -> str:
    lookup = {}
    for value, label in options:
        lookup[_fold(value)] = lookup[_fold(label)] = value
    found = lookup.get(_fold(raw))
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


def _row_answers(row: dict[str, str], mapping: dict[str, str], questions: dict[str, Question],
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


def _import_key(channel: str, row: dict[str, str], key_column: str | None,
                answers: dict[str, dict[str, Any]]) -> str:
    """Channel-prefixed, so row '1' of an email file and row '1' of a paper file stay distinct."""
    if key_column and row.get(key_column):
        key = f"{channel}:{row[key_column]}"
        return key if len(key) <= 64 else hashlib.sha256(key.encode()).hexdigest()
    content = json.dumps(answers, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(f"{channel}\n{content}".encode()).hexdigest()


def _parse_submitted(raw: str) -> datetime:
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


def plan_import(survey: Survey, content: bytes, filename: str, channel: str, *,
                overrides: dict[str, str] | None = None, key_column: str | None = None,
                received_column: str | None = None, unmatched_ok: bool = False) -> ImportPlan:
    """Read and check a file against the survey's current version; writes nothing.

    `received_column` (else one named like RECEIVED_COLUMNS) dates each response by when it was received.
    With `unmatched_ok`, a file no column of which matches a question gives a plan with that as its error
    (so the preview can offer to match them) rather than raising ImportFileError.
    """
    if channel not in CHANNELS:
        raise ImportFileError(f"The channel must be one of {', '.join(CHANNELS)}")
    headers, table = read_table(content, filename, import_limits())
    if key_column and key_column not in headers:
        raise ImportFileError(f"There is no key column called '{key_column}'")
    if received_column and received_column not in headers:
        raise ImportFileError(f"There is no column called '{received_column}' for when answers were received")
    overrides = dict(overrides or {})
    key_column = key_column or next((h for h in headers if h.strip().casefold() in KEY_COLUMNS
                                     and h not in overrides), None)
    received_column = received_column or next((h for h in headers if _fold(h) in RECEIVED_COLUMNS
                                               and h not in overrides and h != key_column), None)
    questions = {q.key: q for q in survey.current_version.questions}
    for fixed in (key_column, received_column):
        if fixed in headers:
            overrides[fixed] = ""
    mapping, unmapped = map_columns(headers, list(questions.values()), overrides, question_labels(survey))
    plan = ImportPlan(survey=survey, channel=channel, filename=Path(filename).name[:255],
                      checksum=hashlib.sha256(content).hexdigest(), mapping=mapping,
                      unmapped=[h for h in unmapped if h not in (key_column, received_column)], key_column=key_column,
                      received_column=received_column, headers=headers)
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
        answers = _row_answers(row, mapping, questions, number, plan.errors)
        submitted = None
        if received_column and row.get(received_column):
            try:
                submitted = _parse_submitted(row[received_column])
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


def run_import(plan: ImportPlan, *, user=None) -> ImportBatch:
    """Store every new row of an error-free plan in one transaction, with its batch and audit event, then
    announce the new responses (responses_stored) to the parts downstream."""
    from consult.auth.services import record

    if plan.errors:
        raise ImportFileError(f"The file has {len(plan.errors)} problems: nothing was imported")
    version = plan.survey.current_version
    questions = {q.key: q for q in version.questions}
    batch = ImportBatch(survey_id=plan.survey.id, channel=plan.channel, filename=plan.filename,
                        checksum=plan.checksum, created_rows=len(plan.new_rows),
                        skipped_rows=plan.already_imported + plan.repeated, user_id=user.id if user else None)
    db.session.add(batch)
    db.session.flush()
    try:
        built = []
        for row in plan.new_rows:
            response = build_response(version, {questions[k]: a for k, a in row.answers.items()},
                                      channel=plan.channel, submitted_at=row.submitted_at)
            response.import_batch_id = batch.id
            response.import_key = row.key
            db.session.add(response)
            built.append(response)
        db.session.flush()
        record("responses.imported", batch, {"survey": plan.survey.slug, "channel": plan.channel,
                                             "file": plan.filename, "new": batch.created_rows,
                                             "already_imported": plan.already_imported}, by=user)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    announce_stored(plan.survey.id, [r.id for r in built])
    return batch


def preview_rows(plan: ImportPlan) -> list[dict[str, Any]]:
    """The first rows as they will be stored: row number, status, when received, and each answer's summary lines."""
    questions = {q.key: q for q in plan.survey.current_version.questions}
    return [{"number": row.number, "imported": row.imported, "received": row.submitted_at,
             "answers": [(questions[k], kind_of(questions[k]).summary(questions[k], a)) for k, a in row.answers.items()]}
            for row in plan.rows[:PREVIEW_ROWS]]


@task("responses_import")
def run_import_job(job, progress) -> dict[str, Any]:
    """A confirmed import too large to run inside a web request; the kept upload is deleted once imported."""
    from consult.auth.models import User

    params = job.params
    survey = db.session.get(Survey, params["survey_id"])
    content = files.content_of(params["stored"], "upload", params["survey_id"])
    if survey is None or content is None:
        raise JobError("The survey or the uploaded file is no longer there: upload the file again")
    progress(0.05, f"Checking {params['filename']}")
    try:
        plan = plan_import(survey, content, params["filename"], params["channel"],
                           overrides=params.get("mapping") or {}, key_column=params.get("key_column"),
                           received_column=params.get("received_column"))
    except ImportFileError as error:
        raise JobError(str(error)) from error
    if plan.errors:
        raise JobError(f"{len(plan.errors):,} problems, nothing imported; the first: {plan.errors[0]}")
    progress(0.2, f"Importing {len(plan.new_rows):,} responses")
    run_import(plan, user=db.session.get(User, job.created_by) if job.created_by else None)
    files.discard(params["stored"])
    return {"summary": f"Imported {plan.filename}: {plan.counts()}.",
            "next": {"endpoint": "intake.import_responses", "values": {"slug": survey.slug}},
            "next_label": "Back to imports"}

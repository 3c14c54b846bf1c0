"""Exporting a survey's responses with their codes: CSV, XLSX, JSONL (and REFI-QDA in `refi_qda`).

Each answer's final coding is consult.coding.final's, as everywhere else. Spreadsheet cells that a spreadsheet program would run as a formula are neutralised (OWASP CSV injection).
"""
from __future__ import annotations

import csv
import io
import json
import tempfile
from dataclasses import dataclass, field
from typing import Any, BinaryIO, Iterator

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from consult.campaigns.services import Campaign, current_campaigns
from consult.coding.final import FinalCoding, final_coding
from consult.coding.models import CodeAssignment, Coder, Theme
from consult.extensions import db
from consult.interchange.cells import neutralise
from consult.jobs import files
from consult.jobs.models import Job
from consult.jobs.services import JobError, task
from consult.responses.models import Answer, Response, WorkshopEvent
from consult.surveys.kinds import kind_of
from consult.surveys.models import Question, Survey, SurveyVersion
from consult.surveys.services import job_survey

FORMATS = {  # format -> (media type, file extension)
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "jsonl": ("application/x-ndjson; charset=utf-8", "jsonl"),
    "qdpx": ("application/zip", "qdpx"),
}
FIXED_COLUMNS = ["reference", "channel", "submitted_at", "version", "respondent_type", "capacity"]
CHUNK = 500
# Surveys with more responses than this are exported by a background job, clear of the web server's timeout.
INLINE_RESPONSES = 5000


@dataclass
class ExportContext:
    """What every row needs: the survey's questions (all versions), themes, coders and workshops."""

    survey: Survey
    questions: dict[int, Question]
    keys: list[str]  # one column per question key: the current version's order, then older keys
    versions: dict[int, int]
    themes: dict[int, Theme]
    coders: dict[int, Coder]
    person_coders: list[Coder]  # those who coded in this survey, by name
    workshops: dict[int, WorkshopEvent]
    campaign_of: dict[int, tuple[int, Campaign]]  # response id -> (campaign number, campaign)

    @classmethod
    def load(cls, survey: Survey) -> ExportContext:
        versions = list(db.session.scalars(select(SurveyVersion).where(SurveyVersion.survey_id == survey.id)
                                           .order_by(SurveyVersion.number.desc())))
        questions = {q.id: q for v in versions for q in v.questions}
        keys = list(dict.fromkeys(q.key for v in versions for q in v.questions))
        themes = {t.id: t for t in db.session.scalars(select(Theme).where(Theme.survey_id == survey.id))}
        coder_ids = set(db.session.scalars(
            select(CodeAssignment.coder_id).distinct().join(Answer, Answer.id == CodeAssignment.answer_id)
            .join(Response, Response.id == Answer.response_id).where(Response.survey_id == survey.id)))
        coders = {c.id: c for c in db.session.scalars(select(Coder).where(Coder.id.in_(coder_ids)))}
        people = sorted((c for c in coders.values() if c.kind == "person"), key=lambda c: c.name.casefold())
        workshops = {w.id: w for w in db.session.scalars(select(WorkshopEvent).where(WorkshopEvent.survey_id == survey.id))}
        campaign_of = {member: (number, campaign) for number, campaign in enumerate(current_campaigns(survey), 1)
                       for member in campaign.members}
        return cls(survey, questions, keys, {v.id: v.number for v in versions}, themes, coders, people, workshops,
                   campaign_of)


@dataclass
class ExportRow:
    response: Response
    answers: dict[str, Answer]  # by question key
    codings: dict[int, list[CodeAssignment]] = field(default_factory=dict)  # by answer id
    final: dict[int, FinalCoding] = field(default_factory=dict)  # by answer id


def iter_rows(context: ExportContext) -> Iterator[ExportRow]:
    """Every response of the survey, oldest first, loaded a chunk at a time with its answers and codes."""
    ids = list(db.session.scalars(select(Response.id).where(Response.survey_id == context.survey.id)
                                  .order_by(Response.submitted_at, Response.id)))
    for start in range(0, len(ids), CHUNK):
        responses = list(db.session.scalars(select(Response).where(Response.id.in_(ids[start:start + CHUNK]))
                                            .order_by(Response.submitted_at, Response.id)
                                            .options(selectinload(Response.answers))))
        answer_ids = [a.id for r in responses for a in r.answers]
        codings: dict[int, list[CodeAssignment]] = {}
        for offset in range(0, len(answer_ids), CHUNK):
            for assignment in db.session.scalars(select(CodeAssignment).where(
                    CodeAssignment.answer_id.in_(answer_ids[offset:offset + CHUNK])).order_by(CodeAssignment.id)):
                codings.setdefault(assignment.answer_id, []).append(assignment)
        final = final_coding(answer_ids)
        for response in responses:
            yield ExportRow(response, {context.questions[a.question_id].key: a for a in response.answers},
                            codings, final)
        for response in responses:
            db.session.expunge(response)  # keep memory flat on large surveys


def readable(question: Question, answer: Answer | None) -> str:
    """An answer as a person reads it: the kind's summary lines joined by '; '."""
    if answer is None:
        return ""
    lines = kind_of(question).summary(question, {"value": answer.value, "text": answer.text})
    return "; ".join(str(line) for line in lines if line not in (None, ""))


def _codes_cell(context: ExportContext, row: ExportRow, names_by_answer: dict[int, list[str]]) -> str:
    parts = []
    for key in context.keys:
        answer = row.answers.get(key)
        if answer is not None and names_by_answer.get(answer.id):
            parts.append(f"{key}: {'; '.join(names_by_answer[answer.id])}")
    return " | ".join(parts)


def table_header(context: ExportContext) -> list[str]:
    """Question columns are named by key; a key equal to a fixed column (respondent_type) gets ' (answer)'."""
    questions = [f"{key} (answer)" if key in FIXED_COLUMNS else key for key in context.keys]
    return FIXED_COLUMNS + questions + [f"codes: {c.name}" for c in context.person_coders] + ["final codes"]


def table_row(context: ExportContext, row: ExportRow) -> list[str]:
    """One response as spreadsheet cells (not yet neutralised)."""
    response = row.response
    cells = [response.reference, response.channel, response.submitted_at.isoformat(sep=" ", timespec="seconds"),
             str(context.versions.get(response.version_id, "")), response.respondent_type or "", response.capacity or ""]
    cells += [readable(context.questions[row.answers[key].question_id], row.answers[key]) if key in row.answers else ""
              for key in context.keys]
    for coder in context.person_coders:
        names: dict[int, list[str]] = {}
        for answer in row.answers.values():
            names[answer.id] = list(dict.fromkeys(
                context.themes[c.theme_id].name for c in row.codings.get(answer.id, [])
                if c.coder_id == coder.id and c.status == "applied"))
        cells.append(_codes_cell(context, row, names))
    finals = {}
    for answer in row.answers.values():
        coding = row.final.get(answer.id)
        if coding and coding.basis == "disagreement":
            finals[answer.id] = ["disagreement"]
        elif coding and coding.theme_ids:
            finals[answer.id] = [context.themes[t].name for t in coding.theme_ids if t in context.themes]
    cells.append(_codes_cell(context, row, finals))
    return cells


def write_csv(survey: Survey, out: BinaryIO) -> int:
    """UTF-8 with a byte-order mark, so Excel shows accents and curly quotes correctly."""
    context = ExportContext.load(survey)
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow([neutralise(h) for h in table_header(context)])
    count = 0
    for row in iter_rows(context):
        writer.writerow([neutralise(cell) for cell in table_row(context, row)])
        count += 1
    text.flush()
    text.detach()
    return count


def write_xlsx(survey: Survey, out: BinaryIO) -> int:
    """Every cell written as a string (never a formula), neutralised as for CSV."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    context = ExportContext.load(survey)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Responses")

    def cells(values: list[str]) -> list[WriteOnlyCell | None]:
        made: list[WriteOnlyCell | None] = []
        for value in values:
            if not value:
                made.append(None)  # an empty cell is left out of the sheet altogether
                continue
            cell = WriteOnlyCell(sheet, value=neutralise(ILLEGAL_CHARACTERS_RE.sub("", value)))
            cell.data_type = "s"
            made.append(cell)
        return made

    sheet.append(cells(table_header(context)))
    count = 0
    for row in iter_rows(context):
        sheet.append(cells(table_row(context, row)))
        count += 1
    workbook.save(out)
    return count


def json_record(context: ExportContext, row: ExportRow) -> dict[str, Any]:
    """One response with its answers, each answer's codings by coder (machine ones with status and score)."""
    response = row.response
    workshop = context.workshops.get(response.workshop_id) if response.workshop_id else None
    answers = {}
    for key in context.keys:
        answer = row.answers.get(key)
        if answer is None:
            continue
        codings: dict[str, list[dict[str, Any]]] = {}
        for c in row.codings.get(answer.id, []):
            coder = context.coders[c.coder_id]
            codings.setdefault(coder.name, []).append({
                "theme": context.themes[c.theme_id].name, "theme_id": c.theme_id, "coder_kind": coder.kind,
                "status": c.status, "score": c.score,
                "span": [c.span_start, c.span_end] if c.span_start is not None else None})
        final = row.final.get(answer.id, FinalCoding([], "uncoded"))
        answers[key] = {"value": answer.value, "text": answer.text,
                        "readable": readable(context.questions[answer.question_id], answer), "codings": codings,
                        "final_codes": [context.themes[t].name for t in final.theme_ids if t in context.themes],
                        "final_basis": final.basis}
    return {"reference": response.reference, "channel": response.channel,
            "submitted_at": response.submitted_at.isoformat(timespec="seconds") + "Z",
            "version": context.versions.get(response.version_id), "respondent_type": response.respondent_type,
            "capacity": response.capacity,
            "workshop": {"name": workshop.name, "place": workshop.place, "held_on": workshop.held_on.isoformat(),
                         "attendee_types": workshop.attendee_types} if workshop else None,
            "campaign": _campaign(context, response),
            "answers": answers}


def _campaign(context: ExportContext, response: Response) -> dict[str, Any] | None:
    """The organised campaign the response belongs to: its number, size, and whether this response is the one
    that speaks for it (a campaign counts once in theme counts and quotes)."""
    if response.id not in context.campaign_of:
        return None
    number, campaign = context.campaign_of[response.id]
    return {"number": number, "size": len(campaign.members), "counted": campaign.representative == response.id}


def write_jsonl(survey: Survey, out: BinaryIO) -> int:
    """One JSON object per line, UTF-8."""
    context = ExportContext.load(survey)
    count = 0
    for row in iter_rows(context):
        out.write(json.dumps(json_record(context, row), ensure_ascii=False).encode() + b"\n")
        count += 1
    return count


def export(survey: Survey, fmt: str, out: BinaryIO, *, user=None) -> int:
    """Write the survey's responses in `fmt` to `out`, log the export, and return how many responses."""
    from consult.auth.services import record
    from consult.interchange.refi_qda import write_qdpx

    writers = {"csv": write_csv, "xlsx": write_xlsx, "jsonl": write_jsonl,
               "qdpx": lambda s, o: write_qdpx(s, o, user=user)}
    if fmt not in writers:
        raise ValueError(f"Unknown export format {fmt!r}: choose one of {', '.join(FORMATS)}")
    count = writers[fmt](survey, out)
    record("responses.exported", survey, {"format": fmt, "rows": count}, by=user)
    db.session.commit()
    return count


def response_count(survey: Survey) -> int:
    return db.session.scalar(select(func.count()).select_from(Response).where(Response.survey_id == survey.id)) or 0


def finished_export(survey: Survey, job_id: int) -> Job | None:
    """The survey's finished background export with this id, if there is one."""
    job = db.session.get(Job, job_id)
    if job is None or job.kind != "responses_export" or job.survey_id != survey.id or job.state != "finished":
        return None
    return job


@task("responses_export")
def run_export_job(job, progress) -> dict[str, Any]:
    """Export a large survey to a file kept in the database (consult.jobs.files, so any app server can offer
    it), downloadable from the job's page for EXPORT_TTL_HOURS or until a response in it is erased."""
    from consult.auth.models import User

    survey = job_survey(job)
    fmt = job.params["format"]
    if fmt not in FORMATS:
        raise JobError("That survey no longer exists")
    progress(0.05, f"Writing {fmt.upper()}")
    with tempfile.TemporaryFile() as out:
        count = export(survey, fmt, out, user=db.session.get(User, job.created_by) if job.created_by else None)
        out.seek(0)
        token = files.keep(out.read(), purpose="export", filename=f"{survey.slug}.{FORMATS[fmt][1]}",
                           survey_id=survey.id, hours=current_app.config["EXPORT_TTL_HOURS"])
    return {"summary": f"{count:,} responses exported as {fmt.upper()}.", "file": token, "format": fmt,
            "next": {"endpoint": "intake.export_download", "values": {"slug": survey.slug, "job_id": job.id}},
            "next_label": f"Download the {fmt.upper()} file"}

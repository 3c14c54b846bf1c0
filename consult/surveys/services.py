"""Loading survey definitions into versioned rows, and moving surveys between states."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import jsonschema
import yaml
from flask import current_app, g, has_app_context
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from consult.extensions import db
from consult.jobs.models import Job
from consult.jobs.services import JobError
from consult.surveys import languages
from consult.surveys.languages import QUESTION_FIELDS
from consult.surveys.retention import notice_problems
from consult.surveys.models import DEFAULT_TIME_ZONE, Page, Question, Survey, SurveyState, SurveyVersion
from consult.surveys.signals import survey_closed
from consult.timeutil import parse_utc

SCHEMA_PATH = Path(__file__).parent / "schema" / "survey-definition.schema.json"


class DefinitionError(ValueError):
    """A definition file that cannot be loaded; `problems` lists every reason, one per line."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class LoadResult:
    survey: Survey
    version: SurveyVersion
    created: bool  # False when the same content was already loaded


def read_definition(path: str | Path) -> dict[str, Any]:
    """Parse a YAML or JSON definition file and check it against the schema and its own references."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, yaml.YAMLError) as error:
        raise DefinitionError([f"{path}: cannot be read: {error}"]) from error
    check_definition(data)
    return data


def check_definition(data: Any) -> None:
    """Raise DefinitionError listing every schema error and every broken cross-reference."""
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text()))
    problems = [f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}"
                for e in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))]
    if problems:
        raise DefinitionError(problems)
    seen: dict[str, dict[str, Any]] = {}
    problems += languages.text_problems(data)
    try:
        ZoneInfo(data.get("time_zone", DEFAULT_TIME_ZONE))
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(f"time_zone: '{data['time_zone']}' is not a time zone name like Europe/London")
    for number, page in enumerate(data["pages"], start=1):
        page_keys = {q["key"] for q in page["questions"]}
        earlier = set(seen)
        for condition in [page.get("show_if")] + [q.get("show_if") for q in page["questions"]]:
            if condition and condition["question"] not in seen and condition["question"] not in page_keys:
                problems.append(f"page {number}: show_if refers to '{condition['question']}', "
                                "which is not a question on this or an earlier page")
        for question in page["questions"]:
            if question["key"] in seen:
                problems.append(f"page {number}: question key '{question['key']}' is used twice")
            for choice in question.get("choices", []):
                if choice.get("show_if") and choice["show_if"]["question"] not in earlier:
                    problems.append(f"page {number}: choice '{choice['value']}' of '{question['key']}' has a show_if "
                                    f"referring to '{choice['show_if']['question']}', which is not a question on "
                                    "an earlier page")
            values = [c["value"] for c in question.get("choices", [])]
            if len(values) != len(set(values)) or (question.get("other") and "other" in values):
                problems.append(f"page {number}: question '{question['key']}' repeats a choice value")
            if "min" in question and "max" in question and question["min"] > question["max"]:
                problems.append(f"page {number}: question '{question['key']}' has min above max")
            named = next((k for k, q in seen.items() if "label" in question and q.get("label") == question["label"]), None)
            if named:
                problems.append(f"page {number}: question '{question['key']}' has the label of '{named}': "
                                "give each question its own")
            seen[question["key"]] = question
    problems += notice_problems(data, current_app.config["DRAFT_TTL_DAYS"] if has_app_context() else None)
    try:
        if parse_utc(data["opens"]) >= parse_utc(data["closes"]):
            problems.append("closes: must be after opens")
    except ValueError as error:
        problems.append(f"opens/closes: {error}")
    if problems:
        raise DefinitionError(problems)


def checksum(definition: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(definition, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def load_definition(definition: dict[str, Any], *, open_survey: bool = False) -> LoadResult:
    """Store a checked definition as a new version of its survey (creating the survey if new).

    Loading the same content again changes nothing. Earlier versions stay untouched, so drafts and
    responses keep the version they were answered against.
    """
    check_definition(definition)
    digest = checksum(definition)
    survey = db.session.scalar(select(Survey).where(Survey.slug == definition["slug"]))
    number = definition["version"]
    if survey is None:
        survey = Survey(slug=definition["slug"], state=SurveyState.DRAFT.value)
        db.session.add(survey)
    else:
        existing = next((v for v in survey.versions if v.number == number), None)
        if existing is not None and existing.checksum == digest:
            if open_survey and survey.state != SurveyState.OPEN.value:
                survey.transition(SurveyState.OPEN)
                db.session.commit()
            return LoadResult(survey, existing, created=False)
        if existing is not None:
            raise DefinitionError([f"version {number} of '{survey.slug}' is already loaded with different "
                                   f"content: raise `version` to {survey.current_version.number + 1}"])
        if number < survey.current_version.number:
            raise DefinitionError([f"version {number} is older than the loaded version "
                                   f"{survey.current_version.number} of '{survey.slug}'"])
    own, translations = languages.split(definition)
    survey.title = own["title"]
    survey.opens_at = parse_utc(definition["opens"])
    survey.closes_at = parse_utc(definition["closes"])
    survey.reference_prefix = definition.get("reference_prefix", "REF")
    version = SurveyVersion(number=number, checksum=digest, definition=own, translations=translations or None)
    survey.versions.append(version)
    _add_pages(version, own["pages"])
    if open_survey and survey.state != SurveyState.OPEN.value:
        survey.transition(SurveyState.OPEN)
    db.session.commit()
    return LoadResult(survey, version, created=True)


def _add_pages(version: SurveyVersion, pages: list[dict[str, Any]]) -> None:
    section = None
    position = 0
    for page_number, page_def in enumerate(pages, start=1):
        section = page_def.get("section", section)
        page = Page(position=page_number, section=section, title=page_def.get("title"),
                    intro=page_def.get("intro"), show_if=page_def.get("show_if"))
        version.pages.append(page)
        for question_def in page_def["questions"]:
            position += 1
            settings = {k: v for k, v in question_def.items() if k not in QUESTION_FIELDS}
            question = Question(position=position, settings=settings,
                                required=question_def.get("required", False),
                                **{k: question_def.get(k) for k in QUESTION_FIELDS if k != "required"})
            page.questions.append(question)
            version.questions.append(question)


def load_file(path: str | Path, *, open_survey: bool = False) -> LoadResult:
    """Read, check and load a definition file."""
    return load_definition(read_definition(path), open_survey=open_survey)


def change_state(survey: Survey, target: SurveyState) -> None:
    """Open or close a survey through its guarded transitions, and save; closing is announced
    (`survey_closed`) to the parts downstream."""
    survey.transition(target)
    db.session.commit()
    if target is SurveyState.CLOSED:
        survey_closed.send(current_app._get_current_object(), survey_id=survey.id)


def question_ids(survey: Survey, keys: list[str] | None = None, role: str | None = None) -> list[int]:
    """Ids of the survey's question rows (every version) with these keys or this role (all when neither)."""
    query = select(Question.id).join(SurveyVersion).where(SurveyVersion.survey_id == survey.id)
    if keys is not None:
        query = query.where(Question.key.in_(keys))
    if role is not None:
        query = query.where(Question.role == role)
    return list(db.session.scalars(query))


def latest_questions(survey: Survey) -> list[Question]:
    """One question per key across the survey's versions, as the newest version words it: the current
    version's in order, then keys only earlier versions asked."""
    seen: dict[str, Question] = {}
    versions = db.session.scalars(select(SurveyVersion).where(SurveyVersion.survey_id == survey.id)
                                  .order_by(SurveyVersion.number.desc()).options(selectinload(SurveyVersion.questions)))
    for version in versions:
        for question in version.questions:
            seen.setdefault(question.key, question)
    return sorted(seen.values(), key=lambda q: (q.version_id != survey.current_version.id, q.position))


def question_labels(survey: Survey) -> dict[str, str]:
    """Each question key's short name in the workspace: the `label` of the newest version that gives one
    (answers to earlier versions go by it too), else the newest wording of its title."""
    labels = {q.key: q.title for q in latest_questions(survey)}
    named: set[str] = set()
    for version in sorted(survey.versions, key=lambda v: v.number, reverse=True):
        for question in version.questions:
            if question.key not in named and question.settings.get("label"):
                labels[question.key] = question.settings["label"]
                named.add(question.key)
    return labels


def question_label(question: Question) -> str:
    """The question's short name (see `question_labels`), looked up once per request for its survey."""
    known = g.setdefault("question_labels", {})
    survey_id = question.version.survey_id
    if survey_id not in known:
        known[survey_id] = question_labels(db.session.get(Survey, survey_id))
    return known[survey_id].get(question.key, question.title)


def respondent_groups(survey: Survey) -> dict[str, str]:
    """Each respondent type's group (community, councils, others) as the current version's respondent-type
    question names it; types it does not name are "others"."""
    question = next((q for q in survey.current_version.questions if q.role == "respondent_type"), None)
    return {c["value"]: c.get("group", "others") for c in (question.settings.get("choices", []) if question else [])}


def get_survey(slug: str) -> Survey | None:
    return db.session.scalar(select(Survey).where(Survey.slug == slug))


def list_surveys() -> list[Survey]:
    return list(db.session.scalars(select(Survey).order_by(Survey.created_at, Survey.id)))


def job_survey(job: Job) -> Survey:
    """The survey a background job works on (`params["survey_id"]`); the job fails with a message if it has gone."""
    survey = db.session.get(Survey, job.params["survey_id"])
    if survey is None:
        raise JobError("That survey no longer exists")
    return survey

"""The one place where a survey's rows become the plain evidence records `analysis.principles` drafts from.

Bulk column queries only (no ORM objects per response), so 100,000 responses load in about a second.
"""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, select

from analysis.evidence import (ClosedQuestion, CodedAnswer, CodingFacts, ConsultedPrinciple, Evidence, Respondent,
                               ThemeEntry)
from consult.coding.models import CodeAssignment, Coder, SampleItem, Theme
from consult.extensions import db
from consult.responses.exporting import survey_final_coding
from consult.responses.models import Answer, AnswerOption, Response
from consult.surveys.kinds import AGREE_SCALE
from consult.surveys.models import Question, Survey, SurveyVersion
from consult.timeutil import utcnow

CLOSED_KINDS = ("single_choice", "multiple_choice", "agree_scale")
ANONYMOUS = "Anonymous respondent"


def _questions(survey: Survey) -> list[Question]:
    return list(db.session.scalars(select(Question).join(SurveyVersion).where(SurveyVersion.survey_id == survey.id)))


def _by_role(questions: list[Question], role: str) -> set[int]:
    return {q.id for q in questions if q.role == role}


def _choice_labels(question: Question) -> dict[str, str]:
    labels = {c["value"]: c["label"] for c in question.settings.get("choices", [])}
    if question.settings.get("other"):
        labels["other"] = question.settings["other"]["label"]
    return labels


def _respondents(survey: Survey, questions: list[Question], demo_refs: set[str]) -> list[Respondent]:
    current = survey.current_version
    type_question = next((q for q in current.questions if q.role == "respondent_type"), None)
    type_labels = _choice_labels(type_question) if type_question else {}
    groups = {c["value"]: c.get("group", "others") for c in (type_question.settings.get("choices", []) if type_question else [])}
    publication = {q.id for q in questions if q.kind == "consent" and q.settings.get("purpose") == "publication"}
    facts: dict[int, dict[str, object]] = defaultdict(dict)
    names = _by_role(questions, "respondent_name")
    org_type_labels = {q.id: _choice_labels(q) for q in questions if q.role == "organisation_type"}
    wanted = publication | names | _by_role(questions, "organisation_name") | org_type_labels.keys()
    for response_id, question_id, value, text in db.session.execute(
            select(Answer.response_id, Answer.question_id, Answer.value, Answer.text)
            .where(Answer.question_id.in_(wanted))):
        if question_id in publication:
            facts[response_id]["consent"] = value
        elif question_id in org_type_labels:
            facts[response_id]["org_type"] = org_type_labels[question_id].get(value, value)
        else:
            facts[response_id]["name" if question_id in names else "org_name"] = text
    people = []
    for response_id, reference, respondent_type, channel in db.session.execute(
            select(Response.id, Response.reference, Response.respondent_type, Response.channel)
            .where(Response.survey_id == survey.id).order_by(Response.id)):
        known = facts.get(response_id, {})
        people.append(Respondent(
            id=reference, group=groups.get(respondent_type or "", "others"),
            respondent_type=type_labels.get(respondent_type or "", respondent_type),
            channel=channel, quote_as=_attribution(known, type_labels.get(respondent_type or "")),
            demo=reference in demo_refs))
    return people


def _attribution(facts: dict[str, object], type_label: str | None) -> str | None:
    """How the respondent chose to be quoted; None unless they consented (imported evidence included)."""
    consent = facts.get("consent")
    if consent == "with_name" and facts.get("name"):
        return str(facts["name"]) + (f", {facts['org_name']}" if facts.get("org_name") else "")
    if consent in ("with_name", "organisation_only"):
        kind = facts.get("org_type") or type_label
        return f"{'An' if str(kind)[:1].lower() in 'aeiou' else 'A'} {str(kind).lower()}" if kind else ANONYMOUS
    if consent == "anonymous":
        return ANONYMOUS
    return None


def load_evidence(survey: Survey, *, min_cell: int = 5, demo_prefix: str = "DEMO") -> Evidence:
    """Everything a draft is built from, as of now: respondents, coded answers, votes, codebook, coding facts."""
    questions = _questions(survey)
    by_id = {q.id: q for q in questions}
    reference_of = dict(db.session.execute(select(Response.id, Response.reference).where(Response.survey_id == survey.id)).all())
    demo_refs = {ref for ref in reference_of.values() if ref.startswith(f"{demo_prefix}-")}
    respondents = _respondents(survey, questions, demo_refs)
    themes = {t.id: t for t in db.session.scalars(select(Theme).where(Theme.survey_id == survey.id))}
    finals = survey_final_coding(survey.id)
    # Filtering on question ids (all of this survey's) uses the answer indexes and needs no join.
    free_text = [q.id for q in questions if q.kind in ("long_text", "short_text") and q.role is None]
    name_of = {t.id: t.name for t in themes.values()}
    no_codes = ()
    answers = tuple(
        CodedAnswer(id=str(answer_id), respondent_id=reference_of[response_id], question_key=by_id[question_id].key,
                    text=text, themes=tuple(name_of[t] for t in finals[answer_id].theme_ids) if answer_id in finals else no_codes)
        for answer_id, response_id, question_id, text in db.session.execute(
            select(Answer.id, Answer.response_id, Answer.question_id, Answer.text)
            .where(Answer.question_id.in_(free_text), Answer.text.is_not(None)).order_by(Answer.id)))
    closed_ids = [q.id for q in questions if q.kind in CLOSED_KINDS]
    chosen: dict[tuple[str, int], list[str]] = defaultdict(list)
    for response_id, question_id, value in db.session.execute(
            select(Answer.response_id, AnswerOption.question_id, AnswerOption.value)
            .join(Answer, Answer.id == AnswerOption.answer_id).where(AnswerOption.question_id.in_(closed_ids))
            .order_by(AnswerOption.id)):
        chosen[(by_id[question_id].key, response_id)].append(value)
    by_key: dict[str, list[tuple[str, tuple[str, ...]]]] = defaultdict(list)
    for (key, response_id), values in chosen.items():
        by_key[key].append((reference_of[response_id], tuple(values)))
    current = survey.current_version
    principles = []
    for page in current.pages:
        scale = next((q for q in page.questions if q.role == "principle"), None)
        why = next((q for q in page.questions if q.kind == "long_text"), None)
        if scale is not None:
            principles.append(ConsultedPrinciple(
                number=len(principles) + 1, statement=_statement(page.title or scale.title),
                explanation=page.intro or "", agreement_key=scale.key, why_key=why.key if why else "",
                votes=tuple((ref, values[0]) for ref, values in by_key.get(scale.key, ()))))
    closed = tuple(ClosedQuestion(
        key=q.key, title=q.title, kind=q.kind,
        options=tuple(AGREE_SCALE) if q.kind == "agree_scale" else tuple(_choice_labels(q).items()),
        answers=tuple(by_key.get(q.key, ())))
        for q in current.questions if q.kind in CLOSED_KINDS and q.role != "principle")
    codebook = tuple(ThemeEntry(name=t.name, parent=themes[t.parent_id].name if t.parent_id in themes else None,
                                description=t.description)
                     for t in sorted(themes.values(), key=lambda t: (t.position, t.name)) if t.merged_into_id is None)
    return Evidence(
        survey_title=survey.title, survey_slug=survey.slug, generated_at=utcnow().isoformat(timespec="seconds") + "Z",
        closes_at=survey.closes_at.isoformat() + "Z", respondents=tuple(respondents), answers=answers,
        principles=tuple(principles), questions=closed, codebook=codebook,
        coding=_coding_facts(survey, finals), min_cell=min_cell,
        demo=bool(respondents) and len(demo_refs) == len(respondents))


def _statement(title: str) -> str:
    """'Principle 1: Think about the whole system' -> 'Think about the whole system'."""
    head, _, rest = title.partition(":")
    return rest.strip() if rest and head.lower().startswith("principle") else title


def _agreement(survey: Survey) -> list[tuple[str, float | None, int]]:
    """Overall alpha among people, then kappa and alpha for each pair (people, and the machine with each)."""
    from consult.coding.agreement import figures

    rows, overall, _names = figures(survey)
    summary = [("Krippendorff's alpha (MASI), all coders", overall.value, overall.n)]
    for row in rows:
        pair = f"{row.label_a} and {row.label_b}"
        summary.append((f"Cohen's kappa, {pair}", row.figures.kappa.value, row.figures.n))
        summary.append((f"Krippendorff's alpha (MASI), {pair}", row.figures.alpha.value, row.figures.n))
    return summary


def _coding_facts(survey: Survey, finals) -> CodingFacts:
    in_survey = select(Answer.id).join(Response).where(Response.survey_id == survey.id).scalar_subquery()
    counts = dict(db.session.execute(
        select(CodeAssignment.status, func.count()).join(Coder).where(Coder.kind == "machine",
                                                                      CodeAssignment.answer_id.in_(in_survey))
        .group_by(CodeAssignment.status)).all())
    people = db.session.scalar(select(func.count(func.distinct(CodeAssignment.coder_id))).join(Coder).where(
        Coder.kind == "person", CodeAssignment.answer_id.in_(in_survey)))
    double = db.session.scalar(select(func.count(func.distinct(SampleItem.answer_id))).where(SampleItem.answer_id.in_(in_survey)))
    return CodingFacts(
        coders=people or 0, coded_answers=sum(1 for f in finals.values() if f.theme_ids), double_coded=double or 0,
        agreement=tuple(_agreement(survey)),
        machine_suggested=sum(counts.values()), machine_accepted=counts.get("accepted", 0),
        machine_rejected=counts.get("rejected", 0))

"""The one place where a survey's rows become the evidence `analysis.principles` drafts from.

At 100,000 responses it reads columns, not objects: one row per respondent and per free-text answer (the
driver's own tuples, see consult.principles.fetch), the code rows once (coding_facts), and only counts for
what is only counted: votes by respondent type (from AgreementVote's index) and closed answers by option.
The few votes drafting looks at one by one (the sampled "reasons for and against") are looked up when asked.
"""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter

import numpy as np
from sqlalchemy import Text, cast, func, select

from analysis.evidence import (Answers, ClosedQuestion, ConsultedPrinciple, Evidence, Respondents, ThemeEntry,
                               VoteLookup)
from consult.coding.models import Theme
from consult.extensions import db
from consult.principles.coding_facts import Finals, load_coding
from consult.principles.facts import CLOSED_KINDS, compared
from consult.principles.fetch import rows
from consult.principles.models import AgreementVote
from consult.responses.models import Answer, AnswerOption, Response
from consult.surveys.kinds import AGREE_SCALE
from consult.surveys.models import Question, Survey, SurveyVersion
from consult.timeutil import utcnow

ANONYMOUS = "Anonymous respondent"
SINGLE_VALUED = ("single_choice", "agree_scale")  # option_values stores exactly one option for these


@dataclass(frozen=True)
class Loaded:
    evidence: Evidence
    reference_of: dict[int, str]  # response id -> reference (how the evidence names respondents)


def _choice_labels(question: Question) -> dict[str, str]:
    labels = {c["value"]: c["label"] for c in question.settings.get("choices", [])}
    if question.settings.get("other"):
        labels["other"] = question.settings["other"]["label"]
    return labels


@lru_cache(maxsize=256)
def _decoded(raw: str | None):
    """A JSON value read as text (the same few consent and choice values recur 100,000 times)."""
    return None if raw is None else json.loads(raw)


@lru_cache(maxsize=4096)
def _attribution(consent, name: str | None, org_name: str | None, kind: str | None) -> str | None:
    """How the respondent chose to be quoted; None unless they consented (imported evidence included)."""
    if consent == "with_name" and name:
        return str(name) + (f", {org_name}" if org_name else "")
    if consent in ("with_name", "organisation_only"):
        return f"{'An' if str(kind)[:1].lower() in 'aeiou' else 'A'} {str(kind).lower()}" if kind else ANONYMOUS
    if consent == "anonymous":
        return ANONYMOUS
    return None


def _respondents(survey: Survey, questions: list[Question], demo_prefix: str) -> tuple[Respondents, list[int]]:
    type_question = next((q for q in survey.current_version.questions if q.role == "respondent_type"), None)
    type_labels = _choice_labels(type_question) if type_question else {}
    groups = {c["value"]: c.get("group", "others") for c in (type_question.settings.get("choices", []) if type_question else [])}
    publication = {q.id for q in questions if q.kind == "consent" and q.settings.get("purpose") == "publication"}
    names = {q.id for q in questions if q.role == "respondent_name"}
    org_names = {q.id for q in questions if q.role == "organisation_name"}
    org_types = {q.id: _choice_labels(q) for q in questions if q.role == "organisation_type"}
    consent: dict[int, object] = {}
    named: dict[str, dict[int, object]] = defaultdict(dict)  # name, org_name, org_type: a few respondents
    for response_id, question_id, value, text in rows(
            select(Answer.response_id, Answer.question_id, cast(Answer.value, Text), Answer.text)
            .where(Answer.question_id.in_(publication | names | org_names | org_types.keys()))):
        if question_id in publication:
            consent[response_id] = _decoded(value)
        elif question_id in org_types:
            value = _decoded(value)
            named["org_type"][response_id] = org_types[question_id].get(value, value)
        else:
            named["name" if question_id in names else "org_name"][response_id] = text
    people = rows(select(Response.id, Response.reference, Response.respondent_type, Response.channel)
                  .where(Response.survey_id == survey.id).order_by(Response.id))
    ids, references, kinds, channels = (tuple(map(itemgetter(i), people)) for i in range(4))
    special = set().union(*named.values())
    name, org_name, org_type = named["name"], named["org_name"], named["org_type"]
    quote_as = tuple(
        _attribution(consent.get(r), name.get(r), org_name.get(r), org_type.get(r) or type_labels.get(k or ""))
        if r in special else _attribution(consent.get(r), None, None, type_labels.get(k or ""))
        for r, k in zip(ids, kinds))
    demo = f"{demo_prefix}-"
    return Respondents(
        id=references, group=tuple(groups.get(k or "", "others") for k in kinds),
        respondent_type=tuple(type_labels.get(k or "", k) for k in kinds), channel=channels,
        quote_as=quote_as, demo=tuple(r.startswith(demo) for r in references)), list(ids)


def _answers(questions: list[Question], reference_of: dict[int, str], finals: Finals,
             name_of: dict[int, str]) -> Answers:
    """Free-text answers in answer order, each with its final codes as theme names."""
    key_of = {q.id: q.key for q in questions}
    found = rows(select(Answer.id, Answer.response_id, Answer.question_id, Answer.text)
                 .where(Answer.question_id.in_([q.id for q in questions if compared(q)]), Answer.text.is_not(None)))
    wanted = np.fromiter(map(itemgetter(0), found), dtype=np.int64, count=len(found))
    order = np.argsort(wanted, kind="stable")  # answer order (sorting here is cheaper than in SQLite)
    wanted = wanted[order]
    found = itemgetter(*order.tolist())(found) if len(found) > 1 else found
    ids, respondents, question_ids, texts = (tuple(map(itemgetter(i), found)) for i in range(4))
    at = np.minimum(np.searchsorted(finals.answers, wanted), max(len(finals) - 1, 0))
    coded = finals.answers[at] == wanted if len(finals) else np.zeros(len(wanted), dtype=bool)
    combo = np.where(coded, finals.combo[at] if len(finals) else -1, -1)
    names = [tuple(name_of[t] for t in ids) for ids in finals.combos] + [()]  # -1: no codes
    return Answers(id=map(str, ids), respondent_id=map(reference_of.__getitem__, respondents),
                   question_key=map(key_of.__getitem__, question_ids), text=texts,
                   themes=map(names.__getitem__, combo.tolist()))


def _principles(survey: Survey, ids_of: dict[str, list[int]], groups: dict[str, str]) -> list[ConsultedPrinciple]:
    out = []
    for page in survey.current_version.pages:
        scale = next((q for q in page.questions if q.role == "principle"), None)
        why = next((q for q in page.questions if q.kind == "long_text"), None)
        if scale is None:
            continue
        tally: dict[tuple[str, str], int] = defaultdict(int)
        for kind, value, n in rows(select(AgreementVote.respondent_type, AgreementVote.value, func.count())
                                   .where(AgreementVote.question_id.in_(ids_of[scale.key]))
                                   .group_by(AgreementVote.respondent_type, AgreementVote.value)):
            tally[(value, groups.get(kind or "", "others"))] += n
        out.append(ConsultedPrinciple(
            number=len(out) + 1, statement=_statement(page.title or scale.title), explanation=page.intro or "",
            agreement_key=scale.key, why_key=why.key if why else "",
            tally=tuple((value, group, n) for (value, group), n in sorted(tally.items()))))
    return out


def _vote_lookup(ids_of: dict[str, list[int]], reference_of: dict[int, str]) -> VoteLookup:
    response_of: dict[str, int] = {}

    def lookup(key: str, references) -> dict[str, str]:
        if not response_of:
            response_of.update((ref, rid) for rid, ref in reference_of.items())
        wanted = [response_of[r] for r in references if r in response_of]
        found: dict[str, str] = {}
        for start in range(0, len(wanted), 500):
            found.update((reference_of[rid], value) for rid, value in rows(
                select(AgreementVote.response_id, AgreementVote.value).where(
                    AgreementVote.question_id.in_(ids_of.get(key, [])),
                    AgreementVote.response_id.in_(wanted[start:start + 500]))))
        return found

    return lookup


def _closed(survey: Survey, ids_of: dict[str, list[int]], by_id: dict[int, Question]) -> list[ClosedQuestion]:
    """Closed questions counted by option: respondents choosing each, respondents who chose anything, and
    whether each chose one value (a respondent answers one question of a key: the one in their version)."""
    wanted = [q for q in survey.current_version.questions if q.kind in CLOSED_KINDS and q.role != "principle"]
    ids = [i for q in wanted for i in ids_of[q.key]]
    chosen: dict[tuple[str, str], int] = defaultdict(int)
    options: dict[int, int] = defaultdict(int)  # chosen options per question
    for question_id, value, n in rows(select(AnswerOption.question_id, AnswerOption.value, func.count())
                                      .where(AnswerOption.question_id.in_(ids))
                                      .group_by(AnswerOption.question_id, AnswerOption.value)):
        chosen[(by_id[question_id].key, value)] += n
        options[question_id] += n
    several = [i for i in ids if by_id[i].kind not in SINGLE_VALUED]
    answers = dict(rows(select(AnswerOption.question_id, func.count(func.distinct(AnswerOption.answer_id)))
                        .where(AnswerOption.question_id.in_(several)).group_by(AnswerOption.question_id)))
    out = []
    for q in wanted:
        labels = tuple(AGREE_SCALE) if q.kind == "agree_scale" else tuple(_choice_labels(q).items())
        answered = sum(answers.get(i, 0) if i in several else options[i] for i in ids_of[q.key])
        out.append(ClosedQuestion(key=q.key, title=q.title, kind=q.kind, options=labels,
                                  counts=tuple(chosen.get((q.key, value), 0) for value, _ in labels), answered=answered,
                                  single_valued=sum(options[i] for i in ids_of[q.key]) == answered))
    return out


def load(survey: Survey, *, min_cell: int = 5, demo_prefix: str = "DEMO") -> Loaded:
    """Everything a draft is built from, as of now: respondents, coded answers, votes, codebook, coding facts.
    Works out first any response facts that are missing (committing them)."""
    from consult.principles.services import backfill_facts

    backfill_facts(survey)
    questions = list(db.session.scalars(select(Question).join(SurveyVersion).where(SurveyVersion.survey_id == survey.id)))
    by_id = {q.id: q for q in questions}
    ids_of: dict[str, list[int]] = defaultdict(list)
    for q in questions:
        ids_of[q.key].append(q.id)
    respondents, response_ids = _respondents(survey, questions, demo_prefix)
    reference_of = dict(zip(response_ids, respondents.id))
    themes = {t.id: t for t in db.session.scalars(select(Theme).where(Theme.survey_id == survey.id))}
    finals, coding = load_coding(list(by_id), list(themes))
    answers = _answers(questions, reference_of, finals, {t.id: t.name for t in themes.values()})
    type_question = next((q for q in survey.current_version.questions if q.role == "respondent_type"), None)
    groups = {c["value"]: c.get("group", "others") for c in (type_question.settings.get("choices", []) if type_question else [])}
    codebook = tuple(ThemeEntry(name=t.name, parent=themes[t.parent_id].name if t.parent_id in themes else None,
                                description=t.description)
                     for t in sorted(themes.values(), key=lambda t: (t.position, t.name)) if t.merged_into_id is None)
    evidence = Evidence(
        survey_title=survey.title, survey_slug=survey.slug, generated_at=utcnow().isoformat(timespec="seconds") + "Z",
        closes_at=survey.closes_at.isoformat() + "Z", respondents=respondents, answers=answers,
        principles=tuple(_principles(survey, ids_of, groups)), questions=tuple(_closed(survey, ids_of, by_id)),
        codebook=codebook, coding=coding, min_cell=min_cell,
        demo=bool(len(respondents)) and all(respondents.demo), vote_lookup=_vote_lookup(ids_of, reference_of))
    return Loaded(evidence, reference_of)


def load_evidence(survey: Survey, *, min_cell: int = 5, demo_prefix: str = "DEMO") -> Evidence:
    return load(survey, min_cell=min_cell, demo_prefix=demo_prefix).evidence


def _statement(title: str) -> str:
    """'Principle 1: Think about the whole system' -> 'Think about the whole system'."""
    head, _, rest = title.partition(":")
    return rest.strip() if rest and head.lower().startswith("principle") else title

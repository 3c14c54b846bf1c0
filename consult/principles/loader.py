"""The one place where a survey's rows become the evidence `analysis.principles` drafts from.

Every figure comes from the function the workspace uses for the same figure, and every answer's text is its
final redacted text (consult.redaction.services.redacted_texts; an answer no redaction job has read yet is
redacted by the machine as the draft prints it, not all of them here): closed answers counted by
consult.responses.counts, the final coding of consult.coding.final, the coding facts and agreement of
consult.coding, and the campaigns of consult.campaigns.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select

from analysis.attribution import ANONYMOUS, NAME, ORGANISATION, attribution
from analysis.evidence import (
    Answers,
    ClosedQuestion,
    ConsultedPrinciple,
    Evidence,
    Respondents,
    ThemeEntry,
    VoteLookup,
)
from analysis.records import Campaign
from consult.campaigns.services import current_campaigns
from consult.coding.figures import coding_facts
from consult.coding.final import decided_final_coding
from consult.coding.models import Theme
from consult.extensions import db
from consult.redaction.services import redacted_texts
from consult.responses.consent import (
    QUOTED_ANONYMOUSLY,
    QUOTED_AS_ORGANISATION,
    QUOTED_WITH_NAME,
)
from consult.responses.counts import ALL, chosen_option, option_counts
from consult.responses.models import Answer, Response
from consult.surveys.kinds import kind_of
from consult.surveys.models import Question, Survey, SurveyVersion
from consult.surveys.services import respondent_groups
from consult.timeutil import utcnow

CHOSEN = {QUOTED_WITH_NAME: NAME, QUOTED_AS_ORGANISATION: ORGANISATION, QUOTED_ANONYMOUSLY: ANONYMOUS}


@dataclass(frozen=True)
class Loaded:
    evidence: Evidence
    campaigns: list[Campaign]  # members named by reference, as the evidence names respondents
    reference_of: dict[int, str]  # response id -> reference (the evidence's respondent id)


def _attributions(survey: Survey, questions: list[Question], people: list[tuple[int, str | None]]) -> list[str | None]:
    """How each of these (response id, respondent type) chose to be quoted (analysis.attribution), or None."""
    type_question = next((q for q in survey.current_version.questions if q.role == "respondent_type"), None)
    type_labels = dict(kind_of(type_question).options(type_question)) if type_question else {}
    roles = {q.id: ("consent" if q.kind == "consent" and q.settings.get("purpose") == "publication" else q.role)
             for q in questions}
    options = {q.id: dict(kind_of(q).options(q)) for q in questions
               if q.role in ("organisation_type", "respondent_type")}
    facts: dict[str, dict[int, object]] = defaultdict(dict)  # consent, respondent_name, ... by response id

    def read(wanted_roles: tuple[str, ...], among: set[int] | None) -> None:
        wanted = [qid for qid, role in roles.items() if role in wanted_roles]
        if not wanted or among == set():
            return
        query = (select(Answer.response_id, Answer.question_id, Answer.value, Answer.text)
                 .where(Answer.question_id.in_(wanted)))
        ids = sorted(among) if among is not None else [r for r, _k in people]
        if len(ids) < 1000:
            query = query.where(Answer.response_id.in_(ids))
        for response_id, question_id, value, text in db.session.execute(query):
            if among is not None and response_id not in among:
                continue
            role = roles[question_id]
            if role in ("organisation_type", "respondent_type"):  # "Other" is described in the respondent's words
                value = text if value == "other" else options[question_id].get(value, value)
            facts[role][response_id] = value if role in ("consent", "organisation_type", "respondent_type") else text

    # Who may be quoted first: the rest is read only for them (a survey may ask no one, or few may agree).
    read(("consent",), None)
    consenting = {r for r, choice in facts["consent"].items() if CHOSEN.get(choice)}
    read(("respondent_name", "organisation_name", "organisation_type", "respondent_type"), consenting)
    return [attribution(CHOSEN[facts["consent"][r]], name=facts["respondent_name"].get(r),
                        organisation=facts["organisation_name"].get(r),
                        organisation_type=facts["organisation_type"].get(r),
                        respondent_type=facts["respondent_type"].get(r) if k == "other" else type_labels.get(k or ""))
            if r in consenting else None for r, k in people]


def _survey_questions(survey: Survey) -> list[Question]:
    return list(db.session.scalars(select(Question).join(SurveyVersion).where(SurveyVersion.survey_id == survey.id)))


def attribution_of(survey: Survey, response_ids: list[int]) -> dict[int, str | None]:
    """{response id: the words printed beside its author's quotes, None if they may not be quoted}: as the
    draft attributes quotes, for the responses published beside it."""
    people = db.session.execute(select(Response.id, Response.respondent_type).where(
        Response.survey_id == survey.id, Response.id.in_(response_ids))).all() if response_ids else []
    return dict(zip([r for r, _k in people], _attributions(survey, _survey_questions(survey), list(people))))


def _respondents(survey: Survey, questions: list[Question], demo_prefix: str) -> tuple[Respondents, list[int]]:
    type_question = next((q for q in survey.current_version.questions if q.role == "respondent_type"), None)
    type_labels = dict(kind_of(type_question).options(type_question)) if type_question else {}
    groups = respondent_groups(survey)
    people = db.session.connection().execute(
        select(Response.id, Response.reference, Response.respondent_type, Response.channel)
        .where(Response.survey_id == survey.id).order_by(Response.id)).all()
    ids, references, kinds, channels = zip(*people) if people else ((), (), (), ())
    quote_as = _attributions(survey, questions, list(zip(ids, kinds)))
    group_of = {k: groups.get(k or "", "others") for k in set(kinds)}
    label_of = {k: type_labels.get(k or "", k) for k in set(kinds)}
    demo = f"{demo_prefix}-"
    return Respondents(
        id=references, group=map(group_of.__getitem__, kinds), respondent_type=map(label_of.__getitem__, kinds),
        channel=channels, quote_as=quote_as, demo=[ref.startswith(demo) for ref in references]), list(ids)


def _answers(survey: Survey, questions: list[Question], reference_of: dict[int, str], names: dict[int, str],
             finals: dict[int, list[int]]) -> tuple[Answers, frozenset[str]]:
    """(Answers to codable questions, in answer order, each with its final codes as theme names and its final
    redacted text (consult.redaction: the machine's redactions as researchers left them); the ids of those no
    redaction job has read yet, whose text is as given: the draft has the machine redact what it prints of them.)"""
    key_of = {q.id: q.key for q in questions}
    found = db.session.connection().execute(
        select(Answer.id, Answer.response_id, Answer.question_id, Answer.text).where(
            Answer.question_id.in_([q.id for q in questions if kind_of(q).codable(q)]), Answer.text.is_not(None),
            Answer.text != "").order_by(Answer.id)).all()
    ids, responses, question_ids, texts = zip(*found) if found else ((), (), (), ())
    del found
    unread: set[int] = set()
    redacted = redacted_texts(list(zip(ids, texts)), survey.id, unread=unread)
    named: dict[tuple[int, ...], tuple[str, ...]] = {}  # a million answers share a few thousand code sets
    themes = []
    for a in ids:
        coded = tuple(finals.get(a, ()))
        these = named.get(coded)
        if these is None:
            these = named[coded] = tuple(names[t] for t in coded)
        themes.append(these)
    answers = Answers(id=map(str, ids), respondent_id=map(reference_of.__getitem__, responses),
                      question_key=map(key_of.__getitem__, question_ids), text=map(redacted.__getitem__, ids),
                      themes=themes)
    return answers, frozenset(map(str, unread))


def _principles(survey: Survey, ids_of: dict[str, list[int]]) -> list[ConsultedPrinciple]:
    groups = respondent_groups(survey)
    out = []
    for page in survey.current_version.pages:
        scale = next((q for q in page.questions if q.role == "principle"), None)
        why = next((q for q in page.questions if kind_of(q).codable(q)), None)
        if scale is None:
            continue
        tally: dict[tuple[str, str], int] = defaultdict(int)
        for (kind, value), n in option_counts(ids_of[scale.key], by_type=True).chosen.items():
            tally[(value, groups.get(kind or "", "others"))] += n
        out.append(ConsultedPrinciple(
            number=len(out) + 1, statement=_statement(page.title or scale.title), explanation=page.intro or "",
            agreement_key=scale.key, why_key=why.key if why else "",
            tally=tuple((value, group, n) for (value, group), n in sorted(tally.items()))))
    return out


def _vote_lookup(ids_of: dict[str, list[int]], reference_of: dict[int, str]) -> VoteLookup:
    response_of = {ref: rid for rid, ref in reference_of.items()}

    def lookup(key: str, references) -> dict[str, str]:
        chosen = chosen_option(ids_of.get(key, []), [response_of[r] for r in references if r in response_of])
        return {reference_of[rid]: value for rid, value in chosen.items()}

    return lookup


def _closed(survey: Survey, ids_of: dict[str, list[int]]) -> list[ClosedQuestion]:
    """Closed questions (other than the principles' scales) counted by option, as their workspace pages count."""
    out = []
    for q in survey.current_version.questions:
        kind = kind_of(q)
        if not kind.in_results(q) or q.role == "principle":
            continue
        counted = option_counts(ids_of[q.key])
        (_title, pairs), = kind.option_groups(q, counted.values())
        out.append(ClosedQuestion(key=q.key, title=q.title, kind=q.kind, options=tuple(pairs),
                                  counts=tuple(counted.chosen.get((ALL, value), 0) for value, _ in pairs),
                                  answered=sum(counted.answering.values()), single_valued=kind.single_valued(q)))
    return out


def load(survey: Survey, *, min_cell: int = 5, demo_prefix: str = "DEMO", with_campaigns: bool = True) -> Loaded:
    """Everything a draft is built from, as of now: respondents, coded answers, votes, codebook, coding facts
    and (unless `with_campaigns` is false: `survey_campaigns` gives them apart) campaigns."""
    questions = _survey_questions(survey)
    ids_of: dict[str, list[int]] = defaultdict(list)
    for q in questions:
        ids_of[q.key].append(q.id)
    respondents, response_ids = _respondents(survey, questions, demo_prefix)
    reference_of = dict(zip(response_ids, respondents.id))
    themes = {t.id: t for t in db.session.scalars(select(Theme).where(Theme.survey_id == survey.id))}
    decided = decided_final_coding(survey.id)
    finals = {a: c.theme_ids for a, c in decided.items()}
    answers, unread = _answers(survey, questions, reference_of, {t.id: t.name for t in themes.values()}, finals)
    codebook = tuple(ThemeEntry(name=t.name, parent=themes[t.parent_id].name if t.parent_id in themes else None,
                                description=t.description)
                     for t in sorted(themes.values(), key=lambda t: (t.position, t.name)) if t.merged_into_id is None)
    evidence = Evidence(
        survey_title=survey.title, survey_slug=survey.slug, generated_at=utcnow().isoformat(timespec="seconds") + "Z",
        closes_at=survey.closes_at.isoformat() + "Z", respondents=respondents, answers=answers,
        principles=tuple(_principles(survey, ids_of)), questions=tuple(_closed(survey, ids_of)),
        codebook=codebook, coding=coding_facts(survey, decided), min_cell=min_cell,
        demo=bool(len(respondents)) and all(respondents.demo), vote_lookup=_vote_lookup(ids_of, reference_of),
        redacted=True, unredacted=unread)
    return Loaded(evidence, survey_campaigns(survey, reference_of) if with_campaigns else [], reference_of)


def survey_campaigns(survey: Survey, reference_of: dict[int, str]) -> list[Campaign]:
    """The survey's campaigns (consult.campaigns) as the draft takes them: members named by reference."""
    return [Campaign(id=i, answer_ids=tuple(reference_of[m] for m in c.members),
                     representative_id=reference_of[c.representative], min_similarity=c.min_similarity)
            for i, c in enumerate(current_campaigns(survey), 1)]


def load_evidence(survey: Survey, *, min_cell: int = 5, demo_prefix: str = "DEMO") -> Evidence:
    return load(survey, min_cell=min_cell, demo_prefix=demo_prefix).evidence


def _statement(title: str) -> str:
    """'Principle 1: Think about the whole system' -> 'Think about the whole system'."""
    head, _, rest = title.partition(":")
    return rest.strip() if rest and head.lower().startswith("principle") else title

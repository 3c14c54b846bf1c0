"""Agreement between coders: loads each coder's code sets and hands them to analysis.reliability.

A coder's code set on an answer is every theme they applied to it, whole-answer or on a passage.
Only answers a coder has coded count for that coder; a figure between two coders rests on the answers
both coded. The machine's set is every code it suggested (whatever the person then decided).
Disagreements are answers whose person coders' sets differ; an adjudication settles the final set
(the rule lives in consult.coding.final). The agreement page and the draft's methods chapter print the same
figures (`figures`, `summary`).
"""
from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import func, select, union_all

from analysis.evidence import PER_CODE_MIN, AgreementRow
from consult.auth import services as audit
from consult.auth.models import User
from consult.coding.models import (
    Adjudication,
    AnswerReview,
    CodeAssignment,
    Coder,
    Theme,
)
from consult.extensions import db
from consult.responses.models import Answer, Response
from consult.surveys.models import Question, Survey
from consult.surveys.recount import kept_or_recounting, recounter

Codings = dict[str, dict[int, frozenset]]


@dataclass(frozen=True)
class PairRow:
    """A pair's figures, with whether it compares the machine with a person."""

    label_a: str
    label_b: str
    machine: bool
    figures: object  # analysis.reliability.PairAgreement


SHARED_CHUNK = 5000


def _decided_by_two(survey_id: int) -> list[int]:
    """The ids of the survey's answers that two or more person coders decided (with codes, or "no code
    applies"). Codes are found by their themes (each one of its answer's survey): no join with the answers."""
    decisions = union_all(
        select(CodeAssignment.answer_id, CodeAssignment.coder_id).join(Coder, Coder.id == CodeAssignment.coder_id)
        .join(Theme, Theme.id == CodeAssignment.theme_id)
        .where(Coder.kind == "person", CodeAssignment.status == "applied", Theme.survey_id == survey_id),
        select(AnswerReview.answer_id, AnswerReview.coder_id).join(Coder, Coder.id == AnswerReview.coder_id)
        .join(Answer, Answer.id == AnswerReview.answer_id).join(Response, Response.id == Answer.response_id)
        .where(Coder.kind == "person", Response.survey_id == survey_id)).subquery()
    return list(db.session.scalars(
        select(decisions.c.answer_id).group_by(decisions.c.answer_id)
        .having(func.min(decisions.c.coder_id) != func.max(decisions.c.coder_id))  # hashed, where DISTINCT sorts
        .order_by(decisions.c.answer_id)))


def load_codings(survey: Survey, question_key: str | None = None, *,
                 shared_only: bool = False) -> tuple[Codings, Codings]:
    """({person coder name: {answer id: theme ids}}, {machine name: ...}) for the survey's answers; with
    `shared_only`, the people's codings of the answers two or more of them decided (all that agreement among
    people rests on: a survey may have a million answers coded once) and no machine's."""
    codes = (select(Coder.name, Coder.kind, CodeAssignment.answer_id, CodeAssignment.theme_id, CodeAssignment.status)
             .join(Coder, Coder.id == CodeAssignment.coder_id))
    reviews = (select(Coder.name, AnswerReview.answer_id).join(Coder, Coder.id == AnswerReview.coder_id)
               .where(Coder.kind == "person"))
    if question_key:
        codes = (codes.join(Answer, Answer.id == CodeAssignment.answer_id)
                 .join(Question, Question.id == Answer.question_id).where(Question.key == question_key))
        reviews = (reviews.join(Answer, Answer.id == AnswerReview.answer_id)
                   .join(Question, Question.id == Answer.question_id).where(Question.key == question_key))
    if shared_only:
        shared = _decided_by_two(survey.id)
        chunks = [shared[start:start + SHARED_CHUNK] for start in range(0, len(shared), SHARED_CHUNK)]
        parts = [(codes.where(Coder.kind == "person", CodeAssignment.answer_id.in_(chunk)),
                  reviews.where(AnswerReview.answer_id.in_(chunk))) for chunk in chunks]
    else:
        def in_survey(query, column):
            if question_key is None:
                query = query.join(Answer, Answer.id == column)
            return query.join(Response, Response.id == Answer.response_id).where(Response.survey_id == survey.id)

        parts = [(in_survey(codes, CodeAssignment.answer_id), in_survey(reviews, AnswerReview.answer_id))]
    people: dict[str, dict[int, set]] = {}
    machines: dict[str, dict[int, set]] = {}
    for code_query, review_query in parts:
        for name, kind, answer_id, theme_id, status in db.session.execute(code_query):
            if kind == "person" and status == "applied":
                people.setdefault(name, {}).setdefault(answer_id, set()).add(theme_id)
            elif kind == "machine":
                machines.setdefault(name, {}).setdefault(answer_id, set()).add(theme_id)
        # An answer a person decided with no code counts as their empty set, not as uncoded.
        for name, answer_id in db.session.execute(review_query):
            people.setdefault(name, {}).setdefault(answer_id, set())

    def frozen(codings: dict[str, dict[int, set]]) -> Codings:
        return {name: {a: frozenset(t) for a, t in items.items()} for name, items in sorted(codings.items())}

    return frozen(people), frozen(machines)


def figures(survey: Survey, question_key: str | None = None):
    """(pair rows: people with people, then the machine with each person; overall alpha among people; theme names)."""
    return _figures(survey, *load_codings(survey, question_key))


def _figures(survey: Survey, people: Codings, machines: Codings):
    from analysis.reliability import PairAgreement, overall_alpha, pair_figures, pairwise

    themes = {t.id: t.name for t in db.session.scalars(select(Theme).where(Theme.survey_id == survey.id))}
    codes = sorted({t for coding in people.values() for s in coding.values() for t in s}, key=lambda t: themes.get(t, ""))
    rows = [PairRow(p.coder_a, p.coder_b, False, p) for p in pairwise(people, codes)]
    for machine_name, machine in machines.items():
        for person_name, person in people.items():
            n, kappa, alpha, per_code = pair_figures(machine, person, codes)
            rows.append(PairRow(machine_name, person_name, True,
                                PairAgreement(machine_name, person_name, n, kappa, alpha, per_code)))
    return rows, overall_alpha(people), themes


def kept_figures(survey: Survey, question_key: str | None = None):
    """`figures` and the number of disagreements awaiting adjudication, as the agreement page shows them: kept
    until the coding changes (consult.surveys.figure_cache), since on a large survey they take long to count."""
    return _unpack(_kept(survey, question_key))


def _kept(survey: Survey, question_key: str | None) -> dict:
    """The agreement figures and every disagreement (answer id, each coder's codes), kept: one reading of the
    codings for both."""
    from dataclasses import asdict

    from analysis.reliability import disagreements as differing
    from consult.surveys.figure_cache import cached

    def count() -> dict:
        people, machines = load_codings(survey, question_key)
        rows, overall, themes = _figures(survey, people, machines)
        found = differing(people)
        return {"rows": [{"label_a": r.label_a, "label_b": r.label_b, "machine": r.machine,
                          "figures": asdict(r.figures)} for r in rows],
                "overall": asdict(overall), "themes": {str(t): name for t, name in themes.items()},
                # Every disagreement, in answer id order: the ids, and each one's code sets as a JSON text read
                # only for the rows a page shows. Thousands of small lists and dicts, decoded on every visit,
                # had Python's full garbage collection run on every other visit (70 ms and more).
                "disagreement_ids": sorted(found),
                "disagreement_sets": [json.dumps({name: sorted(ids) for name, ids in found[a].items()})
                                      for a in sorted(found)]}

    return cached(survey.id, _kept_name(question_key), count)


def _kept_name(question_key: str | None) -> str:
    return f"agreement+disagreement_ids:{question_key or ''}"


def _settled(answer_ids: list[int]) -> dict[int, Adjudication]:
    settled: dict[int, Adjudication] = {}
    for start in range(0, len(answer_ids), 1000):
        settled.update((a.answer_id, a) for a in db.session.scalars(
            select(Adjudication).where(Adjudication.answer_id.in_(answer_ids[start:start + 1000]))))
    return settled


def _unpack(kept: dict):
    from analysis.reliability import CodeFigures, Figure, PairAgreement

    def pair(kept: dict) -> PairAgreement:
        return PairAgreement(kept["coder_a"], kept["coder_b"], kept["n"], Figure(**kept["kappa"]), Figure(**kept["alpha"]),
                             tuple(CodeFigures(c["code"], Figure(**c["kappa"]), Figure(**c["alpha"]))
                                   for c in kept["per_code"]))

    rows = [PairRow(r["label_a"], r["label_b"], r["machine"], pair(r["figures"])) for r in kept["rows"]]
    pending, _adjudicated = _pending_and_adjudicated(kept)
    return rows, Figure(**kept["overall"]), {int(t): name for t, name in kept["themes"].items()}, len(pending)


def _pending_and_adjudicated(kept: dict) -> tuple[list[int], list[int]]:
    """The kept disagreements' answer ids (in id order) not adjudicated and adjudicated, as adjudications stand
    now: the one count of disagreements to adjudicate, on the agreement page and the disagreements list."""
    ids = kept["disagreement_ids"]
    settled = _adjudicated_among(ids)
    return [a for a in ids if a not in settled], [a for a in ids if a in settled]


@recounter("agreement")
def recount_agreement(survey: Survey, progress, question: str | None = None) -> None:
    """The agreement page's figures and the disagreements, counted and kept by `kept_figures`."""
    progress(0.05, "Comparing every coder's codes")
    _kept(survey, question)


def agreement_page_figures(survey: Survey, question_key: str | None = None):
    """(`kept_figures` as last kept, or None when never counted; the recount): the page never waits for a
    count over a million answers, a job does (consult.surveys.recount)."""
    recount = kept_or_recounting(survey.id, "agreement", [(_kept_name(question_key), "")], {"question": question_key})
    kept = recount.values[0]
    return (None if kept is None else _unpack(kept)), recount


def _mean_kappa(figures: list) -> float | None:
    """Cohen's kappa over several pairs of coders: each pair's, weighted by the answers the pair shares."""
    defined = [(f.value, f.n) for f in figures if f.value is not None and f.n]
    weight = sum(n for _, n in defined)
    return sum(v * n for v, n in defined) / weight if weight else None


def summary(survey: Survey) -> list[AgreementRow]:
    """Agreement among the people who coded, for a report: over all codes (alpha with MASI across every coder,
    kappa averaged over the pairs), then Cohen's kappa on whether each code applies, for each code that the
    coders used on at least PER_CODE_MIN of the answers two or more of them coded. The machine is not a coder
    here."""
    from analysis.reliability import overall_alpha, pairwise

    people, _machines = load_codings(survey, shared_only=True)
    themes = dict(db.session.execute(select(Theme.id, Theme.name).where(Theme.survey_id == survey.id)).all())
    codes = sorted({t for coding in people.values() for s in coding.values() for t in s}, key=lambda t: themes.get(t, ""))
    pairs = pairwise(people, codes)
    overall = overall_alpha(people)
    rows = [AgreementRow("All codes", overall.value, _mean_kappa([p.kappa for p in pairs]), overall.n)]
    coders_of: dict[int, list[frozenset]] = {}
    for coding in people.values():
        for answer, codes_given in coding.items():
            coders_of.setdefault(answer, []).append(codes_given)
    shared = {a: sets for a, sets in coders_of.items() if len(sets) >= 2}
    for code in codes:
        used = sum(1 for sets in shared.values() if any(code in s for s in sets))
        if used < PER_CODE_MIN:
            continue
        kappa = _mean_kappa([f.kappa for p in pairs for f in p.per_code if f.code == code])
        rows.append(AgreementRow(themes.get(code, str(code)), None, kappa, used))
    return rows


def disagreements(survey: Survey, question_key: str | None = None, include_settled: bool = False) -> list[dict]:
    """Answers whose person coders disagree: [{answer, sets: {coder: theme ids}, adjudication}], pending first."""
    from analysis.reliability import disagreements as differing

    return _rows(list(differing(load_codings(survey, question_key)[0]).items()), include_settled)


@dataclass(frozen=True)
class ListedAnswer:
    """What the disagreements list shows of an answer: read as plain columns, where answers and responses
    loaded whole cost most of the page (500 of each)."""

    id: int
    response_id: int
    text: str | None
    reference: str  # its response's


def _rows(found: list, include_settled: bool) -> list[dict]:
    """The rows of the disagreements list, pending first, with their answers."""
    settled_ids = _adjudicated_among(answer_id for answer_id, _sets in found)
    if not include_settled:
        found = [(answer_id, sets) for answer_id, sets in found if answer_id not in settled_ids]
    return _with_answers(sorted(found, key=lambda row: (row[0] in settled_ids, row[0])), settled_ids)


def _with_answers(shown: list, settled_ids: set[int]) -> list[dict]:
    """[(answer id, code sets)] as the list's rows: each with its answer and adjudication, if any."""
    ids = [answer_id for answer_id, _sets in shown]
    settled = _settled([answer_id for answer_id in ids if answer_id in settled_ids])
    answers = {row.id: ListedAnswer(*row) for row in db.session.execute(
        select(Answer.id, Answer.response_id, Answer.text, Response.reference)
        .join(Response, Response.id == Answer.response_id).where(Answer.id.in_(ids)))} if ids else {}
    return [{"answer": answers[answer_id], "sets": sets, "adjudication": settled.get(answer_id)}
            for answer_id, sets in shown]


def _adjudicated_among(answer_ids) -> set[int]:
    """Which of these answers have an adjudication: adjudications are few (the disputed answers of double
    coding), so their ids are read whole rather than looked up thousands at a time."""
    return set(answer_ids) & set(db.session.scalars(select(Adjudication.answer_id)))


def disagreements_page(survey: Survey, question_key: str | None, include_settled: bool, limit: int = 500):
    """(the first `limit` of `disagreements` as last kept with the agreement figures, or None when never counted;
    how many there are; the recount). Adjudications are read as they stand now."""
    recount = kept_or_recounting(survey.id, "agreement", [(_kept_name(question_key), "")], {"question": question_key})
    kept = recount.values[0]
    if kept is None:
        return None, 0, recount
    pending, adjudicated = _pending_and_adjudicated(kept)
    listed = pending + adjudicated if include_settled else pending
    position = {answer_id: i for i, answer_id in enumerate(kept["disagreement_ids"])}
    shown = [(a, json.loads(kept["disagreement_sets"][position[a]])) for a in listed[:limit]]
    return _with_answers(shown, set(adjudicated)), len(listed), recount


def person_sets(answer: Answer) -> dict[str, frozenset]:
    """Each person's code set on one answer (for the adjudication page)."""
    sets: dict[str, set] = {}
    for name, theme_id in db.session.execute(
            select(Coder.name, CodeAssignment.theme_id).join(Coder, Coder.id == CodeAssignment.coder_id)
            .where(CodeAssignment.answer_id == answer.id, Coder.kind == "person", CodeAssignment.status == "applied")):
        sets.setdefault(name, set()).add(theme_id)
    return {name: frozenset(ids) for name, ids in sorted(sets.items())}


def adjudication_of(answer: Answer) -> Adjudication | None:
    return db.session.scalar(select(Adjudication).where(Adjudication.answer_id == answer.id))


def adjudicate(answer: Answer, theme_ids: list[int], user: User, note: str = "") -> Adjudication:
    """Record the final code set for an answer (replacing an earlier decision); it becomes the final coding."""
    current = set(db.session.scalars(select(Theme.id).where(Theme.survey_id == answer.response.survey_id,
                                                            Theme.merged_into_id.is_(None))))
    if set(theme_ids) - current:
        raise ValueError("Choose codes from this survey's current codebook")
    decision = db.session.scalar(select(Adjudication).where(Adjudication.answer_id == answer.id))
    if decision is None:
        decision = Adjudication(answer_id=answer.id)
        db.session.add(decision)
    decision.theme_ids = sorted(set(theme_ids))
    decision.decided_by = user.id
    decision.note = (note or "").strip()
    audit.record("codes.adjudicated", answer, {"answer_id": answer.id, "theme_ids": decision.theme_ids}, by=user)
    db.session.commit()
    return decision

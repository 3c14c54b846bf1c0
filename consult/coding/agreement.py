"""Agreement between coders: hands each coder's code sets (consult.coding.coder_sets) to analysis.reliability.

Disagreements are answers whose person coders' sets differ; an adjudication settles the final set
(the rule lives in consult.coding.final; the list and the adjudication in consult.coding.disagreements). The
agreement page and the draft's methods chapter print the same figures (`figures`, `summary`).
"""
from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import select

from analysis.evidence import PER_CODE_MIN, AgreementRow
from consult.coding.coder_sets import Codings, load_codings
from consult.coding.models import Adjudication, Theme
from consult.extensions import db
from consult.surveys.models import Survey
from consult.surveys.recount import kept_or_recounting, recounter

__all__ = ["Codings", "PairRow", "adjudicated_among", "agreement_page_figures", "figures", "kept_figures",
           "kept_name", "load_codings", "pending_and_adjudicated", "recount_agreement", "summary"]


@dataclass(frozen=True)
class PairRow:
    """A pair's figures, with whether it compares the machine with a person."""

    label_a: str
    label_b: str
    machine: bool
    figures: object  # analysis.reliability.PairAgreement


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

    return cached(survey.id, kept_name(question_key), count)


def kept_name(question_key: str | None) -> str:
    """The name the agreement figures and disagreements of one question (or of all) are kept under."""
    return f"agreement+disagreement_ids:{question_key or ''}"


def _unpack(kept: dict):
    from analysis.reliability import CodeFigures, Figure, PairAgreement

    def pair(kept: dict) -> PairAgreement:
        return PairAgreement(kept["coder_a"], kept["coder_b"], kept["n"], Figure(**kept["kappa"]), Figure(**kept["alpha"]),
                             tuple(CodeFigures(c["code"], Figure(**c["kappa"]), Figure(**c["alpha"]))
                                   for c in kept["per_code"]))

    rows = [PairRow(r["label_a"], r["label_b"], r["machine"], pair(r["figures"])) for r in kept["rows"]]
    pending, _adjudicated = pending_and_adjudicated(kept)
    return rows, Figure(**kept["overall"]), {int(t): name for t, name in kept["themes"].items()}, len(pending)


def pending_and_adjudicated(kept: dict) -> tuple[list[int], list[int]]:
    """The kept disagreements' answer ids (in id order) not adjudicated and adjudicated, as adjudications stand
    now: the one count of disagreements to adjudicate, on the agreement page and the disagreements list."""
    ids = kept["disagreement_ids"]
    settled = adjudicated_among(ids)
    return [a for a in ids if a not in settled], [a for a in ids if a in settled]


@recounter("agreement")
def recount_agreement(survey: Survey, progress, question: str | None = None) -> None:
    """The agreement page's figures and the disagreements, counted and kept by `kept_figures`."""
    progress(0.05, "Comparing every coder's codes")
    _kept(survey, question)


def agreement_page_figures(survey: Survey, question_key: str | None = None):
    """(`kept_figures` as last kept, or None when never counted; the recount): the page never waits for a
    count over a million answers, a job does (consult.surveys.recount)."""
    recount = kept_or_recounting(survey.id, "agreement", [(kept_name(question_key), "")], {"question": question_key})
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


def adjudicated_among(answer_ids) -> set[int]:
    """Which of these answers have an adjudication: adjudications are few (the disputed answers of double
    coding), so their ids are read whole rather than looked up thousands at a time."""
    return set(answer_ids) & set(db.session.scalars(select(Adjudication.answer_id)))

"""The coding a draft is built from, read in one pass over the survey's code rows: each answer's final codes
(the rule in consult.responses.exporting.settle), the coding facts for the methodology, and the agreement
between coders (analysis.reliability, on the answers that two or more coders coded: the only ones any
agreement figure rests on).
"""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from itertools import chain, combinations

import numpy as np
from sqlalchemy import BigInteger, case, cast, func, select

from analysis.arrays import sorted_distinct
from analysis.evidence import CodingFacts
from consult.coding.models import Adjudication, AnswerReview, CodeAssignment, Coder, SampleItem
from consult.extensions import db
from consult.principles.fetch import rows
from consult.responses.exporting import _current, _successors, settle
from consult.responses.models import Answer

STATUS = ("applied", "suggested", "accepted", "rejected")


@dataclass(frozen=True)
class Finals:
    """The answers whose final coding is not empty: `answers` (sorted ids) and, for each, the index of its
    set of theme ids in `combos` (many answers share one set)."""

    answers: np.ndarray
    combo: np.ndarray
    combos: list[tuple[int, ...]]

    def __len__(self) -> int:
        return len(self.answers)


def _codes(theme_ids: list[int], max_coder: int) -> np.ndarray:
    """(answer, coder, theme, status index in STATUS) of every code in the survey, one row each. A code's
    theme is always one of its survey's (coding checks it), so the themes select the survey's codes; a full
    scan beats 100,000s of index lookups here, hence `+ 0`, which keeps SQLite from using the theme index.
    Where the ids fit, each row comes back as one number holding all four (bit fields): most of reading
    300,000 rows is making Python objects of their values, so one value a row takes 3/4 of the time."""
    if not theme_ids:
        return np.empty((0, 4), dtype=np.int64)
    status = case(*((CodeAssignment.status == name, i) for i, name in enumerate(STATUS)), else_=len(STATUS))
    of_survey = (CodeAssignment.theme_id + 0).in_(theme_ids)
    widths = _field_widths(max(theme_ids), max_coder)
    if widths is None:
        found = rows(select(CodeAssignment.answer_id, CodeAssignment.coder_id, CodeAssignment.theme_id, status)
                     .where(of_survey))
        return np.fromiter(chain.from_iterable(found), dtype=np.int64, count=4 * len(found)).reshape(-1, 4)
    shifts = np.cumsum((0,) + widths[:0:-1])[::-1]  # answer, coder, theme, status: status in the lowest bits
    fields = (CodeAssignment.answer_id, CodeAssignment.coder_id, CodeAssignment.theme_id, status)
    packed = sum(cast(column, BigInteger) * (1 << int(shift)) if shift else column  # PostgreSQL: 64-bit sums
                 for column, shift in zip(fields, shifts))
    found = rows(select(packed).where(of_survey))
    values = np.fromiter(chain.from_iterable(found), dtype=np.int64, count=len(found))
    return np.stack([(values >> int(shift)) & ((1 << width) - 1) for shift, width in zip(shifts, widths)], axis=1)


def _field_widths(max_theme: int, max_coder: int) -> tuple[int, int, int, int] | None:
    """Bits for (answer, coder, theme, status) in one signed 64-bit number, or None if the ids cannot fit."""
    max_answer = db.session.scalar(select(func.max(CodeAssignment.answer_id))) or 0
    widths = (max_answer.bit_length(), max(max_coder, 1).bit_length(), max(max_theme, 1).bit_length(),
              len(STATUS).bit_length())
    return widths if sum(widths) <= 63 else None


def load_coding(question_ids: list[int], theme_ids: list[int]) -> tuple[Finals, CodingFacts]:
    """(the answers' non-empty final codings, coding facts)."""
    coders = {cid: (name, kind) for cid, name, kind in rows(select(Coder.id, Coder.name, Coder.kind))}
    answer, coder, theme, status = _codes(theme_ids, max(coders, default=0)).T
    # Reviews, adjudications and samples are few: look their answers up one by one rather than walk every
    # answer of the survey (each `+ 0` keeps SQLite from starting at the answers' side).
    of_survey = (Answer.question_id + 0).in_(question_ids)
    reviews = rows(select(AnswerReview.answer_id, AnswerReview.coder_id).join(Coder, Coder.id == AnswerReview.coder_id)
                   .join(Answer, Answer.id == AnswerReview.answer_id).where(Coder.kind == "person", of_survey))
    adjudicated = {a: json.loads(t) if isinstance(t, str) else t for a, t in rows(  # SQLite gives JSON as text
        select(Adjudication.answer_id, Adjudication.theme_ids).join(Answer, Answer.id == Adjudication.answer_id + 0)
        .where(of_survey))}
    double = db.session.scalar(select(func.count(func.distinct(SampleItem.answer_id)))
                               .join(Answer, Answer.id == SampleItem.answer_id).where(of_survey))
    kind = np.full(max(coders, default=0) + 1, "", dtype=object)
    for c, (_, k) in coders.items():
        kind[c] = k
    is_person, machine = kind[coder] == "person", kind[coder] == "machine"
    applied = is_person & (status == STATUS.index("applied"))
    finals = _finals(answer[applied], coder[applied], theme[applied], reviews, adjudicated)
    by_status = np.bincount(status[machine], minlength=len(STATUS) + 1)
    facts = CodingFacts(
        coders=len(sorted_distinct(coder[is_person])), coded_answers=len(finals), double_coded=double or 0,
        agreement=tuple(_agreement(coders, answer, coder, theme, applied, machine, reviews)),
        machine_suggested=int(machine.sum()), machine_accepted=int(by_status[STATUS.index("accepted")]),
        machine_rejected=int(by_status[STATUS.index("rejected")]))
    return finals, facts


def _finals(answer: np.ndarray, coder: np.ndarray, theme: np.ndarray, reviews: list[tuple[int, int]],
            adjudicated: dict[int, list[int]]) -> Finals:
    """Non-empty final codings. An answer that one person decided (and nobody adjudicated) keeps that
    person's codes, counted here in bulk; every other answer goes through `settle`, the one rule."""
    successors = _successors()
    moved = {t: _current(t, successors) for t in successors}
    decided = sorted_distinct(np.concatenate([answer * 2**31 + coder,
                                              np.array([a * 2**31 + c for a, c in reviews], dtype=np.int64)]))
    decided_answer = decided // 2**31
    several = decided_answer[1:][decided_answer[1:] == decided_answer[:-1]]
    shared = set(several.tolist()) | set(adjudicated)
    alone = ~np.isin(answer, np.fromiter(shared, dtype=np.int64, count=len(shared)))
    current = theme
    if moved:
        current = np.fromiter((moved.get(t, t) for t in theme.tolist()), dtype=np.int64, count=len(theme))
    pairs = sorted_distinct(answer[alone] * 2**31 + current[alone])  # by answer, then theme: each set sorted
    answers = pairs // 2**31
    starts = np.flatnonzero(np.r_[True, answers[1:] != answers[:-1]]) if len(answers) else answers
    combo, combos = _combinations(starts, pairs % 2**31)
    answers = answers[starts]
    settled = {a: tuple(c.theme_ids) for a, c in settle(sorted(shared), _by_coder(answer, coder, theme, reviews, shared),
                                                         adjudicated).items() if c.theme_ids}
    if settled:
        index = {c: i for i, c in enumerate(combos)}
        extra = [index.setdefault(ids, len(index)) for ids in settled.values()]
        combos = list(index)
        answers = np.concatenate([answers, np.fromiter(settled, dtype=np.int64, count=len(settled))])
        combo = np.concatenate([combo, np.array(extra, dtype=np.int64)])
        order = np.argsort(answers, kind="stable")
        answers, combo = answers[order], combo[order]
    return Finals(answers, combo, combos)


def _combinations(starts: np.ndarray, themes: np.ndarray) -> tuple[np.ndarray, list[tuple[int, ...]]]:
    """(index of each set, the distinct sets) for sets of sorted theme ids laid end to end from `starts`."""
    if not len(starts):
        return np.empty(0, dtype=np.int64), []
    lengths = np.diff(np.r_[starts, len(themes)])
    local, code = np.unique(themes, return_inverse=True)
    base = len(local) + 1
    if base ** int(lengths.max()) < 2**62:  # each set as one exact number: digits are its themes
        digit = (code + 1) * base ** (np.arange(len(themes)) - np.repeat(starts, lengths))
        _, first, inverse = np.unique(np.add.reduceat(digit, starts), return_index=True, return_inverse=True)
    else:
        index: dict[tuple[int, ...], int] = {}
        found, firsts = [], []
        for i, (s, n) in enumerate(zip(starts.tolist(), lengths.tolist())):
            key = tuple(themes[s:s + n].tolist())
            if key not in index:
                index[key] = len(index)
                firsts.append(i)
            found.append(index[key])
        inverse, first = np.array(found, dtype=np.int64), np.array(firsts, dtype=np.int64)
    return inverse.ravel(), [tuple(themes[starts[f]:starts[f] + lengths[f]].tolist()) for f in first.tolist()]


def _by_coder(answer: np.ndarray, coder: np.ndarray, theme: np.ndarray, reviews: list[tuple[int, int]],
              shared: set[int]) -> dict[int, dict[int, set[int]]]:
    """Each coder's codes on the answers settle decides (raw theme ids: settle follows merges)."""
    keep = np.isin(answer, np.fromiter(shared, dtype=np.int64, count=len(shared)))
    by_coder: dict[int, dict[int, set[int]]] = {}
    for a, c, t in zip(answer[keep].tolist(), coder[keep].tolist(), theme[keep].tolist()):
        by_coder.setdefault(a, {}).setdefault(c, set()).add(t)
    for a, c in reviews:
        if a in shared:
            by_coder.setdefault(a, {}).setdefault(c, set())
    return by_coder


def _agreement(coders: dict[int, tuple[str, str]], answer: np.ndarray, coder: np.ndarray, theme: np.ndarray,
               applied: np.ndarray, machine: np.ndarray,
               reviews: list[tuple[int, int]]) -> list[tuple[str, float | None, int]]:
    """As consult.coding.agreement.figures, summarised for the methodology: overall alpha among people, then
    kappa and alpha for each pair of people and for the machine with each person (on answers both coded).
    Coders are told apart by name, as there."""
    from analysis.reliability import overall_alpha, pair_figures

    names = sorted({coders[c][0] for c in coder[applied | machine].tolist()} | {coders[c][0] for _, c in reviews})
    number = {n: i for i, n in enumerate(names)}
    name_of = np.full(int(max(coders, default=0)) + 1, -1, dtype=np.int64)
    for c, (n, _) in coders.items():
        name_of[c] = number.get(n, -1)
    counted = applied | machine
    review_answer = np.array([a for a, _ in reviews], dtype=np.int64)
    review_name = name_of[np.array([c for _, c in reviews], dtype=np.int64)] if reviews else review_answer
    decided = sorted_distinct(np.concatenate([answer[counted] * 2**20 + name_of[coder[counted]],
                                              review_answer * 2**20 + review_name]))
    by_answer, coder_count = np.unique(decided // 2**20, return_counts=True)
    shared = by_answer[coder_count > 1]  # every pair's common answers are among these

    shared_set = set(shared.tolist())

    def codings(rows: np.ndarray, with_reviews: bool) -> dict[str, dict[int, frozenset]]:
        found: dict[str, dict[int, set[int]]] = defaultdict(dict)
        keep = rows & np.isin(answer, shared)
        for a, c, t in zip(answer[keep].tolist(), coder[keep].tolist(), theme[keep].tolist()):
            found[coders[c][0]].setdefault(a, set()).add(t)
        for a, c in reviews if with_reviews else ():
            if a in shared_set:
                found[coders[c][0]].setdefault(a, set())
        return {n: {a: frozenset(s) for a, s in found[n].items()} for n in found}

    people_names = sorted({coders[c][0] for c in coder[applied].tolist()} | {coders[c][0] for _, c in reviews})
    machine_names = sorted({coders[c][0] for c in coder[machine].tolist()})
    people = {n: {} for n in people_names} | codings(applied, True)
    machines = {n: {} for n in machine_names} | codings(machine, False)
    people = {n: people[n] for n in people_names}
    overall = overall_alpha(people)
    summary = [("Krippendorff's alpha (MASI), all coders", overall.value, overall.n)]
    pairs = [(a, people[a], b, people[b]) for a, b in combinations(people_names, 2)]
    pairs += [(m, machines[m], p, people[p]) for m in machine_names for p in people_names]
    for a, coding_a, b, coding_b in pairs:
        n, kappa, alpha, _ = pair_figures(coding_a, coding_b, ())
        summary.append((f"Cohen's kappa, {a} and {b}", kappa.value, n))
        summary.append((f"Krippendorff's alpha (MASI), {a} and {b}", alpha.value, n))
    return summary

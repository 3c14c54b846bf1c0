"""Inter-coder reliability: Cohen's kappa and Krippendorff's alpha between every pair of coders.

Plain data in: {coder: {item: frozenset(codes)}}, where a coder's dict holds only the items that
coder has coded. Plain data out: frozen dataclasses. Every figure carries the number of items it
rests on (n = items both coders coded), and `None` with a reason when it is undefined:
fewer than 2 common items, or a single category everywhere (chance agreement is then 1 and
kappa is 0/0; NLTK would report a misleading 1.0).

- Overall kappa treats each answer's whole code set as one category (exact match).
- Overall alpha uses the MASI distance between code sets, so partial overlap counts partly.
- Per code: a binary task (code present / absent) on the pair's common items, with kappa and
  (nominal) alpha.
An empty code set is labelled "<no code>" (MASI is undefined between two empty sets).
"""
from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from itertools import combinations

Codes = frozenset
Codings = Mapping[Hashable, Mapping[Hashable, frozenset]]
NO_CODE = "<no code>"
MIN_ITEMS = 2


@dataclass(frozen=True)
class Figure:
    """One coefficient: `value` is None when undefined, and `reason` says why."""

    value: float | None
    n: int
    reason: str | None = None


@dataclass(frozen=True)
class CodeFigures:
    code: Hashable
    kappa: Figure
    alpha: Figure


@dataclass(frozen=True)
class PairAgreement:
    coder_a: Hashable
    coder_b: Hashable
    n: int
    kappa: Figure
    alpha: Figure
    per_code: tuple[CodeFigures, ...] = field(default=())


def _too_few(n: int) -> str | None:
    if n < MIN_ITEMS:
        return f"fewer than {MIN_ITEMS} answers coded by both ({n})"
    return None


def _single_category(labels: Iterable) -> str | None:
    if len(set(labels)) < 2:
        return "undefined: only one category was used, so agreement by chance is certain"
    return None


def _task(rows: list[tuple[str, str, object]], distance=None):
    from nltk.metrics.agreement import AnnotationTask

    if distance is None:
        return AnnotationTask(data=rows)
    return AnnotationTask(data=rows, distance=distance)


def _set_label(codes: frozenset) -> frozenset:
    return frozenset(codes) if codes else frozenset({NO_CODE})


def pair_figures(a: Mapping[Hashable, frozenset], b: Mapping[Hashable, frozenset],
                 codes: Iterable[Hashable] | None = None) -> tuple[int, Figure, Figure, tuple[CodeFigures, ...]]:
    """(n, overall kappa, overall alpha (MASI), per-code figures) for two coders' codings."""
    from nltk.metrics.distance import masi_distance

    common = sorted(set(a) & set(b), key=str)
    n = len(common)
    if codes is None:
        codes = sorted({c for item in common for c in a[item] | b[item]}, key=str)
    codes = list(codes)
    few = _too_few(n)
    if few:
        none = Figure(None, n, few)
        return n, none, none, tuple(CodeFigures(code, none, none) for code in codes)

    set_rows = [(coder, str(item), _set_label(coding[item])) for item in common
                for coder, coding in (("a", a), ("b", b))]
    single = _single_category(row[2] for row in set_rows)
    if single:
        kappa = alpha = Figure(None, n, single)
    else:
        kappa = Figure(_task(set_rows).kappa_pairwise("a", "b"), n)
        alpha = Figure(_task(set_rows, masi_distance).alpha(), n)

    per_code = []
    for code in codes:
        rows = [(coder, str(item), code in coding[item]) for item in common
                for coder, coding in (("a", a), ("b", b))]
        single = _single_category(row[2] for row in rows)
        if single:
            per_code.append(CodeFigures(code, Figure(None, n, single), Figure(None, n, single)))
            continue
        task = _task(rows)
        per_code.append(CodeFigures(code, Figure(task.kappa_pairwise("a", "b"), n), Figure(task.alpha(), n)))
    return n, kappa, alpha, tuple(per_code)


def pairwise(codings: Codings, codes: Iterable[Hashable] | None = None) -> list[PairAgreement]:
    """Agreement between every pair of coders, in the order the coders are given."""
    codes = list(codes) if codes is not None else None
    out = []
    for coder_a, coder_b in combinations(list(codings), 2):
        n, kappa, alpha, per_code = pair_figures(codings[coder_a], codings[coder_b], codes)
        out.append(PairAgreement(coder_a, coder_b, n, kappa, alpha, per_code))
    return out


def overall_alpha(codings: Codings) -> Figure:
    """Krippendorff's alpha (MASI) across all coders at once, on items coded by at least two of them.

    Alpha allows missing values, so each item counts with however many coders coded it.
    """
    from nltk.metrics.distance import masi_distance

    counts: dict[Hashable, int] = {}
    for coding in codings.values():
        for item in coding:
            counts[item] = counts.get(item, 0) + 1
    shared = {item for item, count in counts.items() if count >= 2}
    n = len(shared)
    few = _too_few(n)
    if few:
        return Figure(None, n, few.replace("by both", "by two or more coders"))
    rows = [(str(coder), str(item), _set_label(codes)) for coder, coding in codings.items()
            for item, codes in coding.items() if item in shared]
    single = _single_category(row[2] for row in rows)
    if single:
        return Figure(None, n, single)
    return Figure(_task(rows, masi_distance).alpha(), n)


def disagreements(codings: Codings) -> dict[Hashable, dict[Hashable, frozenset]]:
    """Items coded by two or more coders whose code sets differ: {item: {coder: codes}}."""
    by_item: dict[Hashable, dict[Hashable, frozenset]] = {}
    for coder, coding in codings.items():
        for item, codes in coding.items():
            by_item.setdefault(item, {})[coder] = frozenset(codes)
    return {item: sets for item, sets in by_item.items()
            if len(sets) >= 2 and len(set(sets.values())) > 1}

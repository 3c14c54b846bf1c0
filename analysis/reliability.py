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

import math
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
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


def _chance_corrected(observed: float, expected: float) -> float:
    if math.isclose(expected, 1.0):
        if math.isclose(observed, 1.0):
            return 1.0
        raise ValueError(f"expected agreement is 1.0 but observed agreement is {observed:.4f}")
    return (observed - expected) / (1.0 - expected)


def _kappa(rows: list[tuple[str, str, object]], coder_a: str = "a", coder_b: str = "b") -> float:
    """Cohen's kappa between two coders who labelled every item (labels equal or not), as NLTK's
    AnnotationTask(rows).kappa_pairwise(coder_a, coder_b) gives it."""
    items: set[str] = set()
    tally: dict[object, dict[str, int]] = {}  # label -> coder -> rows, labels in order of first appearance
    labels: dict[tuple[str, str], object] = {}
    for coder, item, label in rows:
        items.add(item)
        by_coder = tally.setdefault(label, {})
        by_coder[coder] = by_coder.get(coder, 0) + 1
        labels[(coder, item)] = label
    n = float(len(items))
    expected = 0.0
    for by_coder in tally.values():
        expected += (by_coder.get(coder_a, 0) / n) * (by_coder.get(coder_b, 0) / n)
    same = sum(1 for item in items if labels[(coder_a, item)] == labels[(coder_b, item)])
    return _chance_corrected(float(same) / len(items), expected)


LOOPED_LABELS = 64  # more distinct code sets than this: their MASI distances are worked out as arrays


def _disagreement(counts: Sequence[tuple[object, int]], distance: Callable) -> float:
    """NLTK's AnnotationTask.Disagreement: sum over ordered pairs of labels of n_j * n_l * distance, over
    total * (total - 1). Worked out by counting for the binary distance, with arrays for the MASI distance over
    many distinct code sets (a whole survey's can hold thousands: millions of pairs), else pair by pair as NLTK
    does. The arrays sum in another order, so the last digits of a figure may differ from NLTK's."""
    from nltk.metrics.distance import binary_distance, masi_distance

    total = sum(n for _, n in counts)
    if distance is binary_distance:
        pairs = float(total * total - sum(n * n for _, n in counts))
    elif distance is masi_distance and len(counts) > LOOPED_LABELS:
        pairs = _masi_pairs(counts)
    else:
        pairs = 0.0
        for j, nj in counts:
            for label, nl in counts:
                pairs += float(nj * nl) * distance(label, j)
    return 1.0 * pairs / (total * (total - 1))


def _masi_pairs(counts: Sequence[tuple[frozenset, int]], block: int = 512) -> float:
    """sum of n_j * n_l * masi_distance(l, j) over ordered pairs of these (non-empty) code sets."""
    import numpy as np

    index: dict[Hashable, int] = {}
    for label, _n in counts:
        for code in label:
            index.setdefault(code, len(index))
    member = np.zeros((len(counts), len(index)), dtype=np.int32)
    for row, (label, _n) in enumerate(counts):
        member[row, [index[code] for code in label]] = 1
    sizes = member.sum(axis=1)
    weights = np.array([n for _, n in counts], dtype=np.float64)
    pairs = 0.0
    for start in range(0, len(counts), block):
        inter = member[start:start + block] @ member.T
        mine, theirs = sizes[start:start + block, None], sizes[None, :]
        m = np.where((mine == theirs) & (inter == mine), 1.0,
                     np.where(inter == np.minimum(mine, theirs), 2 / 3, np.where(inter > 0, 1 / 3, 0.0)))
        distance = 1 - inter / (mine + theirs - inter) * m
        pairs += float((np.outer(weights[start:start + block], weights) * distance).sum())
    return pairs


def _alpha(rows: list[tuple[str, str, object]], distance: Callable | None = None) -> float:
    """Krippendorff's alpha, as NLTK's AnnotationTask(rows, distance).alpha() gives it (binary distance by
    default): the same sums in the same order, so the same figure, but each item's disagreement counted once
    per distinct set of labels. AnnotationTask regroups and recounts every row for each coefficient, which
    took minutes at 20,000 double-coded answers."""
    if distance is None:
        from nltk.metrics.distance import binary_distance as distance
    by_item: dict[str, list[object]] = {}
    coders: set[str] = set()
    for coder, item, label in rows:
        by_item.setdefault(item, []).append(label)
        coders.add(coder)
    if not by_item:
        raise ValueError("Cannot calculate alpha, no data present!")
    if len({label for _c, _i, label in rows}) == 1:
        return 1
    if len(coders) == 1 and len(by_item) == 1:
        raise ValueError("Cannot calculate alpha, only one coder and item present!")
    every: dict[object, int] = {}
    known: dict[tuple, float] = {}
    observed = 0.0
    for item in sorted(by_item):
        counts: dict[object, int] = {}
        for label in by_item[item]:
            counts[label] = counts.get(label, 0) + 1
        size = len(by_item[item])
        if size < 2:
            continue
        for label, n in counts.items():
            every[label] = every.get(label, 0) + n
        key = tuple(counts.items())
        if key not in known:
            known[key] = _disagreement(key, distance)
        observed += known[key] * size
    if len(every) == 1:
        return 1
    return 1.0 - (observed / sum(every.values())) / _expected_disagreement(tuple(every.items()), distance)


@lru_cache(maxsize=2)
def _expected_disagreement(counts: tuple[tuple[object, int], ...], distance: Callable) -> float:
    """Kept for the next call: between two coders, the pair's alpha and the overall alpha share it."""
    return _disagreement(counts, distance)


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
        kappa = Figure(_kappa(set_rows), n)
        alpha = Figure(_alpha(set_rows, masi_distance), n)

    per_code = []
    for code, (both, only_a, only_b) in zip(codes, _code_tables(a, b, common, codes)):
        neither = n - both - only_a - only_b
        single = _single_category([True] * (both + only_a + only_b > 0) + [False] * (neither + only_a + only_b > 0))
        if single:
            per_code.append(CodeFigures(code, Figure(None, n, single), Figure(None, n, single)))
            continue
        kappa_code, alpha_code = _binary_figures(both, only_a, only_b, neither)
        per_code.append(CodeFigures(code, Figure(kappa_code, n), Figure(alpha_code, n)))
    return n, kappa, alpha, tuple(per_code)


def _code_tables(a: Mapping[Hashable, frozenset], b: Mapping[Hashable, frozenset], common: list,
                 codes: list) -> list[tuple[int, int, int]]:
    """For each code, on the common items: (both coders used it, only a did, only b did)."""
    import numpy as np

    column = {code: j for j, code in enumerate(codes)}
    used = np.zeros((2, len(common), len(codes)), dtype=bool)
    for side, coding in enumerate((a, b)):
        for i, item in enumerate(common):
            used[side, i, [column[c] for c in coding[item] if c in column]] = True
    both = (used[0] & used[1]).sum(axis=0).tolist()
    only_a = (used[0] & ~used[1]).sum(axis=0).tolist()
    only_b = (used[1] & ~used[0]).sum(axis=0).tolist()
    return list(zip(both, only_a, only_b))


def _binary_figures(both: int, only_a: int, only_b: int, neither: int) -> tuple[float, float]:
    """(Cohen's kappa, Krippendorff's alpha) on whether a code applies, from the pair's 2 x 2 table: the figures
    _kappa and _alpha give on the rows (every sum here is of whole numbers, so exactly the same)."""
    n = both + only_a + only_b + neither
    yes_a, yes_b = both + only_a, both + only_b
    expected = 0.0 + (yes_a / n) * (yes_b / n) + ((n - yes_a) / n) * ((n - yes_b) / n)
    kappa = _chance_corrected(float(both + neither) / n, expected)
    total, yes = 2 * n, yes_a + yes_b
    observed = 2.0 * (only_a + only_b)
    expected_disagreement = float(total * total - yes * yes - (total - yes) ** 2) / (total * (total - 1))
    return kappa, 1.0 - (observed / total) / expected_disagreement


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
    return Figure(_alpha(rows, masi_distance), n)


def disagreements(codings: Codings) -> dict[Hashable, dict[Hashable, frozenset]]:
    """Items coded by two or more coders whose code sets differ: {item: {coder: codes}}."""
    by_item: dict[Hashable, dict[Hashable, frozenset]] = {}
    for coder, coding in codings.items():
        for item, codes in coding.items():
            by_item.setdefault(item, {})[coder] = frozenset(codes)
    return {item: sets for item, sets in by_item.items()
            if len(sets) >= 2 and len(set(sets.values())) > 1}

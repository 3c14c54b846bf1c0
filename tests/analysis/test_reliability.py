"""Agreement figures checked against a worked example computed by hand.

Two coders, P and Q, code four answers with codes x and y:

    answer   P        Q
    1        {x}      {x}
    2        {x, y}   {x}
    3        {y}      {y}
    4        {y}      {x}

Code x (present/absent): P = T T F F, Q = T T F T. Agree on 1, 2, 3: Ao = 3/4.
  P says T half the time, Q 3/4: Ae = 1/2*3/4 + 1/2*1/4 = 1/2.  kappa = (3/4 - 1/2) / (1 - 1/2) = 0.5.
  Alpha (nominal): 8 values, 5 T and 3 F. Do = 2 (one disagreeing item, both orders) / 8 = 1/4;
  De = 2*5*3 / (8*7) = 30/56.  alpha = 1 - (1/4)/(30/56) = 1 - 56/120 = 8/15 = 0.5333.
Code y: P = F T T T, Q = F F T F. Agree on 1, 3: Ao = 1/2.
  Ae = 3/4*1/4 + 1/4*3/4 = 3/8.  kappa = (1/2 - 3/8) / (5/8) = 0.2.
Overall kappa, each whole code set a category: agree on 1 and 3, Ao = 1/2.
  {x}: P 1/4, Q 3/4; {y}: P 2/4, Q 1/4; {x,y}: P 1/4, Q 0.  Ae = 3/16 + 2/16 + 0 = 5/16.
  kappa = (1/2 - 5/16) / (11/16) = 3/11 = 0.2727.
Overall alpha with MASI distance (Passonneau's m = 2/3 when one set contains the other):
  d({x,y}, {x}) = 1 - (1/2)(2/3) = 2/3;  d({y}, {x}) = 1 (disjoint).
  Do = (2*2/3 + 2*1) / 8 values = (10/3)/8 = 5/12.
  Values: {x} 4 times, {x,y} once, {y} 3 times.
  De = 2*(4*1*2/3 + 4*3*1 + 1*3*2/3) / (8*7) = 2*(50/3)/56 = 25/42.
  alpha = 1 - (5/12)/(25/42) = 1 - 210/300 = 0.3.
"""
from __future__ import annotations

import random

import pytest

from analysis.reliability import disagreements, overall_alpha, pair_figures, pairwise

X, Y = "x", "y"
P = {1: frozenset({X}), 2: frozenset({X, Y}), 3: frozenset({Y}), 4: frozenset({Y})}
Q = {1: frozenset({X}), 2: frozenset({X}), 3: frozenset({Y}), 4: frozenset({X})}


def test_pair_matches_the_hand_worked_example():
    n, kappa, alpha, per_code = pair_figures(P, Q)
    assert n == 4
    assert kappa.value == pytest.approx(3 / 11)
    assert alpha.value == pytest.approx(0.3)
    by_code = {figures.code: figures for figures in per_code}
    assert by_code[X].kappa.value == pytest.approx(0.5)
    assert by_code[X].alpha.value == pytest.approx(8 / 15)
    assert by_code[Y].kappa.value == pytest.approx(0.2)
    assert all(f.kappa.n == 4 for f in per_code)


def test_every_pair_with_its_own_count_of_common_answers():
    machine = {2: frozenset({X}), 3: frozenset({Y}), 9: frozenset({X})}
    pairs = pairwise({"P": P, "Q": Q, "machine": machine})
    assert [(p.coder_a, p.coder_b, p.n) for p in pairs] == [("P", "Q", 4), ("P", "machine", 2), ("Q", "machine", 2)]
    # Q and the machine agree exactly on their two common answers, each of a different category.
    assert pairs[2].kappa.value == pytest.approx(1.0)


def test_degenerate_cases_give_none_with_a_reason():
    n, kappa, alpha, per_code = pair_figures({1: frozenset({X})}, {1: frozenset({X}), 2: frozenset({Y})})
    assert n == 1 and kappa.value is None and "fewer than 2" in kappa.reason
    assert alpha.value is None and per_code[0].kappa.value is None

    same = {1: frozenset({X}), 2: frozenset({X}), 3: frozenset({X})}
    n, kappa, alpha, per_code = pair_figures(same, dict(same))
    assert n == 3 and kappa.value is None and "only one category" in kappa.reason
    assert alpha.value is None and per_code[0].kappa.value is None


def test_empty_code_sets_count_as_a_category():
    a = {1: frozenset(), 2: frozenset({X}), 3: frozenset()}
    b = {1: frozenset(), 2: frozenset({X}), 3: frozenset({X})}
    n, kappa, _alpha, _ = pair_figures(a, b)
    # Ao = 2/3; a: none 2/3, x 1/3; b: none 1/3, x 2/3; Ae = 2/9 + 2/9 = 4/9; kappa = (2/9)/(5/9) = 0.4.
    assert n == 3 and kappa.value == pytest.approx(0.4)


def test_overall_alpha_across_all_coders_and_disagreements():
    assert overall_alpha({"P": P, "Q": Q}).value == pytest.approx(0.3)
    assert overall_alpha({"P": P, "R": {7: frozenset({X})}}).value is None
    assert disagreements({"P": P, "Q": Q}) == {2: {"P": frozenset({X, Y}), "Q": frozenset({X})},
                                              4: {"P": frozenset({Y}), "Q": frozenset({X})}}


def _random_codings(seed: int, items: int, codes: int, coders: int = 2, most: int = 3) -> dict:
    rng = random.Random(seed)
    names = [f"c{j}" for j in range(codes)]
    return {f"coder {k}": {i: frozenset(rng.sample(names, rng.randint(0, most))) for i in range(items)
                           if k < 2 or rng.random() < 0.6} for k in range(coders)}


def _nltk_rows(codings: dict, items, label) -> list[tuple]:
    return [(str(coder), str(item), label(coding[item])) for item in items for coder, coding in codings.items()
            if item in coding]


@pytest.mark.parametrize("seed", range(6))
def test_figures_are_nltks_annotation_task_figures(seed):
    """Counted, not run through AnnotationTask (minutes at 20,000 answers), yet the same figures: kappa and the
    per-code figures exactly, alpha over sets to the last digits NLTK's order of summing gives."""
    from nltk.metrics.agreement import AnnotationTask
    from nltk.metrics.distance import masi_distance

    from analysis.reliability import LOOPED_LABELS, _set_label

    # Few codes: the code sets' distances are looped as NLTK does; many: there are more distinct sets than
    # LOOPED_LABELS and they are worked out as arrays.
    codings = _random_codings(seed, items=150 + 40 * seed, codes=4 if seed % 2 else 14, coders=2 + seed % 3 // 2)
    a, b = list(codings.values())[:2]
    codes = sorted({c for coding in codings.values() for s in coding.values() for c in s})
    n, kappa, alpha, per_code = pair_figures(a, b, codes)
    common = sorted(set(a) & set(b), key=str)
    pair = {"a": a, "b": b}
    rows = _nltk_rows(pair, common, _set_label)
    assert n == len(common)
    assert kappa.value == AnnotationTask(data=rows).kappa_pairwise("a", "b")
    assert alpha.value == pytest.approx(AnnotationTask(data=rows, distance=masi_distance).alpha(), abs=1e-12)
    for figures in per_code:
        binary = _nltk_rows(pair, common, lambda s, code=figures.code: code in s)
        if len({label for _c, _i, label in binary}) < 2:
            assert figures.kappa.value is None
            continue
        assert figures.kappa.value == AnnotationTask(data=binary).kappa_pairwise("a", "b")
        assert figures.alpha.value == AnnotationTask(data=binary).alpha()
    everyone = _nltk_rows(codings, sorted({i for c in codings.values() for i in c}), _set_label)
    shared = {i for _c, i, _l in everyone if sum(1 for _k, j, _m in everyone if j == i) >= 2}
    expected = AnnotationTask(data=[r for r in everyone if r[1] in shared], distance=masi_distance).alpha()
    assert overall_alpha(codings).value == pytest.approx(expected, abs=1e-12)
    distinct = len({label for _c, _i, label in everyone})
    assert (distinct > LOOPED_LABELS) == (seed % 2 == 0)

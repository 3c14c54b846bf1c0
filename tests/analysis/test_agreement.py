import random

import numpy as np
import pytest

from analysis.agreement import alpha_masi, code_matrices, f1_by_answer, macro_f1, micro_f1, precision, sample_f1

A, B, C = "access", "bins", "cost"
GOLD = [frozenset({A}), frozenset({A, B}), frozenset({C}), frozenset()]
PRED = [frozenset({A}), frozenset({A}), frozenset({B}), frozenset()]


def test_sample_f1_averages_per_answer_f1():
    # 1, 2*1/3, 0, 1 (both empty)
    assert sample_f1(GOLD, PRED) == pytest.approx((1 + 2 / 3 + 0 + 1) / 4)


def test_micro_f1_pools_all_codes():
    # hits 2; gold codes 4, predicted codes 3
    assert micro_f1(GOLD, PRED) == pytest.approx(2 * 2 / 7)


def test_macro_f1_averages_per_code():
    # A: tp 2 -> 1.0; B: fp 1, fn 1 -> 0; C: fn 1 -> 0
    assert macro_f1(GOLD, PRED) == pytest.approx(1 / 3)


def test_precision_of_assigned_codes():
    assert precision(GOLD, PRED) == pytest.approx(2 / 3)
    assert precision([frozenset()], [frozenset()]) == 1.0


def test_alpha_is_one_for_identical_codings_and_low_for_unrelated():
    gold = [frozenset({A}), frozenset({B}), frozenset({A, C}), frozenset({C}), frozenset()]
    assert alpha_masi(gold, gold) == pytest.approx(1.0)
    shuffled = gold[1:] + gold[:1]
    assert alpha_masi(gold, shuffled) < 0.2


def test_alpha_rewards_partial_overlap_over_none():
    gold = [frozenset({A, B}), frozenset({C}), frozenset({A}), frozenset({B, C})]
    partial = [frozenset({A}), frozenset({C}), frozenset({A, B}), frozenset({B})]
    wrong = [frozenset({C}), frozenset({A}), frozenset({B}), frozenset({A})]
    assert alpha_masi(gold, partial) > alpha_masi(gold, wrong)


def test_codings_must_cover_the_same_answers():
    with pytest.raises(ValueError):
        sample_f1(GOLD, PRED[:2])
    with pytest.raises(ValueError):
        micro_f1([], [])


def test_f1_by_answer_scores_each_row_and_counts_two_empty_rows_as_agreeing():
    gold, predicted = code_matrices(GOLD, PRED)
    assert gold.shape == (4, 3) and gold[1].tolist() == [True, True, False]
    assert f1_by_answer(gold, predicted).tolist() == pytest.approx([1, 2 / 3, 0, 1])
    assert f1_by_answer(np.array([[True]]), np.array([[True]])).tolist() == [1.0]  # one answer, one code
    assert f1_by_answer(np.zeros((2, 0), bool), np.zeros((2, 0), bool)).tolist() == [1.0, 1.0]


def test_one_answer_one_code_and_no_codes_at_all():
    one = [frozenset({A})]
    assert sample_f1(one, one) == micro_f1(one, one) == macro_f1(one, one) == precision(one, one) == 1.0
    assert sample_f1(one, [frozenset()]) == micro_f1(one, [frozenset()]) == macro_f1(one, [frozenset()]) == 0.0
    nothing = [frozenset(), frozenset()]
    assert sample_f1(nothing, nothing) == micro_f1(nothing, nothing) == macro_f1(nothing, nothing) == 1.0


def reference_figures(gold, predicted):
    """The hand-written definitions these figures had before scikit-learn computed them."""
    pairs = list(zip(gold, predicted))
    sample = sum(1.0 if not g and not p else 2 * len(g & p) / (len(g) + len(p)) for g, p in pairs) / len(pairs)
    pooled = sum(len(g) + len(p) for g, p in pairs)
    micro = 2 * sum(len(g & p) for g, p in pairs) / pooled if pooled else 1.0
    per_code = []
    for code in sorted(set().union(*gold, *predicted)):
        tp = sum(code in g and code in p for g, p in pairs)
        wrong = sum((code in g) != (code in p) for g, p in pairs)
        per_code.append(2 * tp / (2 * tp + wrong))
    macro = sum(per_code) / len(per_code) if per_code else 1.0
    assigned = sum(len(p) for p in predicted)
    exact = sum(len(g & p) for g, p in pairs) / assigned if assigned else 1.0
    return sample, micro, macro, exact


def test_scikit_learn_gives_the_figures_the_hand_written_definitions_gave():
    rng = random.Random(13)
    for _ in range(100):
        n, codes = rng.randint(1, 30), [f"code {j}" for j in range(rng.randint(0, 6))]
        gold, predicted = ([frozenset(c for c in codes if rng.random() < 0.3) for _ in range(n)] for _ in range(2))
        ours = (sample_f1(gold, predicted), micro_f1(gold, predicted), macro_f1(gold, predicted),
                precision(gold, predicted))
        # sums taken in another order: equal to the last bit or two of a double
        assert ours == pytest.approx(reference_figures(gold, predicted), abs=1e-12)

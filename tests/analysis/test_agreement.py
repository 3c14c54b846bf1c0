import pytest

from analysis.agreement import alpha_masi, macro_f1, micro_f1, precision, sample_f1

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

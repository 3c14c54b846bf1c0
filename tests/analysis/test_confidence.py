import numpy as np

from analysis.confidence import Precedents, auto_cut, same_words_key, suggestion_features


def test_same_words_key_ignores_case_and_punctuation_but_not_the_question():
    assert same_words_key("Nothing.", "Q1") == same_words_key("  nothing", "q1")
    assert same_words_key("Nothing.", "Q1") != same_words_key("Nothing.", "Q2")
    assert same_words_key("Nothing", "Q1") != same_words_key("Nothing at all", "Q1")


def test_auto_cut_is_the_lowest_confidence_whose_answers_agree_at_the_target():
    predicted = np.array([0.9, 0.8, 0.7, 0.6])
    agreement = np.array([1.0, 1.0, 0.9, 0.2])
    assert auto_cut(predicted, agreement, 0.95) == 0.7  # running means 1, 1, 0.967, 0.775
    assert auto_cut(predicted, agreement, 0.99) == 0.8
    assert auto_cut(predicted, agreement, 0.5) == 0.6
    assert auto_cut(predicted, np.zeros(4), 0.5) == float("inf")


def test_auto_cut_never_splits_tied_confidences():
    # at 0.8 the two answers together agree at 0.75 only: the cut stays above them
    assert auto_cut(np.array([0.9, 0.8, 0.8]), np.array([1.0, 1.0, 0.5]), 0.95) == 0.9


def test_precedents_count_same_words_and_leave_each_coded_answer_out():
    gold = np.array([[True, False], [True, False], [False, True], [True, False]])
    keys = ["a", "a", "a", "b"]
    precedents = Precedents.of(keys, gold)
    chosen = np.array([[True, False]] * 4)
    assert precedents.features(["a", "b", "c"], chosen[:3]).tolist() == [[3, 2 / 3], [1, 1.0], [0, 0]]
    # left out: answer 0 sees answers 1 and 2 (one coded as chosen); answer 3 sees nothing
    assert precedents.features(keys, chosen, exclude=gold).tolist() == [[2, 0.5], [2, 0.5], [2, 1.0], [0, 0]]


def test_suggestion_features_have_one_row_per_answer_even_with_one_code():
    p = np.array([[0.9], [0.1]])
    chosen = p > 0.5
    rows = suggestion_features(p, np.array([0.05, 0.9]), chosen, np.array([3.0, 1.0]), np.zeros((2, 2)))
    assert rows.shape[0] == 2 and np.isfinite(rows).all()

from analysis.records import Answer
from analysis.text import analyzer_for
from analysis.themes import discover_themes, theme_labels

BINS = ["The bins are collected too rarely", "Bin collection missed again this week",
        "Recycling bins overflow every weekend", "Please collect the bins weekly", "Missed bin collection"]
TREES = ["Plant more trees in the park", "The park needs more trees and benches",
         "Trees in the park were cut down", "More trees along the park paths", "Protect the old park trees"]


def answers():
    rows = [Answer(f"bin{i}", t) for i, t in enumerate(BINS)] + [Answer(f"tree{i}", t) for i, t in enumerate(TREES)]
    return rows + [Answer("empty", ""), Answer("stop", "the and of")]


def test_separates_two_clear_themes_and_names_them_readably():
    themes = discover_themes(answers(), analyzer_for("en"), n_themes=2)
    assert len(themes) == 2
    groups = {frozenset(t.answer_ids) for t in themes}
    assert frozenset(f"bin{i}" for i in range(5)) in groups
    assert frozenset(f"tree{i}" for i in range(5)) in groups
    labels = " ".join(t.label for t in themes)
    assert "trees" in labels and ("bins" in labels or "collection" in labels)
    for theme in themes:
        assert set(theme.exemplar_ids) <= set(theme.answer_ids)


def test_answers_without_terms_join_no_theme():
    themes = discover_themes(answers(), analyzer_for("en"), n_themes=2)
    labels = theme_labels(themes, answers())
    assert labels[-2:] == [0, 0]
    assert all(label > 0 for label in labels[:-2])


def test_seeded_and_safe_on_degenerate_input():
    rows = answers()
    assert discover_themes(rows, analyzer_for("en"), seed=4) == discover_themes(rows, analyzer_for("en"), seed=4)
    assert discover_themes([Answer("a", "the and")], analyzer_for("en")) == []
    assert len(discover_themes([Answer("a", "parking fees")], analyzer_for("en"), n_themes=5)) == 1


def test_labels_are_key_phrases_from_the_answers():
    from analysis.themes import key_phrase

    texts = ["Bin collection missed again", "The bin collection is late", "Missed bin collection twice", "Bins smell"]
    assert key_phrase(texts, ("collection", "bin", "missed"), analyzer_for("en")) == "bin collection"
    assert key_phrase(["parking fees", "fees"], ("fees", "parking"), analyzer_for("en")) == "fees and parking"


def test_near_duplicate_themes_are_merged_into_the_larger():
    import numpy as np

    from analysis.themes import merge_near_duplicates

    big = (np.array([0, 1, 2]), ("bins", "collection", "missed", "late"), np.array([0]))
    twin = (np.array([5, 6]), ("collection", "bins", "missed", "weekly"), np.array([5]))
    other = (np.array([3, 4]), ("park", "trees", "benches", "paths"), np.array([3]))
    merged = merge_near_duplicates([twin, other, big])
    assert [list(m) for m, _terms, _ex in merged] == [[0, 1, 2, 5, 6], [3, 4]]
    assert merged[0][1] == big[1]

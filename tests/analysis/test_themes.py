import itertools

import numpy as np
import pytest

from analysis.records import Answer, CodebookTheme
from analysis.text import analyzer_for
from analysis.theme_labels import label_words
from analysis.themes import discover_themes, distinct_answers, primary_themes, soft_members

BINS = ["The bins are collected too rarely", "Bin collection missed again this week",
        "Recycling bins overflow every weekend", "Please collect the bins weekly", "Missed bin collection"]
TREES = ["Plant more trees in the park", "The park needs more trees and benches",
         "Trees in the park were cut down", "More trees along the park paths", "Protect the old park trees"]
EN = analyzer_for("en")


def answers(extra=()):
    rows = [Answer(f"bin{i}", t) for i, t in enumerate(BINS)] + [Answer(f"tree{i}", t) for i, t in enumerate(TREES)]
    return rows + list(extra) + [Answer("empty", ""), Answer("stop", "the and of")]


def discover(rows, **kwargs):
    return discover_themes(rows, EN, label_words=label_words("en"), **kwargs)


def by_label(themes, word):
    return next(t for t in themes if word in t.label.lower())


def test_separates_two_clear_themes_and_names_them_readably():
    themes = discover(answers(), max_themes=2)
    assert len(themes) == 2
    assert {frozenset(t.answer_ids) for t in themes} == {frozenset(f"bin{i}" for i in range(5)),
                                                         frozenset(f"tree{i}" for i in range(5))}
    assert by_label(themes, "park") is not by_label(themes, "bin")
    for theme in themes:
        assert set(theme.exemplar_ids) <= set(theme.answer_ids)
        assert theme.size == len(theme.answer_ids) == len(theme.weights) == 5
        assert max(theme.weights) == 1.0 and list(theme.weights) == sorted(theme.weights, reverse=True)
        assert f"“{theme.label}” (5 of 12, 42%)" in theme.description and theme.description.endswith(".")


def test_an_answer_about_two_themes_holds_both():
    both = Answer("both", "Missed bin collection near the park trees")
    themes = discover(answers([both]), max_themes=2)
    assert all("both" in t.answer_ids for t in themes)
    assert primary_themes(themes, [both])[0] in {t.id for t in themes}


def test_answers_without_terms_join_no_theme():
    rows = answers()
    themes = discover(rows, max_themes=2)
    assert primary_themes(themes, rows)[-2:] == [0, 0]
    assert all(p > 0 for p in primary_themes(themes, rows)[:-2])


def test_seeded_and_safe_on_degenerate_input():
    rows = answers()
    assert discover(rows, seed=4) == discover(rows, seed=4)
    assert discover([Answer("a", "the and")]) == []
    assert len(discover([Answer("a", "parking fees")], max_themes=5)) == 1


def test_stored_vectors_decide_the_neighbours():
    # Two subjects, each said in two ways that share no word; the stored vectors place each answer next to
    # answers said the other way (by stored vectors, one neighbour per 25 answers). Words alone
    # cannot tell which ways go together: placed the other way round, the vectors pair them the other way.
    # Each answer ends in a word of its own (too rare to be a term), so that no answer is a copy of another:
    # copies are one neighbour.
    step, rows, said = 0.005, [], {}
    own_words = ["".join(letters) for letters in itertools.product("bdfgk", "aeiou", "lmnrst", "aeiou")]
    for j in range(100):
        said[f"a{j}"] = "bins smell" if j % 2 == 0 else "collection late"
        rows.append(Answer(f"a{j}", f"{said[f'a{j}']} {own_words[j]}"))
    for j in range(100):
        said[f"b{j}"] = "trees cut" if j % 2 == 0 else "park benches"
        rows.append(Answer(f"b{j}", f"{said[f'b{j}']} {own_words[100 + j]}"))

    def placed(groups: list[list[str]]) -> np.ndarray:
        vectors = np.zeros((len(rows), 2), dtype=np.float32)
        for g, texts in enumerate(groups):
            picked = [i for i, r in enumerate(rows) if said[r.id] in texts]
            for j, i in enumerate(picked):
                vectors[i] = (np.cos(j * step), np.sin(j * step)) if g == 0 else (np.sin(j * step), np.cos(j * step))
        return vectors

    def grouped(vectors: np.ndarray) -> set[frozenset[str]]:
        return {frozenset(t.answer_ids) for t in discover(rows, vectors=vectors, max_themes=2)}

    def ids(texts: list[str]) -> frozenset[str]:
        return frozenset(r.id for r in rows if said[r.id] in texts)

    vectors = placed([["bins smell", "collection late"], ["trees cut", "park benches"]])
    assert grouped(vectors) == {ids(["bins smell", "collection late"]), ids(["trees cut", "park benches"])}
    crossed = placed([["bins smell", "trees cut"], ["collection late", "park benches"]])
    assert grouped(crossed) == {ids(["bins smell", "trees cut"]), ids(["collection late", "park benches"])}
    with pytest.raises(ValueError, match="one row per answer"):
        discover(rows, vectors=vectors[:3])


def test_stored_vectors_lend_neighbours_to_small_sets():
    # 60 answers, each word said by two of them: LSA's neighbours need 100 answers (one per 100), stored vectors
    # give two (one per 25). On the circle, answer 0's nearest are answers 1 (its own word) and 2 (the next word).
    from analysis.theme_vectors import theme_space

    words = ["".join(letters) for letters in itertools.product("bdfgk", "aeiou", "lmnrst")][:30]
    texts = [words[i // 2] for i in range(60)]
    angles = np.arange(60) * 0.01
    vectors = np.stack([np.cos(angles), np.sin(angles)], axis=1)

    def words_of_first_answer(space) -> set[str]:
        vectorizer, _terms, blended = space
        return set(vectorizer.get_feature_names_out()[blended[0].nonzero()[1]])

    own, next_word = (EN(words[0])[0], EN(words[1])[0])
    assert words_of_first_answer(theme_space(texts, EN, vectors=vectors)) == {own, next_word}
    assert words_of_first_answer(theme_space(texts, EN)) == {own}


def test_soft_members_keep_each_answers_strongest_theme():
    weights = np.array([[1.0, 0.0], [0.05, 0.04], [0.5, 0.5], [0.0, 0.0]])
    assert soft_members(weights, 0.1).tolist() == [[True, False], [True, False], [True, True], [False, False]]


def test_codebook_overlap_and_new_only():
    codebook = [CodebookTheme("Bin collection", "Bins collected late or missed",
                              examples=("The bins were not collected",), member_ids=("bin0", "bin1"))]
    rows = answers()
    themes = discover(rows, max_themes=2, codebook=codebook)
    bins = by_label(themes, "bin")
    assert bins.overlaps[0].theme == "Bin collection" and bins.overlaps[0].share >= 0.5
    assert not by_label(themes, "park").overlaps
    new = discover(rows, max_themes=2, codebook=codebook, new_only=True)
    assert [t.id for t in new] == list(range(1, len(new) + 1))
    assert all(not t.overlaps or t.overlaps[0].share < 0.5 for t in new)
    assert all(len(set(t.answer_ids) & {"bin0", "bin1", "bin3", "bin4"}) <= 1 for t in new)
    assert any("park" in t.label.lower() for t in new)


def test_a_repeated_answer_counts_once_in_learning_the_themes():
    # 30 copies of one short answer, written a little differently, would take one of two themes if
    # counted by copies; learnt from distinct answers, the two subjects keep theirs.
    nothing = [Answer(f"n{i}", ["Nothing.", "nothing!", "NOTHING"][i % 3]) for i in range(30)]
    themes = discover(answers(nothing), max_themes=2)
    subjects = {frozenset(f"bin{i}" for i in range(5)), frozenset(f"tree{i}" for i in range(5))}
    assert {frozenset(t.answer_ids) - {a.id for a in nothing} for t in themes} == subjects
    assert distinct_answers(["Nothing.", "nothing!", "Staff kind", "staff  kind", "Staff, kind?"]).tolist() == [0, 2]


def test_copies_of_an_answer_are_one_neighbour():
    # 30 copies of "Nothing." and 30 answers said once each, on a circle. Without the rule, the first answer's
    # neighbours are all copies of it; with it, one copy stands for them all and the others are further answers.
    from analysis.theme_vectors import nearest_anchors

    texts = ["Nothing."] * 30 + [f"answer {i}" for i in range(30)]
    angles = np.r_[np.zeros(30), 0.01 * np.arange(1, 31)]
    dense = np.stack([np.cos(angles), np.sin(angles)], axis=1)
    copies = set(range(30))

    every_row = nearest_anchors(dense, 0, neighbours=5, answers_per_neighbour=1)
    assert set(every_row[0]) <= copies
    distinct = distinct_answers(texts)
    found = nearest_anchors(dense, 0, neighbours=5, answers_per_neighbour=1, eligible=distinct)
    assert set(found.ravel()) & copies <= {0}
    assert found[1].tolist() == [0, 30, 31, 32, 33]
    assert found[0].tolist() == [30, 31, 32, 33, 34]

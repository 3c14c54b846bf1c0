import numpy as np

from analysis.records import Answer
from analysis.text import analyzer_for
from analysis.theme_labels import weak_words
from analysis.theme_merge import fine_count, merge_themes
from analysis.themes import discover_themes, fine_then_merged


def test_finer_themes_only_with_enough_answers_for_each():
    assert fine_count(100, 10) == 10  # too few answers: factorised directly
    assert fine_count(750, 10) == 15
    assert fine_count(100_000, 10) == 20
    assert fine_count(3_000, 2) == 4


def test_joins_the_themes_whose_answers_coincide_most_and_drops_empty_ones():
    member = np.zeros((40, 5), dtype=bool)
    member[0:10, 0] = True
    member[5:12, 1] = True  # 5 of its 7 answers hold theme 0 too: lift 40 * 5 / (10 * 7) = 2.9
    member[12:40, 2] = True  # a large theme
    member[8:20, 3] = True  # shares 4 answers with 0, 4 with 1 and 8 with 2: lift 1.3, 1.9 and 1.0
    weights = member * np.array([2.0, 4.0, 1.0, 0.5, 3.0])
    weights[1, 0] = 1.0  # a weaker member of theme 0
    components = np.eye(5)
    merged_weights, merged_components, merged = merge_themes(weights, components, member, 3)
    assert merged.shape == (40, 3)  # theme 4 held no answer; 0 and 1 joined
    assert merged[:, 0].tolist() == (member[:, 0] | member[:, 1]).tolist()
    assert merged[:, 1].tolist() == member[:, 2].tolist() and merged[:, 2].tolist() == member[:, 3].tolist()
    assert merged_weights[1, 0] == 0.5 and merged_weights[5, 0] == 1.0 and merged_weights[11, 0] == 1.0
    assert merged_components[0].tolist() == [2.0, 4.0, 0.0, 0.0, 0.0]
    again = merge_themes(weights, components, member, 2)[2]
    assert again[:, 0].tolist() == (member[:, 0] | member[:, 1] | member[:, 3]).tolist()


SUBJECTS = [("bins collected late", "recycling boxes overflow"), ("trees cut in the park", "benches and paths"),
            ("buses run rarely", "trains always delayed")]


def test_two_wordings_of_one_subject_end_in_one_theme_when_answers_are_many():
    rng = np.random.default_rng(0)
    rows = []
    for s, (first, second) in enumerate(SUBJECTS):
        for i in range(120):
            text = {0: first, 1: second, 2: f"{first}, {second}"}[i % 3]
            rows.append(Answer(f"{s}-{i}", f"{text} {rng.choice(['again', 'really', 'today', 'sadly'])}"))
    en = analyzer_for("en")
    themes = discover_themes(rows, en, weak_words=weak_words("en"), max_themes=3)
    assert len(themes) == 3
    assert sorted({a.split("-")[0] for a in t.answer_ids} for t in themes) == [{"0"}, {"1"}, {"2"}]
    assert all(t.size == 120 for t in themes)
    assert discover_themes(rows, en, weak_words=weak_words("en"), max_themes=3) == themes  # seeded


def test_few_answers_are_factorised_directly():
    features = np.abs(np.random.default_rng(1).normal(size=(60, 30)))
    weights, components, member = fine_then_merged(features, 3, 0)
    assert weights.shape == (60, 3) and components.shape == (3, 30) and member.shape == (60, 3)

import pytest

from analysis.evaluate import shared_data_dir
from analysis.evaluate_themes import THEME_SETS, evaluate_theme_set, match_f1, seed_spread, single_code_ami, summary
from analysis.records import Answer


def coded(codes):
    return [Answer(str(i), "", tuple(c)) for i, c in enumerate(codes)]


def test_match_f1_weights_codes_by_size_and_skips_rare_ones():
    answers = coded([["a"], ["a"], ["a", "b"], ["b"]] + [[]] * 96)  # a: 3, b: 2 (2% of 100), rare codes dropped
    assert match_f1(answers, [{"0", "1", "2"}, {"2", "3"}]) == 1.0
    assert match_f1(answers, [{"0", "1", "2", "3"}]) == pytest.approx(3 / 5 * (6 / 7) + 2 / 5 * (4 / 6))
    assert match_f1(coded([["a"]] + [[]] * 99), [{"0"}]) == 0.0  # 1 answer < 2%: nothing to match
    assert match_f1(answers, []) == 0.0


def test_ami_reads_single_coded_answers_only():
    answers = coded([["a"], ["a"], ["b"], ["b"], ["a", "b"]])
    assert single_code_ami(answers, [1, 1, 2, 2, 1]) == pytest.approx(1.0)


def test_tuning_and_held_out_sets_are_fixed_and_summarised_apart():
    assert [s.name for s in THEME_SETS if s.role == "tuning"] == ["nhs-neas"]
    rows = [{"role": "tuning", "language": "en", "match_f1": 0.5, "ami": 0.3},
            {"role": "held-out", "language": "en", "match_f1": 0.4, "ami": 0.2},
            {"role": "held-out", "language": "de", "match_f1": 0.6, "ami": 0.4}]
    assert summary(rows) == pytest.approx({"tuning_match_f1": 0.5, "tuning_ami": 0.3,
                                           "held-out_match_f1": 0.5, "held-out_ami": 0.3,
                                           "held-out_en_match_f1": 0.4, "held-out_en_ami": 0.2})


@pytest.mark.skipif(not (shared_data_dir() / "themefinder-gambling-xs").exists(), reason="shared data not present")
def test_held_out_gambling_themes_keep_their_measured_quality():
    spec = next(s for s in THEME_SETS if s.name == "gambling-1")
    row = evaluate_theme_set(spec)
    assert row["themes"] == 10 and row["match_f1"] >= 0.42 and row["ami"] >= 0.40
    assert 1.3 <= row["themes_per_answer"] <= 2.0


def test_seed_spread_gives_each_figures_mean_and_range_over_seeds():
    spread = seed_spread([{"held-out_match_f1": 0.44, "held-out_ami": 0.3}, {"held-out_match_f1": 0.46, "held-out_ami": 0.3}])
    assert spread["held-out_match_f1"] == pytest.approx({"mean": 0.45, "min": 0.44, "max": 0.46, "sd": 0.01})
    assert spread["held-out_ami"] == pytest.approx({"mean": 0.3, "min": 0.3, "max": 0.3, "sd": 0.0})

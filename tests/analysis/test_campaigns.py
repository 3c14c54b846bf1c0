import numpy as np
import pytest

from analysis.campaign_lsh import choose_bands, containment, similar_groups
from analysis.campaign_signatures import signatures, text_key, tokens
from analysis.campaigns import find_campaigns, find_campaigns_signed
from analysis.records import Answer

TEMPLATE = (
    "I strongly object to the proposed closure of the Riverside library because it is used "
    "every day by children after school, by older people who have no internet at home and by "
    "job seekers who need the computers"
)
OTHERS = [
    "The bus service to the hospital is far too infrequent and the last bus leaves before visiting hours end",
    "Please build a proper segregated cycle lane along the ring road, painted lines do not keep anyone safe",
    "Council tax keeps rising while the bins are collected less often and the parks are left to decay",
    "More police on foot in the town centre at night would make people feel safer walking home",
]


def campaign_answers():
    answers = [Answer(f"copy{i}", TEMPLATE) for i in range(4)]
    answers.append(Answer("edited", TEMPLATE.replace("strongly ", "") + " Shame on you."))
    answers.append(Answer("personal", "Dear council, " + TEMPLATE + " Yours, a resident"))
    answers += [Answer(f"other{i}", text) for i, text in enumerate(OTHERS)]
    answers += [Answer(f"short{i}", "Nothing to add.") for i in range(5)]
    return answers


def test_finds_copies_and_edited_copies_but_not_other_answers():
    campaigns = find_campaigns(campaign_answers(), min_size=3)
    assert len(campaigns) == 1
    campaign = campaigns[0]
    assert set(campaign.answer_ids) == {"copy0", "copy1", "copy2", "copy3", "edited", "personal"}
    assert campaign.representative_id == "copy0"
    assert 0.6 <= campaign.min_similarity < 1.0


def test_short_stock_answers_and_small_groups_are_not_campaigns():
    answers = [Answer("a", TEMPLATE), Answer("b", TEMPLATE)] + [Answer(f"s{i}", "Nothing") for i in range(9)]
    assert find_campaigns(answers, min_size=3) == []
    assert [c.answer_ids for c in find_campaigns(answers, min_size=2)] == [("a", "b")]


def test_same_seed_same_result_and_order_independent_grouping():
    answers = campaign_answers()
    assert find_campaigns(answers, seed=3) == find_campaigns(answers, seed=3)
    reversed_groups = find_campaigns(answers[::-1], seed=3)
    assert set(reversed_groups[0].answer_ids) == set(find_campaigns(answers, seed=3)[0].answer_ids)


def test_minhash_estimates_jaccard_similarity():
    words = [f"w{i}" for i in range(200)]
    a = " ".join(words[:150])
    b = " ".join(words[50:])  # 3-word shingles: 98 shared of 198 distinct -> J ~ 0.495
    sig = signatures([Answer("a", a), Answer("b", b)], num_perm=512, seed=1)
    estimate = (sig.matrix[0] == sig.matrix[1]).mean()
    assert estimate == pytest.approx(98 / 198, abs=0.06)


def test_identical_texts_share_one_signature_row():
    sig = signatures([Answer("a", TEMPLATE), Answer("b", TEMPLATE), Answer("c", "too short")])
    assert sig.text_of.tolist() == [0, 0, -1]
    assert sig.matrix.shape == (1, 128)


def test_similar_groups_joins_only_rows_above_threshold():
    rng = np.random.default_rng(0)
    base = rng.integers(0, 2**32, size=64, dtype=np.uint64)
    near = base.copy()
    near[:8] += np.uint64(1)  # 56/64 = 0.875 equal
    far = rng.integers(0, 2**32, size=64, dtype=np.uint64)
    labels = similar_groups(np.stack([base, near, far]), threshold=0.8)
    assert labels[0] == labels[1] != labels[2]


@pytest.mark.parametrize(("threshold", "num_perm"), [(0.5, 64), (0.8, 128), (0.9, 128)])
def test_chosen_bands_put_the_s_curve_near_the_threshold(threshold, num_perm):
    bands, rows = choose_bands(threshold, num_perm)
    assert bands * rows == num_perm
    assert abs((1 / bands) ** (1 / rows) - threshold) < 0.15


def test_a_texts_signature_does_not_depend_on_the_other_texts():
    """So it can be worked out once, when an answer is stored."""
    alone = signatures([Answer("a", TEMPLATE)])
    among = signatures([Answer("x", OTHERS[0]), Answer("a", TEMPLATE), Answer("y", OTHERS[1] + " " + OTHERS[2])])
    assert (among.matrix[among.text_of[1]] == alone.matrix[0]).all()
    assert among.keys[among.text_of[1]] == alone.keys[0] == text_key(tokens(TEMPLATE))


@pytest.mark.parametrize("seed", [0, 3])
def test_grouping_stored_signatures_finds_what_find_campaigns_finds(seed):
    answers = campaign_answers()
    answers = answers[5:] + answers[:5] + [Answer("copy-again", TEMPLATE), Answer("other-again", OTHERS[1])]
    one_by_one = [signatures([a], seed=seed) for a in answers]  # as if each were stored on its own
    compared = [(a.id, s.keys[0], s.matrix[0], s.sizes[0]) for a, s in zip(answers, one_by_one) if s.text_of[0] >= 0]
    found = find_campaigns_signed([c[0] for c in compared], np.array([c[1] for c in compared]),
                                  np.stack([c[2] for c in compared]), np.array([c[3] for c in compared]), seed=seed)
    assert found == find_campaigns(answers, seed=seed)
    assert len(found) == 1 and len(found[0].answer_ids) == 7 and found[0].representative_id == "copy0"


def test_a_template_with_a_paragraph_of_ones_own_added_is_joined_by_containment():
    own = "My grandchildren go there every Saturday morning to borrow books and to do their school homework on the computers"
    answers = [Answer(f"copy{i}", TEMPLATE) for i in range(3)]
    answers.append(Answer("added", f"Dear Councillor, {TEMPLATE}. {own}. Yours faithfully, a resident"))
    answers += [Answer(f"other{i}", text) for i, text in enumerate(OTHERS)]
    [campaign] = find_campaigns(answers)
    assert set(campaign.answer_ids) == {"copy0", "copy1", "copy2", "added"}
    assert campaign.min_similarity < 0.6  # joined by containment, not by similarity
    assert len(find_campaigns(answers, contained=1.01)[0].answer_ids) == 3  # containment off


def test_a_short_answer_quoted_inside_a_long_letter_is_not_joined():
    short = "keep the Riverside library open for children and older people"
    letter = " ".join([TEMPLATE] * 2 + [OTHERS[0], OTHERS[2], short])
    answers = [Answer(f"s{i}", short) for i in range(3)] + [Answer("letter", letter)]
    [campaign] = find_campaigns(answers)
    assert set(campaign.answer_ids) == {"s0", "s1", "s2"}


def test_containment_from_similarity_and_sizes():
    # A = 10 shingles inside B = 20: |A & B| = 10, |A | B| = 20, J = 0.5 -> containment 1
    assert containment(np.array([0.5]), np.array([10]), np.array([20])) == pytest.approx([1.0])
    assert containment(np.array([0.0]), np.array([10]), np.array([20])) == pytest.approx([0.0])


def test_signatures_on_several_processes_are_the_same(monkeypatch):
    import analysis.campaign_signatures as signatures_module

    monkeypatch.setattr(signatures_module, "SIGNING_SLICE", 2)  # several slices even for a few texts
    texts = [f"we object to the plan number {i} because the roads near the school cannot cope" for i in range(7)]
    answers = [Answer(str(i), t) for i, t in enumerate(texts + ["short"])]
    one, two = signatures(answers), signatures(answers, jobs=2)
    assert np.array_equal(one.matrix, two.matrix) and np.array_equal(one.sizes, two.sizes)
    assert np.array_equal(one.text_of, two.text_of) and one.text_of[-1] == -1
    assert find_campaigns(answers, jobs=2) == find_campaigns(answers)

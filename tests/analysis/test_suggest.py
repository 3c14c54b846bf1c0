import itertools

import numpy as np
import pytest

from analysis.records import Answer
from analysis.code_choice import choose, decision_margin, exact_expected_f1, expected_f1
from analysis.suggest import code_certainty, predict, predict_proba, review_ranks, suggest, train
from analysis.text import analyzer_for

BUS = ["the bus is always late", "buses never run on time", "more bus routes please", "bus fares are too high",
       "the last bus leaves too early", "bus stop has no shelter", "cancelled buses again", "bus drivers skip stops"]
PARK = ["parking costs too much", "no parking spaces near the shops", "car park is full by nine",
        "parking fines are unfair", "free parking on sundays please", "the car park lighting is broken",
        "residents parking permits", "parking charges drive shoppers away"]


def coded():
    answers = [Answer(f"b{i}", t, ("transport",)) for i, t in enumerate(BUS)]
    answers += [Answer(f"p{i}", t, ("parking",)) for i, t in enumerate(PARK)]
    answers.append(Answer("both", "the bus is late and parking costs too much", ("transport", "parking")))
    return answers


@pytest.fixture(scope="module")
def model():
    return train(coded(), analyzer_for("en", drop_stopwords=False), seed=0)


def test_learns_codes_from_coded_answers(model):
    assert model.codes == ("parking", "transport")
    assert model.confidence_model is None and model.auto_cut == float("inf")  # too few answers to learn them
    probabilities = predict_proba(model, ["late bus again", "parking is too expensive"])
    assert probabilities[0, 1] > 0.5 > probabilities[0, 0]
    assert probabilities[1, 0] > 0.5 > probabilities[1, 1]


def test_same_seed_same_suggestions(model):
    again = train(coded(), analyzer_for("en", drop_stopwords=False), seed=0)
    texts = [Answer("x", "bus parking"), Answer("y", "buses")]
    assert suggest(model, texts) == suggest(again, texts)


def test_suggestions_carry_scores_route_and_review_rank(model):
    out = suggest(model, [Answer("x", "the bus is always late"), Answer("y", "hello there")], auto_threshold=0.8)
    assert out[0].codes == ("transport",)
    assert out[0].scores[0].code == "transport"
    assert out[0].confidence > out[1].confidence
    assert (out[0].route, out[1].route) == ("auto", "review")
    assert sorted(s.review_rank for s in out) == [1, 2]
    assert out[1].review_rank == 1  # the unfamiliar answer is the one to code next


def test_code_certainty_is_the_least_certain_code():
    p = np.array([[0.99, 0.02], [0.99, 0.45], [0.5, 0.5]])
    assert code_certainty(p).tolist() == pytest.approx([0.98, 0.55, 0.5])
    assert review_ranks(p).tolist() == [3, 2, 1]


def test_refuses_training_without_codes():
    with pytest.raises(ValueError, match="no codes"):
        train([Answer("a", "text")], analyzer_for("en"))


def test_choose_maximises_expected_f1_and_may_leave_no_code():
    p = np.array([[0.9, 0.2, 0.1], [0.8, 0.7, 0.05], [0.3, 0.25, 0.2]])
    assert choose(p).tolist() == [[True, False, False], [True, True, False], [True, True, False]]
    # row 3: top-2 and top-3 tie at 0.4; the smaller set is kept
    # "no code" likelier than the best expected F1: nothing is assigned
    assert choose(p[:1], np.array([0.95])).tolist() == [[False, False, False]]
    assert choose(p[:1], np.array([0.1])).tolist() == [[True, False, False]]


def test_exact_expected_f1_is_the_expectation_over_every_coding():
    rng = np.random.default_rng(3)
    p = rng.uniform(0, 1, (4, 5)) ** 2
    for row, expected in zip(p, exact_expected_f1(p, cap=5)):
        order = np.argsort(-row, kind="stable")
        by_enumeration = []
        for k in range(1, 6):
            total = 0.0
            for bits in itertools.product([0, 1], repeat=5):
                gold = np.array(bits, dtype=bool)
                chance = np.prod(np.where(gold, row, 1 - row))
                total += chance * 2 * gold[order[:k]].sum() / (k + gold.sum())
            by_enumeration.append(total)
        np.testing.assert_allclose(expected, by_enumeration, atol=1e-12)


def test_exact_choice_gives_fewer_second_codes_than_the_ratio():
    p = np.array([[0.9, 0.4, 0.0]])
    # one code: hit with 0.9, F1 1 when the second does not apply, 2/3 when it does
    assert exact_expected_f1(p)[0, 0] == pytest.approx(0.9 * (0.6 + 0.4 * 2 / 3))
    # two codes: both apply (0.36), or one of them (0.54 + 0.04)
    assert exact_expected_f1(p)[0, 1] == pytest.approx(0.36 + (0.9 * 0.6 + 0.1 * 0.4) * 2 / 3)
    assert choose(p).tolist() == [[True, True, False]]
    assert choose(p, exact=True).tolist() == [[True, False, False]]
    assert choose(p, np.array([0.8]), exact=True).tolist() == [[False, False, False]]


def test_expected_f1_of_the_top_codes_and_the_decision_margin():
    p = np.array([[0.9, 0.2, 0.1], [0.8, 0.7, 0.05]])
    # 2 * top-k sum / (k + sum of all): row 1 sums to 1.2, row 2 to 1.55
    np.testing.assert_allclose(expected_f1(p), [[1.8 / 2.2, 2.2 / 3.2, 2.4 / 4.2], [1.6 / 2.55, 3 / 3.55, 3.1 / 4.55]])
    chosen = choose(p, np.array([0.05, 0.9]))
    assert chosen.tolist() == [[True, False, False], [False, False, False]]
    # chosen: min(best, 1 - second best); left without codes: min(p(no code), 1 - best)
    assert decision_margin(p, np.array([0.05, 0.9]), chosen).tolist() == pytest.approx([0.8, 0.2])
    one_code = np.array([[0.9]])
    assert decision_margin(one_code, np.array([0.0]), one_code > 0.5).tolist() == pytest.approx([0.9])


def test_predict_gives_codes_and_a_confidence_per_answer(model):
    probabilities, chosen, sure = predict(model, ["the bus is always late", "parking fines"])
    assert probabilities.shape == chosen.shape == (2, 2)
    assert chosen.tolist() == [[False, True], [True, False]]
    assert np.all((0 <= sure) & (sure <= 1))


def test_the_question_changes_what_an_answer_means():
    good, better = "What was good?", "How could we improve?"
    coded = [Answer(f"g{i}", t, ("negative",), good) for i, t in enumerate(["Nothing", "nothing at all", "Nothing."])]
    coded += [Answer(f"i{i}", t, ("positive",), better) for i, t in enumerate(["Nothing", "nothing at all", "Nothing."])]
    coded += [Answer(f"s{i}", t, ("staff",), good) for i, t in enumerate(["kind staff", "the staff were lovely"])]
    model = train(coded, analyzer_for("en", drop_stopwords=False), seed=0)
    probabilities = predict_proba(model, ["Nothing", "Nothing"], [good, better])
    negative, positive = model.codes.index("negative"), model.codes.index("positive")
    assert probabilities[0, negative] > probabilities[0, positive]
    assert probabilities[1, positive] > probabilities[1, negative]


def many_coded(n_each=70):
    """Enough coded answers (over MIN_ANSWERS) for the confidence regression and an auto cut; as
    with people, some answers are coded loosely (a code too many or too few, every 5th)."""
    answers = []
    for i in range(n_each):
        loose = i % 5 == 4
        answers.append(Answer(f"b{i}", f"{BUS[i % len(BUS)]} on route {i}", ("transport", "parking") if loose else ("transport",)))
        answers.append(Answer(f"p{i}", f"{PARK[i % len(PARK)]} in zone {i}", () if loose else ("parking",)))
        answers.append(Answer(f"m{i}", f"{BUS[i % len(BUS)]} and {PARK[(i + 3) % len(PARK)]}",
                              ("transport",) if loose else ("transport", "parking")))
        answers.append(Answer(f"o{i}", f"{'nice weather today' if i % 2 else 'the library opens late'} {i}", ()))
    return answers


def test_with_enough_answers_confidence_is_expected_agreement_and_auto_uses_the_learnt_cut():
    model = train(many_coded(), analyzer_for("en", drop_stopwords=False), seed=0)
    assert model.confidence_model is not None and 0 < model.auto_cut <= 1
    new = [Answer("x", "the bus is always late on route 99"), Answer("y", "parking fines are unfair in zone 7"),
           Answer("z", "the bus stop has no shelter and parking costs too much"), Answer("w", "hmm")]
    out = suggest(model, new)
    assert [s.codes for s in out[:2]] == [("transport",), ("parking",)]
    assert all(0 <= s.confidence <= 1 for s in out)
    assert all(s.route == ("auto" if s.confidence >= model.auto_cut else "review") for s in out)
    assert out[0].route == "auto"
    assert (out[3].confidence, out[3].route) == (0.0, "review")  # no word the model has seen
    assert [s.route for s in suggest(model, new, auto_threshold=1.01)] == ["review"] * 4
    again = train(many_coded(), analyzer_for("en", drop_stopwords=False), seed=0)
    assert suggest(again, new) == out


def test_several_processes_give_the_same_model_and_suggestions(monkeypatch):
    import analysis.suggest as suggest_module

    monkeypatch.setattr(suggest_module, "CHUNK", 3)  # several slices even for a few answers
    analyzer = analyzer_for("en", drop_stopwords=False)
    one, two = train(many_coded(), analyzer, seed=0), train(many_coded(), analyzer, seed=0, jobs=2)
    assert np.array_equal(one.weights, two.weights) and np.array_equal(one.platt, two.platt)
    assert one.auto_cut == two.auto_cut
    new = [Answer(f"n{i}", text) for i, text in enumerate(BUS + PARK + ["hmm"])]
    assert suggest(one, new, jobs=2) == suggest(one, new)


def test_sentence_vectors_join_the_words_and_are_then_needed_to_predict():
    """Answers whose words say nothing about their code (the same words, and new words) but whose vectors do:
    the model with vectors learns the code, the model without cannot; a model trained with vectors refuses to
    predict without them."""
    texts = [f"comment number {i}" for i in range(40)]
    codes = [("transport",) if i % 2 else ("parking",) for i in range(40)]
    vectors = np.array([[1.0, 0.0] if i % 2 else [0.0, 1.0] for i in range(40)], dtype=np.float32)
    coded_answers = [Answer(f"a{i}", t, c) for i, (t, c) in enumerate(zip(texts, codes))]
    analyzer = analyzer_for("en", drop_stopwords=False)
    with_vectors = train(coded_answers, analyzer, seed=0, vectors=vectors)
    words_only = train(coded_answers, analyzer, seed=0)
    assert with_vectors.vector_weight is not None and words_only.vector_weight is None
    new = ["another remark", "another remark"]
    learnt = predict_proba(with_vectors, new, vectors=np.array([[1.0, 0.0], [0.0, 1.0]], dtype=np.float32))
    transport, parking = with_vectors.codes.index("transport"), with_vectors.codes.index("parking")
    assert learnt[0, transport] > 0.5 > learnt[0, parking] and learnt[1, parking] > 0.5 > learnt[1, transport]
    blind = predict_proba(words_only, new)
    assert abs(blind[0, transport] - blind[1, transport]) < 1e-9  # the same words: the same probabilities
    with pytest.raises(ValueError, match="trained with sentence vectors"):
        predict_proba(with_vectors, new)
    with pytest.raises(ValueError, match="one sentence vector for each of 40 answers"):
        train(coded_answers, analyzer, seed=0, vectors=vectors[:39])


def test_with_sentence_vectors_the_auto_cut_keeps_a_wider_margin(monkeypatch):
    """The final model is surer than its out-of-fold copies by more when it reads vectors (analysis/README.md),
    so its auto cut aims higher unless a target is given."""
    from analysis import confidence, suggest as suggest_module

    asked = []
    fit = confidence.fit

    def spy(*args, **kwargs):
        asked.append(kwargs["target"])
        return fit(*args, **kwargs)

    monkeypatch.setattr(suggest_module.confidence, "fit", spy)
    texts = [f"comment number {i} about {'buses' if i % 2 else 'parking'}" for i in range(220)]
    coded_answers = [Answer(f"a{i}", t, ("transport",) if i % 2 else ("parking",)) for i, t in enumerate(texts)]
    vectors = np.array([[1.0, 0.0] if i % 2 else [0.0, 1.0] for i in range(220)], dtype=np.float32)
    analyzer = analyzer_for("en", drop_stopwords=False)
    train(coded_answers, analyzer, seed=0)
    train(coded_answers, analyzer, seed=0, vectors=vectors)
    train(coded_answers, analyzer, seed=0, vectors=vectors, target_agreement=0.9)
    assert asked == [confidence.TARGET_AGREEMENT, confidence.TARGET_AGREEMENT_WITH_VECTORS, 0.9]
    assert confidence.TARGET_AGREEMENT_WITH_VECTORS > confidence.TARGET_AGREEMENT

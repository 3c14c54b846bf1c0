import json

import numpy as np
import pytest

from analysis.few_shot import blend, few_shot_probabilities, read_codebook, suggest_from_codebook, supervised_weight
from analysis.jsonl import InputError
from analysis.records import Answer, CodebookTheme
from analysis.text import analyzer_for

EN = analyzer_for("en")
CODEBOOK = [
    CodebookTheme("Waiting times", "Answers about waiting too long for the ambulance", "late, delays, hours",
                  examples=("We waited four hours for the ambulance",)),
    CodebookTheme("Staff attitude", "How the crew and staff treated people", "friendly, rude, kind",
                  exclude="waiting", examples=("The crew were kind and friendly",)),
]
TEXTS = ["The ambulance was very late, we waited hours", "Delays of two hours waiting",
         "Friendly crew, very kind", "The staff were rude", "Kind and caring staff", "Hours of delays again"]


def test_themes_texts_score_answers_before_anyone_codes():
    probabilities = few_shot_probabilities(CODEBOOK, TEXTS, EN)
    assert probabilities.shape == (6, 2)
    assert probabilities.argmax(axis=1).tolist() == [0, 0, 1, 1, 1, 0]
    assert few_shot_probabilities(CODEBOOK, TEXTS, EN).tolist() == probabilities.tolist()  # deterministic


def test_suggestions_name_codebook_themes_and_go_to_review():
    answers = [Answer(str(i), t) for i, t in enumerate(TEXTS)]
    suggestions = suggest_from_codebook(CODEBOOK, answers, EN)
    assert [s.codes[0] for s in suggestions] == ["Waiting times"] * 2 + ["Staff attitude"] * 3 + ["Waiting times"]
    assert {s.route for s in suggestions} == {"review"}
    assert sorted(s.review_rank for s in suggestions) == list(range(1, 7))
    assert all(0 <= s.confidence <= 1 and s.scores[0].code == s.codes[0] for s in suggestions)


def test_handover_to_the_supervised_model_as_people_code():
    few, learnt = np.array([[0.9, 0.1]]), np.array([[0.2, 0.8]])
    assert supervised_weight(0) == supervised_weight(19) == 0.0
    assert 0 < supervised_weight(50) < supervised_weight(200) < 1.0 == supervised_weight(400)
    assert blend(few, learnt, 10).tolist() == few.tolist()
    assert blend(few, learnt, 1000).tolist() == learnt.tolist()
    assert blend(few, learnt, 50) == pytest.approx(np.array([[0.55, 0.45]]))


def test_coded_answers_train_the_supervised_model_once_enough():
    coded = [Answer(f"c{i}", t, (CODEBOOK[0].name,) if i % 2 == 0 else (CODEBOOK[1].name,))
             for i, t in enumerate(["waited hours late", "kind friendly crew"] * 15)]
    answers = [Answer(str(i), t) for i, t in enumerate(TEXTS)]
    suggestions = suggest_from_codebook(CODEBOOK, answers, EN, coded=coded)
    assert suggestions[0].codes == ("Waiting times",) and suggestions[2].codes == ("Staff attitude",)


def test_codebook_file_is_validated(tmp_path):
    good = tmp_path / "codebook.json"
    good.write_text(json.dumps([{"name": "Waiting", "examples": ["late"], "members": [1, "2"]}]), encoding="utf-8")
    assert read_codebook(str(good)) == [CodebookTheme("Waiting", examples=("late",), member_ids=("1", "2"))]
    for bad, message in (([], "non-empty JSON list"), ([{"name": ""}], "non-empty \"name\""),
                         ([{"name": "a"}, {"name": "a"}], "duplicate name"),
                         ([{"name": "a", "examples": "late"}], "lists of strings")):
        path = tmp_path / "bad.json"
        path.write_text(json.dumps(bad), encoding="utf-8")
        with pytest.raises(InputError, match=message):
            read_codebook(str(path))


def test_one_rule_from_zero_coded_answers_to_the_supervised_model_alone():
    """Few-shot (all to review) while its scores still weigh; from FULL_HANDOVER coded answers on, exactly
    what analysis.suggest gives, with its confidence and auto routing; without a codebook, suggest alone."""
    from analysis import few_shot
    from analysis.suggest import suggest, train

    answers = [Answer(str(i), t) for i, t in enumerate(TEXTS)]
    coded = [Answer(f"c{i}", t, (("Waiting times",) if i % 2 else ("Staff attitude",)) if i % 5 else ())
             for i, t in enumerate(TEXTS * 70)]  # 420: past FULL_HANDOVER
    early = few_shot.suggest_with_handover(CODEBOOK, answers, coded=coded[:10])
    assert early.method == "few-shot" and early.model is None
    assert early.suggestions == suggest_from_codebook(CODEBOOK, answers, EN, coded=coded[:10])
    late = few_shot.suggest_with_handover(CODEBOOK, answers, coded=coded)
    assert late.method == "supervised"
    assert late.suggestions == suggest(train(coded, analyzer_for("en", drop_stopwords=False)), answers)
    assert few_shot.suggest_with_handover([], answers, coded=coded[:10]).method == "supervised"

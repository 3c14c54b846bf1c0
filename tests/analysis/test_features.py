import numpy as np
import pytest

from analysis.features import CharNgrams, TextFeatures, context_token, with_context
from analysis.text import analyzer_for


def test_char_ngrams_match_sklearn_char_wb():
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = ["The bus is late", "Parking  costs, parking fines", "bus bus", "new words here"]
    chars = CharNgrams(min_df=1)
    chars.fit_transform(texts[:3])
    reference = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True).fit(texts[:3])
    assert np.allclose(chars.transform(texts).toarray(), reference.transform(texts).toarray(), atol=1e-6)


def test_context_token_is_one_stable_word_per_context():
    token = context_token("What was good?")
    assert token == context_token("  what was GOOD?") and token.isalpha() and token.startswith("ctx")
    assert token != context_token("How could we improve?")
    assert context_token("") == "" and with_context("Nothing", "") == "Nothing"
    assert with_context("Nothing", "What was good?") == f"{token} Nothing {token}"
    assert analyzer_for("en", drop_stopwords=False)(with_context("Nothing", "What was good?")).count(token) == 2


def test_context_reaches_the_word_features_only():
    features = TextFeatures(analyzer_for("en", drop_stopwords=False), min_df=1)
    texts = ["nothing", "nothing", "kind staff"]
    rows = features.fit_transform(texts, ["good", "improve", "good"]).toarray()
    assert not np.allclose(rows[0], rows[1])  # same words, different questions
    assert context_token("good") in features.words.vocabulary_
    assert not any("ctx" in gram for gram in features.chars.tfidf.vocabulary_)
    assert np.allclose(features.transform(["nothing"], ["good"]).toarray(), rows[:1])
    with pytest.raises(ValueError, match="one context per text"):
        features.transform(["a", "b"], ["good"])

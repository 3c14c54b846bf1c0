from analysis.text import Analyzer, analyzer_for, normalise, regexp_tokenizer, snowball_stemmer, stopwords, surface_forms


def test_tokenizer_keeps_inner_hyphens_and_apostrophes():
    tokenize = regexp_tokenizer()
    assert tokenize("Follow-up DIDN’T happen!") == ["follow-up", "didn't", "happen"]


def test_stopwords_are_shipped_per_language():
    assert {"the", "and", "not"} <= stopwords("en")
    assert {"der", "und", "nicht"} <= stopwords("de")
    assert "parking" not in stopwords("en")
    assert "radweg" not in stopwords("de")


def test_analyzer_drops_stopwords_numbers_and_stems():
    assert analyzer_for("en")("The nurses were not listening 24 hours") == ["nurs", "listen", "hour"]
    assert analyzer_for("en", drop_stopwords=False)("not the") == ["not", "the"]
    assert analyzer_for("de")("Die Radwege sind zu schmal") == ["radweg", "schmal"]


def test_analyzer_takes_its_parts_as_arguments():
    analyzer = Analyzer(str.split, str.upper, frozenset({"a"}))
    assert analyzer("a bb cc") == ["BB", "CC"]


def test_surface_forms_pick_most_frequent_word_per_stem():
    analyzer = analyzer_for("en")
    forms = surface_forms(["parking parking park", "parked"], analyzer)
    assert forms[snowball_stemmer("en")("parking")] == "parking"


def test_normalise_lowercases_and_unifies_apostrophes():
    assert normalise("Straße’s") == "straße's"


def test_unknown_language_is_refused():
    import pytest

    with pytest.raises(ValueError, match="unsupported language"):
        stopwords("fr")

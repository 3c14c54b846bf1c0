import numpy as np
import pytest

from analysis.extractive import (
    Space,
    candidate_sentences,
    centroid,
    excerpt,
    fast_analyzer,
    mmr,
    seeded_pick,
    seeded_sample,
    sentence_spans,
)
from analysis.text import analyzer_for


def sentences(text):
    return [text[s:e] for s, e in sentence_spans(text)]


def test_sentences_split_at_full_stops_but_not_after_known_abbreviations():
    text = ("Cllr. Patel said the St. Mary's hub works, e.g. for advice and food. No. 4 on the list is funding. "
            "Mr. Jones agreed, i.e. nobody objected etc. and then we moved on!  Was it enough? No.")
    assert sentences(text) == [
        "Cllr. Patel said the St. Mary's hub works, e.g. for advice and food.",
        "No. 4 on the list is funding.",
        "Mr. Jones agreed, i.e. nobody objected etc. and then we moved on!",
        "Was it enough?",
        "No.",
    ]


def test_sentences_split_at_line_breaks_and_are_slices_of_the_text():
    text = "  Barriers:\n- contracts are too large for us\n\n- payment is late  "
    spans = sentence_spans(text)
    assert [text[s:e] for s, e in spans] == ["Barriers:", "- contracts are too large for us", "- payment is late"]


def test_candidate_sentences_keep_quotable_lengths():
    texts = ["Too short. This sentence is long enough to be quoted in a report.", "Nothing."]
    found = candidate_sentences(texts)
    assert [(s.answer_index, texts[s.answer_index][s.start:s.end]) for s in found] == [
        (0, "This sentence is long enough to be quoted in a report.")
    ]


def test_seeded_sample_and_pick_are_repeatable_and_keep_order():
    items = list(range(1000))
    a = seeded_sample(items, 50, "0:p1")
    assert a == seeded_sample(items, 50, "0:p1") and a == sorted(a) and len(set(a)) == 50
    assert a != seeded_sample(items, 50, "1:p1")
    assert seeded_sample(items[:10], 50, 0) == items[:10]
    even = seeded_pick(items, 20, "s", lambda i: i % 2 == 0)
    assert even == seeded_pick(items, 20, "s", lambda i: i % 2 == 0)
    assert len(even) == 20 and all(i % 2 == 0 for i in even) and even == sorted(even)
    assert seeded_pick(items[:5], 20, "s", lambda i: i != 3) == [0, 1, 2, 4]


def test_fast_analyzer_matches_the_text_module():
    text = "Councils don't commission follow-up services; the charities’ 3 workers were commissioned twice."
    assert fast_analyzer("en")(text) == analyzer_for("en")(text)


@pytest.fixture(scope="module")
def space():
    docs = [
        "Short-term grants make it hard to keep staff and plan services.",
        "Grants that last one year mean we lose experienced staff every March.",
        "Longer grants would let us plan services and keep our staff.",
        "The tender documents were sixty pages long for a small contract.",
        "Parking at the community centre is difficult on Tuesdays.",
    ]
    return Space(fast_analyzer("en")).fit(docs), docs


def test_mmr_prefers_typical_rows_and_skips_near_copies(space):
    space, docs = space
    texts = [docs[0], docs[0], docs[1], docs[4]]  # a copy of the most typical text
    vectors = space.vectors(texts)
    center = centroid(space.vectors(docs[:3]))
    relevance = vectors @ center
    picked = mmr(vectors, relevance, 3)
    assert picked[0] in (0, 2) and 1 not in picked  # the copy is never picked after its original
    assert picked == mmr(vectors, relevance, 3)
    assert set(picked) == {0, 2, 3}
    assert mmr(vectors, relevance, 0) == [] and mmr(vectors[:0], relevance[:0], 3) == []


def test_centroid_is_unit_length_and_empty_space_is_harmless(space):
    space, docs = space
    assert np.linalg.norm(centroid(space.vectors(docs))) == pytest.approx(1.0)
    empty = Space(fast_analyzer("en")).fit(["the and of", ""])  # nothing but stopwords
    assert empty.vectors(["some text"]).shape[0] == 1
    assert not centroid(empty.vectors(["a", "b"])).any()


def test_excerpt_is_a_slice_centred_on_the_most_typical_sentence():
    short = "  Fund us for three years, not one.  "
    assert excerpt(short, {}) == "Fund us for three years, not one."
    text = " ".join(f"Sentence number {i} talks about something else entirely here." for i in range(12))
    spans = sentence_spans(text)
    chosen = spans[5]
    piece = excerpt(text, {chosen: 0.9}, max_words=20)
    assert piece in text and piece.startswith(text[chosen[0]:chosen[1]])
    assert len(piece.split()) <= 20
    run_on = "word " * 100
    assert excerpt(run_on, {}, max_words=10) == ("word " * 10).strip()

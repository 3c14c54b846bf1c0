"""Recommendations in respondents' own words, and the headlines made from them."""
from __future__ import annotations

import pytest

from analysis.prescriptive import headline, imperative_verbs, recommendation

VERBS = imperative_verbs()

RECOMMEND = {  # sentence -> headline (None: a recommendation, but not one that reads as a headline)
    "Councils should give three-year grants as standard so organisations can plan.":
        "Give three-year grants as standard so organisations can plan",
    "Fund the full cost of services, including overheads.": "Fund the full cost of services, including overheads",
    "Please make sure small groups hear about tenders at least three months ahead.":
        "Make sure small groups hear about tenders at least three months ahead",
    "Honestly, stop awarding contracts on the lowest price.": "Stop awarding contracts on the lowest price",
    "Ask the people who use services where the joins fail; they can tell you in five minutes.":
        "Ask the people who use services where the joins fail",
    "Residents should have a say in what their neighbourhood needs.":
        "Residents should have a say in what their neighbourhood needs",
    "A carer should not have to tell the same story to four different teams.":
        "A carer should not have to tell the same story to four different teams",
    "Councils should not buy care on price alone.": "Councils should not buy care on price alone",
    "In our view, the council must stop bundling services into county-wide lots.":
        "Stop bundling services into county-wide lots",
    "I urge the council to commission locally and to keep the money in our community.":
        "Commission locally and to keep the money in our community",
    "Local organisations already see the whole person, so councils should build around that.": None,
    "Support is welcome but it must not become favouritism towards particular groups.": None,
}
NOT = [
    "Paying on time, and in advance, would stop small groups going under.",
    "Support is welcome.",
    "Help with bidding, like the council's workshops for small providers, makes a real difference.",
    "Trust is everything in this kind of work.",
    "It should have been done years ago by the last administration.",
    "Should councils commission locally from small charities?",
    "If councils should do this, who will pay for it?",
    "We have to find the cash to run the service first.",
    "Twelve-month grants mean we spend a quarter of each year reapplying.",
    "Patients get discharged far too early, and end up back in hospital.",
    "I must say the staff were wonderful to my mother.",
]


@pytest.mark.parametrize("sentence", list(RECOMMEND))
def test_recommendations_and_their_headlines(sentence):
    found = recommendation(sentence, VERBS)
    assert found is not None
    made = headline(sentence, found)
    assert made == RECOMMEND[sentence]
    if made:  # a slice of the sentence, at least four words
        assert made[1:] in sentence and made[0].lower() == sentence[sentence.index(made[1:]) - 1].lower()
        assert len(made.split()) >= 4


@pytest.mark.parametrize("sentence", NOT)
def test_statements_questions_and_conditions_are_not_recommendations(sentence):
    assert recommendation(sentence, VERBS) is None


def test_a_long_recommendation_is_cut_at_a_comma_within_twenty_words():
    sentence = ("Councils should fund the full cost of every service they commission from local charities, including "
                "the building, the insurance, the manager and the time it takes to report on the work.")
    made = headline(sentence, recommendation(sentence, VERBS))
    assert made == ("Fund the full cost of every service they commission from local charities, including the building, "
                    "the insurance")
    assert len(made.split()) <= 20


def test_the_verb_list_is_shipped_and_read_without_downloads():
    assert {"fund", "stop", "give", "pay"} <= VERBS and "the" not in VERBS

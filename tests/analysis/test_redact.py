import json
from pathlib import Path

import pytest

from analysis.records import Span
from analysis.redact import DETECTORS, find_spans, nhs_number_ok, redact, score_redaction

DATA = Path(__file__).parent / "data"
CASES = DATA / "redaction_cases.jsonl"
HELD_OUT = DATA / "redaction_heldout.jsonl"
HELD_OUT_2 = DATA / "redaction_heldout2.jsonl"


def load_cases(path=CASES):
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return [(row["text"], [tuple(item) for item in row["pii"]]) for row in rows]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ring 07700 900123 today", "Ring [PHONE] today"),
        ("Tel +44 (0)118 496 0321.", "Tel [PHONE]."),
        ("mail a.b@example.org now", "mail [EMAIL] now"),
        ("NHS 943 476 5919", "NHS [NHS_NUMBER]"),
        ("NI AB123456C", "NI [NI_NUMBER]"),
        ("at 12 High Street, NE1 4LP", "at [ADDRESS], [POSTCODE]"),
        ("Dr Patel and nurse Sarah helped", "Dr [NAME] and nurse [NAME] helped"),
        ("card 4111 1111 1111 1111", "card [CARD]"),
        ("DOB 12/03/1985", "DOB [DATE_OF_BIRTH]"),
        ("Dr A. Patel and Dr. O'Neill", "Dr [NAME] and Dr. [NAME]"),
        ("The paramedics Jo and Steve", "The paramedics [NAME] and [NAME]"),
        ("Rob Smith said so", "[NAME] said so"),
        ("Emma Green was lovely", "[NAME] was lovely"),
    ],
)
def test_redacts_each_kind(text, expected):
    assert redact(text).text == expected


@pytest.mark.parametrize(
    "text",
    [
        "Will the clinic open?",
        "Call 111 or 999",
        "Order number 100045672",
        "Queen Elizabeth Hospital is far",
        "£23,500 a year",
        "Rob the bank? Sue them!",
        "training over MS teams, a hit and miss service",
        "the paramedics Were coming. Many thanks All staff",
        "Saw the nurse at Heather close",
    ],
)
def test_leaves_ordinary_text_alone(text):
    assert redact(text).text == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("see www.example.org/consultation/parking", "see [URL]"),
        ("petition: https://bit.ly/3xYz9Qa.", "petition: [URL]."),
        ("bit.ly/save-the-baths has photos", "[URL] has photos"),
        ("Landline 0113.496.0871 please", "Landline [PHONE] please"),
        ("Direct line 0114 496 0390 ext 2215, Tuesdays", "Direct line [PHONE], Tuesdays"),
        ("23a high st, bd7 1dp floods", "[ADDRESS], [POSTCODE] floods"),
        ("My flat (Flat 7, Riverside House) is damp", "My flat ([ADDRESS]) is damp"),
        ("Flat 2, 14 Orchard Court, HG1 2PQ", "[ADDRESS], [POSTCODE]"),
        ("Deliver to 77 St. Mary's Walk", "Deliver to [ADDRESS]"),
        ("sort code 20-00-00, account 31926819", "sort code [BANK], account [BANK]"),
        ("My name is sarah jenkins and I", "My name is [NAME] and I"),
        ("I'm Tomasz and I run the shop", "I'm [NAME] and I run the shop"),
        ("This is Lena from the allotments", "This is [NAME] from the allotments"),
        ("my son Jack has autism", "my son [NAME] has autism"),
        ("My mum, Joan Taylor, is 84", "My mum, [NAME], is 84"),
        ("my wife siobhan was discharged", "my wife [NAME] was discharged"),
        ("Dr. patel was brilliant", "Dr. [NAME] was brilliant"),
        ("Please ask for Rev. Thompson", "Please ask for Rev. [NAME]"),
        ("The physio, Kwame, got me walking", "The physio, [NAME], got me walking"),
        ("a lady called Denise said", "a lady called [NAME] said"),
        ("Speak to Bill in housing", "Speak to [NAME] in housing"),
        ("fix it. cheers, mike", "fix it. cheers, [NAME]"),
        ("thanks for reading, lisa", "thanks for reading, [NAME]"),
        ("Kind regards, J. Smith", "Kind regards, [NAME]"),
        ("Regards,\nMr K Singh", "Regards,\nMr [NAME]"),
        ("Many thanks\nTomasz Kowalczyk\nChair", "Many thanks\n[NAME]\nChair"),
        ("Keep it open.\n- Bev", "Keep it open.\n- [NAME]"),
    ],
)
def test_redacts_cases_missed_before(text, expected):
    assert redact(text).text == expected


@pytest.mark.parametrize(
    "text",
    [
        "20 high street shops have closed",
        "a 10 minute drive to 5 minutes walk",
        "About 40 houses on Mill Lane flooded",
        "The 42 bus on Kirkstall Road is late",
        "All good Thank You Prompt service.",
        "It was great, thank you. Old people, we need help",
        "I saw the dr. today",
        "The Dr Foster hospital guide",
        "John Lewis closing has killed the town",
        "I'm British and I'm Disappointed",
        "this is Ridiculous",
        "Doc, Dentist, Nurses etc. are poor",
        "Thanks for listening.",
        "Many thanks\nAge UK Leeds",
        "my grandson I'm not sure when",
        "Ward 12, bay 3, bed 6. Order number 1234567890. 09:30-10:30 on 1.5.2024, £1,200.",
    ],
)
def test_leaves_lookalikes_alone(text):
    assert redact(text).text == text


def test_trigger_checks_change_nothing():
    """Detectors skipped for want of a digit, '@' or URL hint would have found nothing."""
    for text, _ in load_cases(CASES) + load_cases(HELD_OUT):
        assert find_spans(text) == find_spans(text, DETECTORS), text


def test_nhs_number_check_digit():
    assert nhs_number_ok("9434765919")
    assert not nhs_number_ok("9434765918")
    assert not nhs_number_ok("943476591")


def test_spans_point_into_the_original_text():
    text = "Email jo@example.com or ring 07700 900123"
    spans = find_spans(text)
    assert [(text[s.start : s.end], s.label) for s in spans] == [
        ("jo@example.com", "EMAIL"),
        ("07700 900123", "PHONE"),
    ]


def test_overlaps_keep_the_longest_span():
    detectors = [lambda t: [Span(0, 4, "A")], lambda t: [Span(2, 9, "B")]]
    assert redact("abcdefghij", detectors).text == "ab[B]j"


def test_score_counts_misses_and_over_redaction():
    score = score_redaction([("Ring 07700 900123, Kwame", [("PHONE", "07700 900123"), ("NAME", "Kwame")]), ("Emma", [])])
    assert (score.gold, score.recall) == (2, 0.5)
    assert score.missed == (("NAME", "Kwame"),)
    assert score.spurious == ("Emma",)
    assert score.precision == 0.5


def test_labelled_uk_set_recall_and_precision():
    """The 109 cases the first rules were tuned on (their last 30 lines scored recall 0.86
    when first run)."""
    score = score_redaction(load_cases())
    assert score.gold >= 50
    assert score.recall >= 0.97, score.missed
    assert score.precision >= 0.97, score.spurious


def test_held_out_recall_and_precision():
    """Held-out set 1 (217 texts) was written before the rules were read: recall 0.767,
    precision 0.977 then. The rules were then tuned on it (0.994 / 1.000)."""
    score = score_redaction(load_cases(HELD_OUT))
    assert score.gold >= 150
    assert score.recall >= 0.97, score.missed
    assert score.precision >= 0.97, score.spurious


def test_second_held_out_recall_and_precision():
    """Held-out set 2 (128 texts) was written before the rules were read or changed and
    scored once, after all tuning: recall 0.891, precision 0.968 (the first rules: 0.743,
    0.952). Its misses (names after unlisted cues, streets without a street word) are
    left as they are so that the figure stays honest; do not tune on this file."""
    score = score_redaction(load_cases(HELD_OUT_2))
    assert score.gold >= 100
    assert score.recall >= 0.88, score.missed
    assert score.precision >= 0.95, score.spurious

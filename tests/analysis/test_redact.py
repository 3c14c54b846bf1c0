import json
from pathlib import Path

import pytest

from analysis.records import Span
from analysis.redact import DETECTORS, find_spans, redact, score_redaction
from analysis.redact_numbers import nhs_number_ok

DATA = Path(__file__).parent / "data"
CASES = DATA / "redaction_cases.jsonl"
HELD_OUT = DATA / "redaction_heldout.jsonl"
HELD_OUT_2 = DATA / "redaction_heldout2.jsonl"
HELD_OUT_3 = DATA / "redaction_heldout3.jsonl"
HELD_OUT_4 = DATA / "redaction_heldout4.jsonl"
DEV_5 = DATA / "redaction_dev5.jsonl"
HELD_OUT_5 = DATA / "redaction_heldout5.jsonl"


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
    score = score_redaction([("Ring 07700 900123, Zx", [("PHONE", "07700 900123"), ("NAME", "Zx")]), ("Emma", [])])
    assert (score.gold, score.recall) == (2, 0.5)
    assert score.missed == (("NAME", "Zx"),)
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
    """Held-out set 2 (128 texts) was written before the rules were read and scored 0.891 / 0.968
    then (the first rules: 0.743, 0.952). The rules of issue 20 were tuned on it: 0.980 / 0.980."""
    score = score_redaction(load_cases(HELD_OUT_2))
    assert score.gold >= 100
    assert score.recall >= 0.97, score.missed
    assert score.precision >= 0.97, score.spurious


# Sets each written apart from the rules (set 5's development set from the classes of error set 4 showed),
# scored once when a round of rules was done, then tuned on by the next round:
# - set 3 (246 texts, 85 clean): recall 0.877, precision 0.978, 81 of 85 clean kept (the rules before: 0.374,
#   68 of 85); tuned on in the second round of issue 20.
# - set 4 (249 texts, 74 clean): recall 0.896, precision 0.934, 63 of 74 kept (the first round's rules: 0.817,
#   64 of 74); tuned on in the third round.
# - development set 5 (476 texts, 332 clean), written for the third round: the rules before it scored recall
#   0.769, precision 0.708, 278 of 332 kept.
# - set 5 (336 texts, 100 clean): recall 0.924, precision 0.951, 92 of 100 kept; tuned on in the fourth round.
# Set 6 is the held-out set now (analysis/README.md), scored only by `python -m analysis evaluate`.
@pytest.mark.parametrize(
    ("path", "min_texts", "min_clean", "recall", "precision", "clean_damaged"),
    [(HELD_OUT_3, 240, 50, 0.99, 0.99, 0), (HELD_OUT_4, 240, 50, 0.98, 0.98, 0), (DEV_5, 400, 300, 0.98, 0.98, 0),
     (HELD_OUT_5, 330, 100, 0.99, 0.97, 1)],
    ids=lambda value: value.stem if isinstance(value, Path) else None,
)
def test_tuned_on_sets_recall_and_clean_texts_kept(path, min_texts, min_clean, recall, precision, clean_damaged):
    cases = load_cases(path)
    score = score_redaction(cases)
    clean = [text for text, items in cases if not items]
    assert len(cases) >= min_texts and len(clean) >= min_clean
    assert score.recall >= recall, score.missed
    assert score.precision >= precision, score.spurious
    assert sum(redact(text).text != text for text in clean) <= clean_damaged


# Issue 20: every shape the issue lists, with examples written for these tests (not taken from
# the held-out set, which is only scored).
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # names of many origins, without a cue, whole
        ("The lunch club run by Katarzyna Wróbel lost its grant", "The lunch club run by [NAME] lost its grant"),
        ("Our treasurer Bartłomiej Szymański keeps the books", "Our treasurer [NAME] keeps the books"),
        ("Aled Pritchard and Cerys Morgan run the choir", "[NAME] and [NAME] run the choir"),
        ("Abdirahman Farah leads the elders' group", "[NAME] leads the elders' group"),
        ("Ask Seamus O'Donoghue about the rota", "Ask [NAME] about the rota"),
        ("Hamish Urquhart-Ross drives the minibus", "[NAME] drives the minibus"),
        ("Thanks to Gurpreet Kaur Sandhu for the translations", "Thanks to [NAME] for the translations"),
        ("Adebayo Okonkwo set up the homework club", "[NAME] set up the homework club"),
        ("Our chair Marieke de Vries wrote to you", "Our chair [NAME] wrote to you"),
        ("Dr Aoife O'Driscoll came", "Dr [NAME] came"),
        ("Peter J. Hallam and his wife run the shed", "[NAME] and his wife run the shed"),
        # lower case and capitals
        ("karen stott runs the café", "[NAME] runs the café"),
        ("please thank michael obrien for me", "please thank [NAME] for me"),
        ("MRS DOREEN ASPINALL HAS NO CARER", "MRS [NAME] HAS NO CARER"),
        ("MY NEIGHBOUR DENNIS HOLROYD IS 90 AND ALONE", "MY NEIGHBOUR [NAME] IS 90 AND ALONE"),
        # lists of first names
        ("Volunteers Tariq, Lena and Joyce open the pantry", "Volunteers [NAME], [NAME] and [NAME] open the pantry"),
        ("Thanks to Rose and Tom Birtwistle for the garden", "Thanks to [NAME] and [NAME] for the garden"),
        # titles and sign-offs
        ("Mr Chaudhry from the mosque was never asked", "Mr [NAME] from the mosque was never asked"),
        ("Best wishes,\nEirlys", "Best wishes,\n[NAME]"),
    ],
)
def test_finds_people_without_patterns(text, expected):
    assert redact(text).text == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("we live at 102 oak tree rd near the school", "we live at [ADDRESS] near the school"),
        ("Unit 9 Riverside Yard is where we meet", "[ADDRESS] is where we meet"),
        ("she is at number 8 on Rowan Way", "she is at [ADDRESS]"),
        ("I live on Ffordd Newydd, number 22.", "I live on [ADDRESS]."),
        ("Mam lives at 7 Heol Pen-y-Bryn", "Mam lives at [ADDRESS]"),
        ("14 Ffordd y Capel floods every winter", "[ADDRESS] floods every winter"),
        ("3 Stryd Fawr", "[ADDRESS]"),
        ("6 The Sidings", "[ADDRESS]"),
        ("c/o 15 Market Street", "[ADDRESS]"),  # "c/o" goes with the address, as labelled in set 5
        ("Ivy Cottage, Mill Lane has no bus", "[ADDRESS] has no bus"),
        ("77 KINGS ROAD", "[ADDRESS]"),
        ("Flat 2/3, 40 Paisley Rd", "[ADDRESS]"),
        ("1st floor flat, 12 Beech Avenue", "[ADDRESS]"),
        ("Apartment 12, Canal Wharf, 5 Water Lane", "[ADDRESS]"),
        ("Postcode: M4  5JD", "Postcode: [POSTCODE]"),
        ("postcode ls2 9jt", "postcode [POSTCODE]"),
        ("my postcode is SK1O 3TB", "my postcode is [POSTCODE]"),
        ("we are in NE4 OBA now", "we are in [POSTCODE] now"),
        ("B12 9 QT", "[POSTCODE]"),
        ("born on the 4th of July 1966", "born on the [DATE_OF_BIRTH]"),
        ("DOB 1972-11-03", "DOB [DATE_OF_BIRTH]"),
        ("she was born 9 Feb 1988 and", "she was born [DATE_OF_BIRTH] and"),
        ("date of birth: 3.3.93", "date of birth: [DATE_OF_BIRTH]"),
        ("born on October 2nd, 1950", "born on [DATE_OF_BIRTH]"),
        ("email is pat dot jones at yahoo dot co dot uk", "email is [EMAIL]"),
        ("mary_k (at) gmail (dot) com", "[EMAIL]"),
        ("write to j.smith(at)example.org please", "write to [EMAIL] please"),
        ("lee [at] example [dot] org", "[EMAIL]"),
        ("ni number zx 98 76 54", "ni number [NI_NUMBER]"),
        ("NI: AA-11-22-33-A", "NI: [NI_NUMBER]"),
        ("NI BG 12 34 56 D", "NI [NI_NUMBER]"),
        ("my national insurance number is KM 123456", "my national insurance number is [NI_NUMBER]"),
        ("see @longer_handle_for_insta on instagram", "see [HANDLE] on instagram"),
    ],
)
def test_redacts_every_shape_of_issue_20(text, expected):
    assert redact(text).text == expected


@pytest.mark.parametrize(
    "text",
    [
        "The Joseph Rowntree Foundation said so in 2023",
        "Marie Curie and Sue Ryder nurses came to the house",
        "It is robbing Peter to pay Paul",
        "Not any Tom, Dick or Harry can run a befriending service",
        "The Paul Hamlyn Foundation and the Henry Smith Charity fund us",
        "Keeping up with the Joneses on bid documents is hard",
        "The Chancellor, Rachel Reeves, promised multi-year settlements",
        "When Andy Burnham became Mayor of Greater Manchester",
        "Sir Michael Marmot's review said the same",
        "Barry and Penarth share a family centre",
        "Our groups in Stanley and Consett",
        "Milton Keynes did this in 2019",
        "The Isle of Lewis has one bus",
        "Queen Elizabeth Hospital is far",
        "St Helens lost its advice centre",
        "The Dorothy House hospice has a shop",
        "a Tesla charger in the car park",
        "We had £12,500 from 1 April 2021 to 31 March 2024",
        "Reference AB 12 34 56 for the grant",
        "it's on the M6 one way",
        "The service was born in 1998 out of a tenants' campaign",
        "Any hope of a fair tender went",
        "Will the council publish the scoring?",
    ],
)
def test_keeps_clean_lookalikes_of_issue_20(text):
    assert redact(text).text == text


def test_spans_carry_the_kind_for_the_coding_screen():
    text = "Ring Hodan Warsame on 07700 900123"
    result = redact(text)
    assert [(s.label, text[s.start : s.end]) for s in result.spans] == [("NAME", "Hodan Warsame"), ("PHONE", "07700 900123")]
    assert result.text == "Ring [NAME] on [PHONE]"


def test_a_plain_at_is_no_email():
    assert redact("meet at bbc.co.uk").text == "meet at [URL]"
    assert redact("email sam at hotmail.co.uk").text == "email [EMAIL]"


def test_a_value_labelled_twice_is_two_places():
    score = score_redaction([("Amir Haddad speaks Farsi. Amir is great", [("NAME", "Amir Haddad"), ("NAME", "Amir")])])
    assert score.recall == 1.0 and score.precision == 1.0

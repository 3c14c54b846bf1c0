"""Issue 20, seventh round: the classes that held-out set 8 showed missed or damaged, each with examples
written for these tests (other names, streets and numbers than the set's), and clean look-alikes that must
come back unchanged."""

import pytest

from analysis.redact import redact


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a number the text names as an NHS number or a card is redacted whatever its check digit
        ("my NHS no. is 123 456 7890 if that helps", "my NHS no. is [NHS_NUMBER] if that helps"),
        ("NHS: 1112223334. Please don't lose it.", "NHS: [NHS_NUMBER]. Please don't lose it."),
        ("My health number (NHS) is 222-333-4445.", "My health number (NHS) is [NHS_NUMBER]."),
        ("they took it from my debit card, 4000 1234 5678 9011, twice", "they took it from my debit card, [CARD], twice"),
        ("the full number 5100-2222-3333-4445 was on the receipt", "the full number [CARD] was on the receipt"),
        # a name found once is redacted wherever it stands again, its initials and an initial before it too
        ("My neighbour Ezekiel Mwangi at 9 Rope Walk lost his carer. Ezekiel is 88.",
         "My neighbour [NAME] at [ADDRESS] lost his carer. [NAME] is 88."),
        ("A letter for 'Mrs Okafor' went to the wrong house; I'm Chiamaka Okafor.",
         "A letter for 'Mrs [NAME]' went to the wrong house; I'm [NAME]."),
        ("I sign as TG (Teodora Grigore), retired teacher.", "I sign as [NAME] ([NAME]), retired teacher."),
        ("name on the account: R Castellano", "name on the account: [NAME]"),
        # lists of names joined by "+" or with "wee" before one, kin with "wee", "ask for Big ..."
        ("thanks to Dobbo, Tezza and wee Gavin at the boxing club", "thanks to [NAME], [NAME] and wee [NAME] at the boxing club"),
        ("My wee girl Saoirse started at the nursery in May.", "My wee girl [NAME] started at the nursery in May."),
        ("Phone the hall and ask for Big Tam.", "Phone the hall and ask for [NAME]."),
        ("ta very much, from Kezia (and her mum)", "ta very much, from [NAME] (and her mum)"),
        ("thankyou from Imogen", "thankyou from [NAME]"),
    ],
)
def test_seventh_round_finds(text, expected):
    assert redact(text).text == expected


@pytest.mark.parametrize(
    "text",
    [
        "Call NHS 111 first; the ICB's contract ref is NHS-CS-0045127.",
        "The 10 year plan has 3 shifts and 1234 pages, give or take.",
        # a name found does not spread to another person's name or to a place of the same name
        "The Mayor, Cllr Anwar Qureshi, opened it; Qureshi Hall is named after his grandfather.",
        "Will you fund us? Mark the date: the vote is in March.",
    ],
)
def test_seventh_round_keeps(text):
    assert redact(text).text == text


def test_a_found_name_does_not_spread_to_a_namesake_in_office_or_a_place():
    out = redact("The Mayor, Cllr Harpreet Sandhu, opened the hall, but his aunt, Gurdeep Kaur Sandhu, raised the money.").text
    assert out == "The Mayor, Cllr Harpreet Sandhu, opened the hall, but his aunt, [NAME], raised the money."
    out = redact("Mavis Ashby runs the lunch club in Ashby and has done for years.").text
    assert out == "[NAME] runs the lunch club in Ashby and has done for years."

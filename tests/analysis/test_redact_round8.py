"""Issue 20, sets 14 and 15 (a balanced set, and young people's answers in social-media style): the classes they
showed missed or damaged, with examples written for these tests."""

import pytest

from analysis.redact import redact


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kez, Ollie and me (Fin) run the junior session.", "[NAME], [NAME] and me ([NAME]) run the junior session."),
        ("Our son's name is Idris and he loves the club.", "Our son's name is [NAME] and he loves the club."),
        ("hiya it's Tanisha here from the dance group", "hiya it's [NAME] here from the dance group"),
        ("the studio has decks and Marcus (youth worker) teaches us", "the studio has decks and [NAME] (youth worker) teaches us"),
        ("Please pass this to Priya at the CVS.", "Please pass this to [NAME] at the CVS."),
        ("— Keeley, 19, former member of the youth forum", "— [NAME], 19, former member of the youth forum"),
        ("From: Dominic Ashworth <d.ashworth@gmail.com>\nSent: Monday", "From: [NAME] <[EMAIL]>\nSent: Monday"),
        ("The family I mentioned, the Hussains at the end house, were moved.", "The family I mentioned, the [NAME] at the end house, were moved."),
        ("I babysit for our neighbours, the O'Connor family.", "I babysit for our neighbours, the [NAME] family."),
        ("Our boy Rhys was born on the 3rd of May 2011.", "Our boy [NAME] was born on the [DATE_OF_BIRTH]."),
        ("Please post any reply to Apartment 7, 14 Riverside, Leeds LS1 4AB.", "Please post any reply to [ADDRESS] [POSTCODE]."),
        ("the bins at no 12 and 14 Ash Grove were missed", "the bins at [ADDRESS] were missed"),
        ("Send the reply to 3 Argyle Street please, G2 8dz", "Send the reply to [ADDRESS] please, [POSTCODE]"),
    ],
)
def test_round_eight_finds(text, expected):
    assert redact(text).text == expected


@pytest.mark.parametrize(
    "text",
    [
        "Follow @UKYouth and @BBCSport for the national picture.",
        "Visit www.keepitlocal.network for the campaign's background.",
        "Our group: facebook.com/groups/millfieldparents - it's public.",
        "PO Box 4321 is the council's address for forms, not mine.",
        "Lots of people called Jones live here.",
        "The charity 'Gobaith' in Merthyr does great work.",
        "Our mosque, Masjid Al-Noor, opens the hall on Fridays.",
        "Our scout group (3rd Heaton) meets on Mondays.",
        "Heather, Holly, Ivy, Rowan — the names of our four youth groups.",
        "Marcus Rashford did more for free school meals than the council.",
        "The A470 at Merthyr was closed again.",
    ],
)
def test_round_eight_keeps(text):
    assert redact(text).text == text


def test_the_names_of_a_committee_are_still_names():
    out = redact("Ahmed, Begum, Chowdhury, Miah — the names on our committee in 1979.").text
    assert "Begum" not in out and "Chowdhury" not in out

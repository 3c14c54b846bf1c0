"""Issue 20, third round: each class of error the fourth held-out set showed, with examples written
for these tests (not taken from the labelled sets), and the clean look-alikes that must stay."""

import pytest

from analysis.redact import redact
from analysis.redact_context import whole_words
from analysis.records import Span


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # letters outside ASCII after a title, in capitals after a title
        ("Mr and Mrs Wójcik foster for the borough", "Mr and Mrs [NAME] foster for the borough"),
        ("Ask Mr Kuźniar about the rota", "Ask Mr [NAME] about the rota"),
        ("Mrs Şahin runs the swimming session", "Mrs [NAME] runs the swimming session"),
        ("Ms Ó Ceallaigh is our link worker", "Ms [NAME] is our link worker"),
        ("MRS JADWIGA NOWAK RUNS THE PANTRY", "MRS [NAME] RUNS THE PANTRY"),
        ("MR DYFED PRYCE OF THE BOWLS CLUB WROTE", "MR [NAME] OF THE BOWLS CLUB WROTE"),
        ("DR ÓLAFUR SIGURÐSSON IS AT THE SURGERY", "DR [NAME] IS AT THE SURGERY"),
        # possessives in lower case (the "'s" goes with the name, as elsewhere)
        ("karen's son goes to the club", "[NAME] son goes to the club"),
        ("the kids love dave's football sessions", "the kids love [NAME] football sessions"),
        ("sue's husband drives the bus", "[NAME] husband drives the bus"),
        # lists and pairs of first names, in any case
        ("Anwen, Nerys and Carys clean the chapel", "[NAME], [NAME] and [NAME] clean the chapel"),
        ("volunteers like gethin and sioned keep it going", "volunteers like [NAME] and [NAME] keep it going"),
        ("PLEASE THANK MARGARET AND TERRY FOR THE FLOWERS", "PLEASE THANK [NAME] AND [NAME] FOR THE FLOWERS"),
        ("thanks to gwen and dilys for the lifts", "thanks to [NAME] and [NAME] for the lifts"),
        ("Thanks to kofi asante and ngozi okafor", "Thanks to [NAME] and [NAME]"),
        ("jadwiga and her husband Marek clean the hall", "[NAME] and her husband [NAME] clean the hall"),
        # names in lower case, and the whole name once any part is found
        ("i spoke to kerry from the council", "i spoke to [NAME] from the council"),
        ("the form was filled in by gareth for his nan", "the form was filled in by [NAME] for his nan"),
        ("Ciarán O'Driscoll does the accounts", "[NAME] does the accounts"),
        ("Li Xiaoming cooks for the lunch club", "[NAME] cooks for the lunch club"),
        ("This is from Bogdan, secretary of the allotments.", "This is from [NAME], secretary of the allotments."),
        ("Diolch,\nHeledd", "Diolch,\n[NAME]"),
        ("Jane Smith (née Evans) ran the playgroup", "[NAME] (née [NAME]) ran the playgroup"),
        ("Tony 'Tiny' Pugh coaches the juniors", "[NAME] coaches the juniors"),
        ("Aled's wife Sue bakes for the café", "[NAME] wife [NAME] bakes for the café"),
        ("Cllr. O'Donnell-Byrne promised to come", "Cllr. [NAME] promised to come"),
        ("ask for tom at the boxing club", "ask for [NAME] at the boxing club"),
        ("We spoke to someone called Blessing at the office", "We spoke to someone called [NAME] at the office"),
        # addresses: Welsh streets in lower case, "Glan yr", house names, rooms
        ("we are at number 9 maes yr haf", "we are at number [ADDRESS]"),
        ("Send it to 3 Glan yr Afon, Llanrwst.", "Send it to [ADDRESS], Llanrwst."),
        ("I live at 8 Ael y Bryn, which floods.", "I live at [ADDRESS], which floods."),
        ("Send it to 17 heol-y-nant, Cardiff.", "Send it to [ADDRESS], Cardiff."),
        ("Write to me at Hafod, Ffordd Penrhos, Bangor.", "Write to me at [ADDRESS], Bangor."),
        ("Donations c/o The Old Rectory, Mill Lane", "Donations [ADDRESS]"),
        ("I rent room 4, 9 Albert Crescent, and it is damp", "I rent [ADDRESS], and it is damp"),
        ("22a kingsley terr is where parcels go", "[ADDRESS] is where parcels go"),
        ("4 KIRK BRAE, AB10 1XY", "[ADDRESS], [POSTCODE]"),
        # postcodes with odd spacing, lower case, O for 0
        ("Postcode CF10  1AB", "Postcode [POSTCODE]"),
        ("the drop-in moved to ll55 4ty", "the drop-in moved to [POSTCODE]"),
        ("my postcode is SA1 OAB", "my postcode is [POSTCODE]"),
        # NI numbers in every shape
        ("NI no. AB123456", "NI no. [NI_NUMBER]"),
        ("NINO: OO123456C", "NINO: [NI_NUMBER]"),
        ("national insurance number: ab-12-34-56-d", "national insurance number: [NI_NUMBER]"),
        ("my NI number is QQ 123 456 C", "my NI number is [NI_NUMBER]"),
        ("national insurance JK.12.34.56.B", "national insurance [NI_NUMBER]"),
        # dates of birth in running text
        ("Alun (b. 4/6/52) is our oldest walker", "[NAME] (b. [DATE_OF_BIRTH]) is our oldest walker"),
        ("My mum, born 3rd March 1931, walks there", "My mum, born [DATE_OF_BIRTH], walks there"),
        ("My son was born on 15 May 2011 and uses the club", "My son was born on [DATE_OF_BIRTH] and uses the club"),
        ("I was born 22-Nov-1975.", "I was born [DATE_OF_BIRTH]."),
        ("born November the 22nd, 1975", "born [DATE_OF_BIRTH]"),
        ("date of birth 1975/11/22", "date of birth [DATE_OF_BIRTH]"),
        ("I'm a pensioner, born 1947-08-14.", "I'm a pensioner, born [DATE_OF_BIRTH]."),
        ("Born on 3 March 1950, I have lived here all my life.", "Born on [DATE_OF_BIRTH], I have lived here all my life."),
        # e-mails spelled out, spaced out or half redacted
        ("Write to olek.nowak @ wp . pl for the group", "Write to [EMAIL] for the group"),
        ("email: bev_w(at)hotmail(dot)co(dot)uk", "email: [EMAIL]"),
        ("contact: nerys[dot]lewis[at]gmail[dot]com", "contact: [EMAIL]"),
    ],
)
def test_redacts_each_class_the_fourth_set_missed(text, expected):
    assert redact(text).text == expected


@pytest.mark.parametrize(
    "text",
    [
        # people of history and fiction, idioms
        "Aneurin Bevan founded the NHS on the idea of local care.",
        "Nye Bevan would be ashamed of community health in Tredegar.",
        "Story time with Peter Rabbit and Winnie the Pooh is the busiest hour.",
        "The panto was Aladdin and Widow Twankey got the biggest laugh.",
        "When the grant came we were as happy as Larry.",
        "Before you could say Jack Robinson the building was sold.",
        "Since Margaret Thatcher's right to buy there is nowhere to rent.",
        "Mr Blobby turned up at the fun day.",
        "Edward Jenner discovered vaccination and our clinic still gives jabs.",
        "Matthew, Mark, Luke and John were the names of the church minibuses.",
        # public figures in their public role
        "Marcus Rashford showed how much holiday meals matter.",
        "The Welsh Government minister Jane Hutt visited last year.",
        "Gary Lineker tweeted about the pool closure.",
        # places and streets named like people
        "The centre in Barry closed and the nearest is in Penarth.",
        "The shops on Charles Street have been boarded up.",
        "Kings Road and Victoria Street are both closing.",
        "Martin's Lane is where the old surgery was.",
        "Rose Hill allotments flooded again.",
        "The Lady Margaret Hall rents for fifty pounds an hour.",
        # organisations named after people, Welsh organisation names
        "The Ellen MacArthur Foundation talks about repair.",
        "Maggie's centres show what a building can do.",
        "Menter Iaith Môn runs Welsh classes for adults.",
        "Cylch Meithrin Llanrug is run by parents.",
        "Ysbyty Gwynedd discharges patients with no one at home.",
        "Diolch am y cyfle.",
        "Tŷ Hafan looked after my niece.",
        "My mum has Alzheimer's and my son has Asperger's.",
        # births that are not a person's
        "The NHS was born on 5 July 1948.",
        "Our charity was born on 1 June 1999 at a kitchen table.",
        "Our club's birthday is 3 March 1952.",
        "The NHS, born on 5 July 1948, is local.",
        "Born on 5 July 1948, the NHS was meant to be local.",
        "Albert Park has no toilets.",
        "The Darby and Joan club meets on Tuesdays.",
        # lists of places, streets beside a heading
        "I go to Darlington, James Cook, Sedgefield and Durham.",
        "Kentucky and Adams streets should be two-way roads.",
        "my dad couldn't even get to the toilet",
        # run-on answers and sign-offs by groups
        "I waited 6 hours to speak to a doctor. Nothing.",
        "Felt better after talking to the nurse. Palpitations.",
        "Best wishes, Penarth Pensioners' Forum",
        "Peter and the Wolf was the school concert.",
    ],
)
def test_keeps_clean_lookalikes_of_each_class(text):
    assert redact(text).text == text


def test_a_public_figure_named_as_ones_own_is_redacted():
    assert redact("My neighbour Ruth Jones is 90 and alone.").text == "My neighbour [NAME] is 90 and alone."
    assert redact("Our MP, Stephen Kinnock, came to the fun day.").text == "Our MP, Stephen Kinnock, came to the fun day."


def test_spans_grow_to_whole_words():
    text = "Mrs Szymański"
    assert whole_words(text, [Span(4, 9, "NAME")]) == [Span(4, 13, "NAME")]
    assert whole_words(text, [Span(4, 13, "NAME")]) == [Span(4, 13, "NAME")]

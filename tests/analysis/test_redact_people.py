"""People's names that no list holds, found by the word model and context (issue 20, second
round), and the look-alikes that must stay. Examples written for these tests, not taken from
the held-out sets (which are only scored)."""

import pytest

from analysis.redact import redact
from analysis.redact_lexicon import fold, kind_of, misspelt_word
from analysis.redact_model import NAME_LIKE, name_score


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # many origins, no cue
        ("The forum was set up by Jarosław Kubiak and Beata Sikorska.", "The forum was set up by [NAME] and [NAME]."),
        ("Meinir Gwilym runs the Welsh-medium playgroup.", "[NAME] runs the Welsh-medium playgroup."),
        ("Aneirin Huws and Trystan Rhydderch drive the community car.", "[NAME] and [NAME] drive the community car."),
        ("Sahra Egal translates for the elders every Friday.", "[NAME] translates for the elders every Friday."),
        ("Huang Mei and Tang Wei set up the storytelling group.", "[NAME] and [NAME] set up the storytelling group."),
        ("Kirsteen MacPhail organised the ceilidh.", "[NAME] organised the ceilidh."),
        ("Aisling Ní Mhurchú teaches the Irish class.", "[NAME] teaches the Irish class."),
        ("Donncha Ó Ceallaigh runs the men's shed.", "[NAME] runs the men's shed."),
        ("Obinna Nwankwo coaches the under-12s for nothing.", "[NAME] coaches the under-12s for nothing."),
        ("Mihaela Dumitrescu helps with school forms.", "[NAME] helps with school forms."),
        ("Jonas Petraitis and Milica Jovanović both lost their hours.", "[NAME] and [NAME] both lost their hours."),
        ("The choir is led by Emyr Tudur-Jones.", "The choir is led by [NAME]."),
        ("Our thanks to Olamide Bankole-Hughes for the bid.", "Our thanks to [NAME] for the bid."),
        # lower case and capitals
        ("krystyna pawlak has cleaned the hall since 2015", "[NAME] has cleaned the hall since 2015"),
        ("lachlan dunbar from the bowls club asked me to reply", "[NAME] from the bowls club asked me to reply"),
        ("MRS FARZANA HUSSAIN HAS NOT HAD A CARE REVIEW", "MRS [NAME] HAS NOT HAD A CARE REVIEW"),
        ("RAJINDER BAINS AND TATIANA RUSU RUN THE FOOD BANK", "[NAME] AND [NAME] RUN THE FOOD BANK"),
        ("HUW AP IORWERTH ASKED ME TO WRITE THIS", "[NAME] ASKED ME TO WRITE THIS"),
        ("A letter from GLENYS ABRAHAMS, resident for 40 years", "A letter from [NAME], resident for 40 years"),
        # lists
        ("Volunteers Sahra, Obinna, Meinir and Lachlan kept the café open.",
         "Volunteers [NAME], [NAME], [NAME] and [NAME] kept the café open."),
        ("Volunteers Faadumo, Hodo and Ubah cooked.", "Volunteers [NAME], [NAME] and [NAME] cooked."),
        ("The drivers (Andrei, Tatiana, Kwesi and Ailsa) are unpaid.",
         "The drivers ([NAME], [NAME], [NAME] and [NAME]) are unpaid."),
        ("thanks to dot and kev at the hub", "thanks to [NAME] and [NAME] at the hub"),
        # titles, roles, kin, cues
        ("Our treasurer, Nikolai Hristov, keeps the accounts.", "Our treasurer, [NAME], keeps the accounts."),
        ("Dr Nwankwo at the health centre sends people to us.", "Dr [NAME] at the health centre sends people to us."),
        ("dr. o'hare would not listen", "dr. [NAME] would not listen"),
        ("sister gallagher was kind to mum", "sister [NAME] was kind to mum"),
        ("Ask anyone about Auntie Val, she feeds the street.", "Ask anyone about Auntie [NAME], she feeds the street."),
        ("my son harvey has autism", "my son [NAME] has autism"),
        ("her sister ifrat runs the class", "her sister [NAME] runs the class"),
        ("someone called tyler at the call centre", "someone called [NAME] at the call centre"),
        ("My carer is called Tsitsi Moyo.", "My carer is called [NAME]."),
        ("Written by jakub for the parents", "Written by [NAME] for the parents"),
        ("Ask Tomek at the Polish shop.", "Ask [NAME] at the Polish shop."),
        # possessives and nicknames
        ("Fartun Aden's homework club has sixty children.", "[NAME] homework club has sixty children."),
        ("I'm writing as Maryam's mum.", "I'm writing as [NAME] mum."),
        ("Our Shaz does the books and the raffle.", "Our [NAME] does the books and the raffle."),
        ("Daz from the boxing club keeps the lads busy.", "[NAME] from the boxing club keeps the lads busy."),
        ("Talk to Big Dai at the rugby club.", "Talk to [NAME] at the rugby club."),
        # signed
        ("Yours faithfully,\nAndrei Ciobanu", "Yours faithfully,\n[NAME]"),
        ("Signed, Zofia Kamińska (chair)", "Signed, [NAME] (chair)"),
    ],
)
def test_finds_names_no_list_holds(text, expected):
    assert redact(text).text == expected


@pytest.mark.parametrize(
    "text",
    [
        # organisations named after people, with their heads or as kept phrases
        "The Bevan Foundation says child poverty in Wales is rising.",
        "The Carnegie UK Trust and the Baring Foundation both fund small groups.",
        "Dr Martens factory shop traffic clogs the lane.",
        "The Aneurin Leisure Trust runs the pool.",
        "It was named after Tom Jones.",
        # idioms and stories
        "It is a case of the emperor's new clothes.",
        "Hobson's choice again.",
        # public figures in their public role
        "The Welsh Government's First Minister, Eluned Morgan, said local services matter.",
        "The Lord Mayor opened the new wing.",
        "The Lord Lieutenant visited in June.",
        # places, brands, misspellings and words in no dictionary
        "We cover Pontypridd, Treorchy and Tonypandy.",
        "Keep the Cwmbran library open!",
        "Tesco, Asda and Lidl all donate surplus food.",
        "Deliveroo riders use our toilets.",
        "Bowling Grewn needs its own ice rink.",
        "Wendy's or Steak 'n Shake would be nice.",
        "Our Christmas panto was Dick Whittington.",
        "Called doctor, waited five hours.",
        "I saw a dr. However the nurse was better.",
        "The Ysgol Gymraeg and the Canolfan Hamdden share a car park.",
        # words that are names, ordinary numbers and dates
        "Will the council act? Grace and favour arrangements are not a policy.",
        "Our charity number is 1123456 and our company number is 06543210.",
        "The grant ran from 01/04/2022 to 31/03/2025.",
        "We have 3 delegates on the board.",
        "The scheme, called Warm Welcome, opened in 2022.",
        "Thanks to Lottery funding we kept going.",
    ],
)
def test_keeps_lookalikes(text):
    assert redact(text).text == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The flooding at 12 Ffordd yr Ysgol is reported.", "The flooding at [ADDRESS] is reported."),
        ("We meet at 2 Lôn yr Eglwys.", "We meet at [ADDRESS]."),
        ("i live on 14 westgate, by the market", "i live on [ADDRESS], by the market"),
        ("They gave me a temporary number, TN 04 07 61 M.", "They gave me a temporary number, [NI_NUMBER]."),
        ("Ty Coch, Heol Fawr is our address", "[ADDRESS] is our address"),
    ],
)
def test_addresses_and_numbers_found_in_the_second_round(text, expected):
    assert redact(text).text == expected


def test_the_word_model_tells_names_from_words():
    """Names in none of the lists, and words of these answers in no dictionary: the model reads
    most names as names (13 of these 16 when written) and few of the words ("covid" reads as a
    name by a hair; alone, a name in no list is redacted only with a cue)."""
    names = ["okonjo", "przybylska", "warfa", "nkemdirim", "gwilym", "dumitrescu", "wojtasik", "egal", "mhurchu",
             "nyambura", "tsitsi", "hristov", "ceallaigh", "aneirin", "dhaliwal", "sikorska"]
    words = ["procurement", "commissioning", "healthwatch", "safeguarding", "facebook", "volunteering", "covid",
             "signposting", "foodbank", "befriending"]
    assert sum(name_score(n) > NAME_LIKE for n in names) >= 13, {n: name_score(n) for n in names}
    assert sum(name_score(w) > NAME_LIKE for w in words) <= 1, {w: name_score(w) for w in words}


@pytest.mark.parametrize(
    ("word", "kind"),
    [
        ("Okonjo", "N"),  # in no list, reads as a name
        ("Mhurchu", "n"),  # in no list and no dictionary, reads as no name
        ("Procurement", ""),  # a dictionary word
        ("Bassett-Nkemelu", "S"),  # a hyphenated name takes its strongest part
        ("Mensah's", "S"),  # a possessive is its name's kind
        ("Christmas", "g"),
    ],
)
def test_word_kinds(word, kind):
    assert kind_of(word, fold(word)) == kind


def test_misspelt_words_are_no_names_beside_a_name():
    assert misspelt_word("grewn") and misspelt_word("squre") and not misspelt_word("okonjo")
    assert redact("Bowling Grewn needs its own ice rink.").text == "Bowling Grewn needs its own ice rink."


def test_a_word_in_no_dictionary_alone_is_kept():
    assert redact("Covid changed how the lunch club works.").text == "Covid changed how the lunch club works."

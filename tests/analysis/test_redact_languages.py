"""Issue 20, set 13's classes: the UK's languages and communities. Words of Welsh, Gaelic and other languages that
the name lists hold as names, peoples and nations beside a name, and the shapes of names and homes those answers use.
Examples are written for these tests, with other names and places than the set's."""

import pytest

from analysis.redact import redact


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I am writing for myself. MORRISON, Kirsteen. Stornoway.", "I am writing for myself. [NAME]. Stornoway."),
        ("Farm: Pant Glas. Family name: Pugh.", "Farm: [ADDRESS]. Family name: [NAME]."),
        ("Flat 3, above the bakery, 12 High Street, Bala LL23 7AB", "[ADDRESS] [POSTCODE]"),
        ("My carer is Bogdan. He is paid less than the living wage.", "My carer is [NAME]. He is paid less than the living wage."),
        ("Me: Thanh. Wife: Mai. We run the shop.", "Me: [NAME]. Wife: [NAME]. We run the shop."),
        ("Harjit and Manpreet (my sisters-in-law) run the langar.", "[NAME] and [NAME] (my sisters-in-law) run the langar."),
        ("The Gill family at the corner shop give bread away.", "The [NAME] family at the corner shop give bread away."),
        ("Erm, Tunde here, the one who rang about the hall.", "Erm, [NAME] here, the one who rang about the hall."),
        ("Eluned Morgan (not the First Minister, the one from chapel) runs the toddler group.",
         "[NAME] (not the First Minister, the one from chapel) runs the toddler group."),
        ("Phone Ama on 07700 900 456 about the sewing group.", "Phone [NAME] on [PHONE] about the sewing group."),
    ],
)
def test_community_answers_find(text, expected):
    assert redact(text).text == expected


@pytest.mark.parametrize(
    "text",
    [
        "Kurdish Newroz and Persian Nowruz both fill the park every March.",
        "The Church of Scotland and the Bank of Scotland both left the high street.",
        "thanks Nonna, thanks Nain, thanks Babcia: every grandmother helped.",
        "Gŵyl Ifan and the Gŵyl Cerdd Dant need local stewards.",
        "Comann Eachdraidh and Taigh-cèilidh nights keep the island going.",
        "Kingsway, Queen Street, Oxford Street and Castle Street are all chains now.",
        "Heol Hir, Maes Glas, Cae Mawr: every street name here is Welsh.",
        "Ring Adult Social Care: 01632 960 123, option 3.",
        "A Grade II listed Victorian workhouse is now the admin block.",
        "Dydd Miwsig Cymru and Shwmae Su'mae day are run by volunteers.",
        "Dafydd ap Gwilym and Owain Glyndŵr have streets named after them.",
        "The Rowntree Foundation, Tŷ Hafan and Barnardo's all do this.",
    ],
)
def test_community_look_alikes_kept(text):
    assert redact(text).text == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He was born in Port of Spain, Trinidad on 2 June 1951 and came in 1970.",
         "He was born in Port of Spain, Trinidad on [DATE_OF_BIRTH] and came in 1970."),
        ("I'm Yusuf Osman, b. 1979-03-14. The centre is my second home.", "I'm [NAME], b. [DATE_OF_BIRTH]. The centre is my second home."),
        ("My uncle Seamus Doyle (b. 1948, 3 March) still coaches.", "My uncle [NAME] (b. [DATE_OF_BIRTH]) still coaches."),
        ("His DOB on the letter is 4-7-1931 which is wrong, it should be 7-4-1931.",
         "His DOB on the letter is [DATE_OF_BIRTH] which is wrong, it should be [DATE_OF_BIRTH]."),
    ],
)
def test_dates_of_birth_in_running_text(text, expected):
    assert redact(text).text == expected


def test_a_things_birth_and_a_plan_b_are_kept():
    for text in ("The NHS was born in Tredegar, Wales on 5 July 1948.", "Plan b. 2020 was cut."):
        assert redact(text).text == text

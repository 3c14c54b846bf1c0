"""Issue 20, sixth round: the classes that held-out set 7 showed missed or damaged, each with examples
written for these tests (other names, streets, towns and numbers than the set's), and clean look-alikes
that must come back unchanged."""

import pytest

from analysis.redact import redact


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the town, village and county after an address, up to a postcode or the end of the clause
        ("Post to 31 Humberstone Road, Leicester LE5 3AL please", "Post to [ADDRESS] [POSTCODE] please"),
        ("From: 6 Fairfield Street, Openshaw, Manchester, M11 2WW.", "From: [ADDRESS], [POSTCODE]."),
        ("She's at 90 Ormeau Road, Belfast; call first.", "She's at [ADDRESS]; call first."),
        ("my flat is 12 carlton rd, nottingham ng3 2dg", "my flat is [ADDRESS] [POSTCODE]"),
        ("Send to 4 Marsh Lane, Stoke-on-Trent and mark it urgent", "Send to [ADDRESS] and mark it urgent"),
        ("We're at 7 Quay Street, Newcastle upon Tyne — round the back.", "We're at [ADDRESS] — round the back."),
        ("Address: 15 Fore Street, Redruth, Cornwall, TR15 2AE", "Address: [ADDRESS], [POSTCODE]"),
        ("Write to 2 Hill View, Tarbert, Isle of Harris HS3 3DA.", "Write to [ADDRESS] [POSTCODE]."),
        ("Flat 5, Milton Court, 19 Vale Road, Rhyl, Denbs. LL18 2BT", "[ADDRESS] [POSTCODE]"),
        # the town stops at a word that is no place's
        ("I live at 22 Park Road, I think it was built in 1930.", "I live at [ADDRESS], I think it was built in 1930."),
        ("22 Market Street, Tel 0161 496 0001", "[ADDRESS], Tel [PHONE]"),
        ("She moved from 3 Hope Street, 4 doors down.", "She moved from [ADDRESS], 4 doors down."),
        # the number before a building, a house or croft by its number, "Cottages", "Av."
        ("I'm at 12 Wellington House, Priory Estate, Dudley DY1 4AA", "I'm at [ADDRESS] [POSTCODE]"),
        ("Hse 17, Pontllanfraith - by the school", "[ADDRESS] - by the school"),
        ("Croft 9, Achmore, Isle of Lewis HS2 9DU", "[ADDRESS] [POSTCODE]"),
        ("send it to 5 Coastguard Cottages, Runswick Bay", "send it to [ADDRESS]"),
        ("my gran: 21 Princes Av. Leeds LS8 2EN", "my gran: [ADDRESS] [POSTCODE]"),
        # Cornish and Gaelic streets, with their articles
        ("Post goes to 8 Chy an Dowr, Penzance", "Post goes to [ADDRESS]"),
        ("She lives at 3 Gwel an Treth, Hayle.", "She lives at [ADDRESS]."),
        ("11 Cnoc na Mara, Stornoway", "[ADDRESS]"),
        ("7 Sràid a' Mhuilinn, Tobermory", "[ADDRESS]"),
        # a house's name with no number before its street and town, or before villages and a postcode
        ("Lives at Sunnybank, Mill Lane, Cheddleton.", "Lives at [ADDRESS]."),
        ("The Old Bakery, Church Road, Great Bedwyn", "[ADDRESS]"),
        ("Address: Glenview, Strontian, Acharacle PH36 4HZ", "Address: [ADDRESS] [POSTCODE]"),
        # handles without an @ after a platform's word, Reddit's "u/", Mastodon and Bluesky
        ("add me on discord mossy_pete#0921", "add me on discord [HANDLE]"),
        ("tiktok: lena.sews if anyone wants tips", "tiktok: [HANDLE] if anyone wants tips"),
        ("my snapchat is kaz2009 x", "my snapchat is [HANDLE] x"),
        ("I post as u/TeessideMum_ on Reddit", "I post as [HANDLE] on Reddit"),
        ("Insta name bryn.paints, DM me", "Insta name [HANDLE], DM me"),
        ("Follow @nia@toot.wales for updates", "Follow [HANDLE] for updates"),
        ("bluesky @tomos-h.bsky.social", "bluesky [HANDLE]"),
        # dates of birth: a full date further on in the sentence after the noun, "b." opening a line, "the" before it
        ("His date of birth is wrong on every letter (they put 1961, not 1916) - it's 2 March 1961.",
         "His date of birth is wrong on every letter (they put 1961, not 1916) - it's [DATE_OF_BIRTH]."),
        ("They wanted my d.o.b. for the form, so: 1988-11-04.", "They wanted my d.o.b. for the form, so: [DATE_OF_BIRTH]."),
        ("b. 14 Feb 1939, and still driving", "b. [DATE_OF_BIRTH], and still driving"),
        ("Mam was born the second of June, nineteen thirty-one.", "Mam was born [DATE_OF_BIRTH]."),
        # a letter typed for a digit or a digit for a letter, and a comma for the dot in an e-mail
        ("text me on 07911 I23 4O5 after six", "text me on [PHONE] after six"),
        ("ring O113 496 O172", "ring [PHONE]"),
        ("NI number PL 3I 84 22 C", "NI number [NI_NUMBER]"),
        ("postcode L0l 3PQ", "postcode [POSTCODE]"),
        ("email dave.m@hotmail,co.uk thanks", "email [EMAIL] thanks"),
        # names standing with found names: a list, a short name before the full one in brackets, "X and Y Surname"
        ("Helpers: Dave, Karen, Joy and Mo, every Thursday.", "Helpers: [NAME], [NAME], [NAME] and [NAME], every Thursday."),
        ("Ask Ted (Ted Wainwright) about the keys.", "Ask [NAME] ([NAME]) about the keys."),
        ("Thanks to Beverley and Norman Ashworth for the tea urn.", "Thanks to [NAME] and [NAME] for the tea urn."),
        # a person beside the writer: "me and X"
        ("The shop is kept by me and Huw most days.", "The shop is kept by me and [NAME] most days."),
        ("It was myself and Kirsty who wrote to the council.", "It was myself and [NAME] who wrote to the council."),
        # ... and the look-alikes that stay people
        ("My friend Hannah St John helps out.", "My friend [NAME] helps out."),
        ("My neighbour Gwen Pritchard is a councillor.", "My neighbour [NAME] is a councillor."),
    ],
)
def test_found(text: str, expected: str) -> None:
    assert redact(text).text == expected


@pytest.mark.parametrize(
    "text",
    [
        "We visited Leicester, Nottingham and Derby, then went home.",
        "The bus goes along Humberstone Road, Leicester's busiest street.",
        "Services in Manchester, Salford and Bury were cut by 12 per cent.",
        "We let 3 Holiday Cottages to visitors every summer.",
        "There are 4 Almshouse Cottages, a chapel and a pub in the village.",
        "I shop in Morrisons, High Street.",
        "The grant paid for 3 Mill House residents to go on a trip.",
        "In 1998 Tewkesbury House was sold to the council.",
        "The croft has 12 sheep and 3 cows.",
        "Hse prices in Leeds rose 4, maybe 5 per cent.",
        "I saw the advert on Instagram today.",
        "Snap is what my kids use, not Facebook.",
        "The council's Discord at 7pm was busy.",
        "Our Instagram: 3.5k followers and growing.",
        "The thread on Reddit r/unitedkingdom was unkind.",
        "Twitter is 2.0 now, apparently.",
        "Date of birth: not given, but she moved here on 4 June 1999.",
        "The DOB field is optional. The meeting is on 3 May 2024.",
        "b. 1952 is all the plaque says.",
        "Her birth date was in 1938; the home opened in 1983.",
        "We have 1OO members and 2O volunteers.",
        "Room 1O1 is free at 10am.",
        "The A1O road was shut, and the M6 too.",
        "I like apples,com on, try one.",
        # a nation after "in", a church's dedication, a councillor in role, a Welsh sentence's first word
        "In Wales the Future Generations Act 2015 asks councils to think ahead.",
        "Across Scotland, food banks are busier than ever.",
        "St Michael and St George's church hall hosts the lunch club.",
        "The parish of St Andrew and St Margaret runs a food bank.",
        "Cllr Owain Pritchard is our ward councillor and he never replies.",
        "Diolch yn fawr. Mae angen mwy o fysiau yn y pentref.",
        "We ran sessions in Leeds, York, Hull and Ripon.",
        "Buses to Shirley and Solihull stop at 6pm.",
        "Between me and God, it was a hard year.",
        "It was just me and Mum, and then me and Wales against the world.",
        "Yes and I think the council knows it.",
    ],
)
def test_kept(text: str) -> None:
    assert redact(text).text == text

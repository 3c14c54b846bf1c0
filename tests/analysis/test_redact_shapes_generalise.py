"""Issue 20, fifth round: the classes of non-name personal data that held-out set 6 showed missed or
damaged, each with examples written for these tests (other streets, numbers and words than the set's),
and clean look-alikes that must come back unchanged."""

import pytest

from analysis.redact import redact


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a part of a building (suite, studio, workshop, units, room, basement, floor) before a building and a street
        ("Invoices to Suite 14, Caxton House, 7 Mercer Row, please.", "Invoices to [ADDRESS], please."),
        ("Workshop 6, Foundry Yard, Kendal", "[ADDRESS]"),
        ("Room 2, St Luke's Church Hall, 41 Vicarage Road, Hull", "[ADDRESS]"),
        ("Second floor, Beacon House, 9 Park Row", "[ADDRESS]"),
        ("Ground floor, 77 Mill Street, Leek", "[ADDRESS]"),
        ("Basement flat, 18 Clarendon Rd", "[ADDRESS]"),
        ("Top floor flat, 6 Albany Street", "[ADDRESS]"),
        ("Our stall is Units 11-12 Albion Wharf, Canal St, near the lock.", "Our stall is [ADDRESS], near the lock."),
        ("units 5-6 the sidings, canal st", "[ADDRESS]"),
        ("We rent unit 9 the old dairy, mill lane until March", "We rent [ADDRESS] until March"),
        # flats and units named by a letter, ranges, blocks, a flat after its street, a range of house numbers
        ("Flat C, 12 Park Road", "[ADDRESS]"),
        ("Apt. 3, 40 River St", "[ADDRESS]"),
        ("Block C, Flat 12, Park Hill", "[ADDRESS]"),
        ("Unit B4, Riverside Trading Estate", "[ADDRESS]"),
        ("Units 3 and 4, Beacon Business Park", "[ADDRESS]"),
        ("22 Brook Street, Flat 3", "[ADDRESS]"),
        ("We are at 42-44 Church Street, Wigan", "We are at [ADDRESS]"),
        ("Plot 7, Cae Garw Caravan Site, Bridgend", "[ADDRESS]"),
        ("Caravan 12, Sandy Bay Park, Porthcawl", "[ADDRESS]"),
        ("Cottage 2, Home Farm, Ashby", "[ADDRESS]"),
        # a plot or unit in a named place with a place's word last, Welsh "Uned", "Ystafell", "Fflat"
        ("Plot 4, Hollins Lane Allotments needs a new shed", "[ADDRESS] needs a new shed"),
        ("Uned 12, Parc Menai, Bangor", "[ADDRESS]"),
        ("Ystafell 3, Canolfan y Fron, 5 Stryd y Bont", "[ADDRESS]"),
        ("Fflat 2, 14 Heol y Wig", "[ADDRESS]"),
        # a building's number, then the street after it
        ("I'm at no. 14, Linden Court, Albert rd, and the lift is broken", "I'm at [ADDRESS], and the lift is broken"),
        # a Welsh (or any) street with its number after it, then a comma, a place or the end
        ("We live at Heol y Graig 14, Porthcawl", "We live at [ADDRESS]"),
        ("Ffordd Bangor 7, Caernarfon", "[ADDRESS]"),
        ("my address: Lon Isaf 4, Menai Bridge", "my address: [ADDRESS]"),
        ("Maes y Dre 9.", "[ADDRESS]."),
        ("send it to Church Street 12, Leeds", "send it to [ADDRESS]"),
        # a house in a village, with no street, before a postcode
        ("Rose Cottage, Little Snoring, NR21 0AA", "[ADDRESS], [POSTCODE]"),
        ("Home Farm, Brampton, Cumbria CA8 1AB", "[ADDRESS] [POSTCODE]"),
        # Scottish streets and tenements
        ("Write to me at 12, Bramble Wynd, Dunfermline", "Write to me at [ADDRESS]"),
        ("3 The Vennel, Linlithgow", "[ADDRESS]"),
        ("Flat 3/2, 118 Byres Road", "[ADDRESS]"),
        ("flat 2b 9 argyle st", "[ADDRESS]"),
        ("2/L, 14 Hyndland Road", "[ADDRESS]"),
        ("flat 1/R 6 Comely Bank Avenue", "[ADDRESS]"),
        ("4 Ladywell Gait", "[ADDRESS]"),
        # Gaelic street words
        ("10 Sràid na h-Eaglais", "[ADDRESS]"),
        ("4 Baile Ùr, Isle of Lewis", "[ADDRESS]"),
        # postcodes: O typed for 0 or I for 1 in capitals, a letter O among the inward letters, no space, lower case
        ("our group meets at the hall, LL57 2OB on fridays", "our group meets at the hall, [POSTCODE] on fridays"),
        ("Postcode: L1O 2AB", "Postcode: [POSTCODE]"),
        ("postcode CFO 1AB", "postcode [POSTCODE]"),
        ("postcode SW1A1AA", "postcode [POSTCODE]"),
        ("postcode ls6  3hn", "postcode [POSTCODE]"),
        ("Post code - EH6-8RG", "Post code - [POSTCODE]"),
        # the outward code alone, right after the word
        ("my postcode is BS3", "my postcode is [POSTCODE]"),
        ("postcode: cf10", "postcode: [POSTCODE]"),
        # a postcode right after a place's capitalised words is no street's word
        ("Collect from Unit 2, Holbrook Trading Estate S20 3FR on Monday", "Collect from [ADDRESS] [POSTCODE] on Monday"),
        # dates of birth: days and years in words, month and year only, no year after the words
        ("my date of birth is the twelfth of october 1950", "my date of birth is [DATE_OF_BIRTH]"),
        ("I was born on the second of july nineteen fifty-two", "I was born on [DATE_OF_BIRTH]"),
        ("born on the twenty-third of June, two thousand and four", "born on [DATE_OF_BIRTH]"),
        ("Date of birth - 11/1983", "Date of birth - [DATE_OF_BIRTH]"),
        ("DOB: 3rd of March '82", "DOB: [DATE_OF_BIRTH]"),
        ("born March '82, so I remember the strikes", "born [DATE_OF_BIRTH], so I remember the strikes"),
        ("my birthday is 4th July", "my birthday is [DATE_OF_BIRTH]"),
        ("my bday is 12th Jan", "my bday is [DATE_OF_BIRTH]"),
        ("d. o. b. 14.02.71", "d. o. b. [DATE_OF_BIRTH]"),
        # e-mails spelled out with any ending, "[.]", or a mail provider with no ending
        ("reach me on rhys.morgan [at] menter [dot] cymru", "reach me on [EMAIL]"),
        ("gethin at siop-y-pentref dot wales", "[EMAIL]"),
        ("jo [at] example [.] org", "[EMAIL]"),
        ("email kwame.asante at yahoo if you want the notes", "email [EMAIL] if you want the notes"),
        ("my email is p_kaur1985 AT hotmail", "my email is [EMAIL]"),
        ("e: jo.bloggs@outlook", "e: [EMAIL]"),
        ("jo.bloggs -at- gmail -dot- com", "[EMAIL]"),
        ("contact jo_b at hotmail dot co uk", "contact [EMAIL]"),
        # a sort code and an account number side by side, with no word for either
        ("I paid it from my own (40-11-62 31415926) and never got it back", "I paid it from my own ([BANK]) and never got it back"),
        ("refund to 09 01 28 / 55779911 please.", "refund to [BANK] please."),
        ("please pay back to 31415926, 40-11-62.", "please pay back to [BANK]."),
        # an IBAN with good check digits, grouped or not
        ("pay to PL61109010140000071219812874 please", "pay to [BANK] please"),
        ("Our bank details: GB29 NWBK 6016 1331 9268 19.", "Our bank details: [BANK]."),
        # a person's pages are hidden on any site; a placeholder domain stands for any site
        ("https://www.ourcharity.org.uk/team/jane-smith", "[URL]"),
        ("my page: www.thehub.org/~rachelb", "my page: [URL]"),
        ("More at example.org.uk/about", "More at [URL]"),
        ("my blog is janesmithwrites.co.uk", "my blog is [URL]"),
        ("https://twitter.com/jo_bloggs", "[URL]"),
    ],
)
def test_found(text, expected):
    assert redact(text).text == expected


@pytest.mark.parametrize(
    "text",
    [
        # money, contract and case references, statistics that look like bank details or dates
        "The contract (ref 20-45-77 63019274) was let in 2021.",
        "Contract value £12,450,000 over 3 years; lot 2 was £380,000.",
        "Scores rose from 12-14-16 to 18-20-22 (out of 30) and 24000000 people saw the ads.",
        "Year 6 pupils scored 23-45-67 on the three tests, 87654321 total.",
        "Invoice 20-45-77 63019274 is still unpaid.",
        "Case number 4411-2290-0183 was closed.",
        "Our charity number is 1098765 and company number 04567891.",
        "Figures: 08/2009 to 11/2012 we ran 3 sites.",
        "Between 2009-03 and 2012-11 the grant was cut by 40%.",
        "A 20 PERCENT RISE IN SA1 AREAS",
        "GB29 NWBK 6016 1331 9268 18 has a wrong check digit.",
        "The AB12 CDEF GHIJ KLMN code is on the form.",
        "We're in the CF10 area; the postcode lottery gave us 2 grants.",
        "Scores 3-1 2-0 5-4 in the 90-10 split, the 2-3PM slot.",
        "10 baile sessions were run.",
        # streets as places, lists of streets, results, headings with a unit's number
        "The shops on Stryd Fawr, Heol y Castell and Lon Goed have closed.",
        "Heol Glas, Ffordd y Parc, Stryd yr Eglwys - the same names in every town.",
        "Heol y Nant 2 and Heol y Nant 3 phases were built in 2019 and 2021.",
        "Heol Fawr 3 times a week is too much for the bus.",
        "Maes Glas 3, Penrhyn 1: the football results.",
        "We lost to Maes Glas 2-1 on Saturday.",
        "We moved the club to Station Road in 2019.",
        "Plot 3 shows the trend; Figure 2 shows the spread.",
        "Unit 4 Lesson Plans are on the website.",
        "Room 101 Exhibition opens soon.",
        "Suite 2 Conference Facilities are cheap.",
        "Studio 5 Productions made the film.",
        "unit 2 the course covers, high street shops",
        "The Rose Cottage tea room in Leek is lovely.",
        "Ground floor access at the Guildhall is poor.",
        "Scores of 3-12 Church Street residents signed.",
        "I got an A grade in Unit 3 and a B in Unit 4.",
        "Block A Level results came out in August.",
        "We're open 9-5 Monday to Friday.",
        "We play on Pitch 3, Heath Park every Sunday.",
        "The train left from Platform 2, Station Approach.",
        "Counts: Heol Fawr 14, Stryd y Bont 9; the rest elsewhere.",
        "Responses by street: Church Street 12, Market Street 9, High Street 30.",
        # capitals that look like postcodes with O or I
        "GO 1ST CLASS. WE CAME 2ND. TOP 3RD.",
        "TO 1OO PERCENT SUPPORT",
        "THE M6 ONE WAY SYSTEM",
        "The A470 at Merthyr is closed. The M4 5AM closure is planned.",
        # births of things, years alone
        "Born in Bradford, the festival has grown every year since 1990.",
        "The NHS was born on 5 July 1948.",
        "Our club's birthday is 3 March.",
        "The NHS birthday is on 5 July.",
        "The project was born in March 2014 from a kitchen-table idea.",
        "Two thousand and nine was the year we started; born of need.",
        "I was born the first week 1990 was so cold, mum says.",
        "The Queen's birthday on 21 April was a holiday for the school.",
        "the birthday party on 3rd May at the hall raised £200",
        # "at" and "dot" in running text
        "Meet at the Town Hall. Dot and I will bring cake.",
        "We meet at live music nights at the Crown.",
        "I met them at outlook meetings",
        "look at the well-being pages at gov.wales",
        # organisations' own sites and public bodies' pages
        "Read the guidance at www.gov.uk/government/publications/procurement-act",
        "See ncvo.org.uk/help-and-guidance for the report.",
        "Our impact report: https://www.riversidepantry.org.uk/impact-2023 - £5 back for every £1.",
        "Their site, ageuk.org.uk, lists every branch.",
        "www.trusselltrust.org/get-help",
        "www.camden.gov.uk/parking-permits",
        "nhs.uk/conditions/asthma",
    ],
)
def test_clean_look_alikes_kept(text):
    assert redact(text).text == text

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
        ("Send it to 3 Glan yr Afon, Llanrwst.", "Send it to [ADDRESS]."),
        ("I live at 8 Ael y Bryn, which floods.", "I live at [ADDRESS], which floods."),
        ("Send it to 17 heol-y-nant, Cardiff.", "Send it to [ADDRESS]."),
        ("Write to me at Hafod, Ffordd Penrhos, Bangor.", "Write to me at [ADDRESS]."),
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


# Issue 20, fourth round: each class of miss and damage set 5 showed, with examples written for these
# tests (other names, streets and numbers than the labelled sets'), and the clean look-alikes.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # addresses: a house's name, a tenement number, c/o, "Mount X", Welsh street with "y" before "number"
        ("Send it to Rose Villa, 4 Quarry Hill, Settle.", "Send it to [ADDRESS]."),
        ("Contact: The Granary, 2 Mill Road, Ely", "Contact: [ADDRESS]"),
        ("She lives at 3/1 12 Dalmeny Street, Leith.", "She lives at [ADDRESS]."),
        ("We are at 4/2 Gardner Street now", "We are at [ADDRESS] now"),
        ("c/o 8 Market Place, Thirsk", "[ADDRESS]"),
        ("We live at 21 Mount Pleasant.", "We live at [ADDRESS]."),
        ("we're on Cwrt y Garreg, number 4", "we're on [ADDRESS]"),
        ("Post it to number 40, Heol y Gors.", "Post it to [ADDRESS]."),
        ("Send it to 221 Kingsway, Swansea", "Send it to [ADDRESS]"),
        ("We are at 4 Back Lane West now", "We are at [ADDRESS] now"),
        # postcodes with I for 1 in capitals
        ("postcode LS9 IAB", "postcode [POSTCODE]"),
        ("Neath, SAI 1NE", "Neath, [POSTCODE]"),
        # dates of birth: a place of birth first, "of" and a comma, another language, the date again in brackets
        ("I was born in Karachi on 12 March 1971.", "I was born in Karachi on [DATE_OF_BIRTH]."),
        ("My date of birth is the 2nd of June, 1962.", "My date of birth is [DATE_OF_BIRTH]."),
        ("Mam was born on 9 de Julho 1948 (9 July 1948).", "Mam was born on [DATE_OF_BIRTH] ([DATE_OF_BIRTH])."),
        ("ganwyd ar 5 Mai 1950", "ganwyd ar [DATE_OF_BIRTH]"),
        ("born on Christmas Day 1944", "born on [DATE_OF_BIRTH]"),
        # handles with dots, bank details without the usual labels, phones abroad, NI with a mistyped letter
        ("Follow us @friends.of.hill.park please", "Follow us [HANDLE] please"),
        ("s/c 20-45-77 acc no 43218765", "s/c [BANK] acc no [BANK]"),
        ("account number 1234 5678 at the bank", "account number [BANK] at the bank"),
        ("bank: Unity Trust 60-83-01, acc 23456789", "bank: Unity Trust [BANK], acc [BANK]"),
        ("Call me on +353 87 123 4567 in Ireland", "Call me on [PHONE] in Ireland"),
        ("NI: AB 12 34 56 X", "NI: [NI_NUMBER]"),
        ("email gethin underscore evans at hotmail dot co dot uk", "email [EMAIL]"),
        # names: given name and surname both words or places, a given name that is a place in a list,
        # word-like names after titles, kin and roles or between commas after a person, possessives owning a home
        ("Fair play to Bryn Morgan for the hampers.", "Fair play to [NAME] for the hampers."),
        ("Thanks to Amara, Tyler and Zainab for the posters.", "Thanks to [NAME], [NAME] and [NAME] for the posters."),
        ("Aunty Comfort cooks for the estate.", "Aunty [NAME] cooks for the estate."),
        ("My carer Joy comes at 8.", "My carer [NAME] comes at 8."),
        ("The warden, Blessing, checks on my nan.", "The warden, [NAME], checks on my nan."),
        ("the man who runs it, kev, is 70", "the man who runs it, [NAME], is 70"),
        ("Our minibus driver Cai does the runs.", "Our minibus driver [NAME] does the runs."),
        ("We park at Gwenllian's house.", "We park at [NAME] house."),
        ("my mate jordan wants to say thanks", "my mate [NAME] wants to say thanks"),
        ("i go with bronek and wiesia every week", "i go with [NAME] and [NAME] every week"),
        ("stacey pilling from the tenants group", "[NAME] from the tenants group"),
        ("hi im shauna, i love the club", "hi im [NAME], i love the club"),
        ("Mo Farouk runs the gym.", "[NAME] runs the gym."),
        # "or" in a list, "ring/tell/text" before a name, a given name after a closing dash, capitals after a cue
        ("ask for bogdan or marta at the door", "ask for [NAME] or [NAME] at the door"),
        ("Text Bronwen on the usual number", "Text [NAME] on the usual number"),
        ("CONTACT ME ON 07700900555 - DAVE", "CONTACT ME ON [PHONE] - [NAME]"),
        ("Best,\nK. Mensah", "Best,\n[NAME]"),
        ("J. P. Murphy runs it.", "[NAME] runs it."),
        ("my friend farai mutasa helps out", "my friend [NAME] helps out"),
        ("my mum edna thompson is 90", "my mum [NAME] is 90"),
        ("Gwenllian's Friday club is full.", "[NAME] Friday club is full."),
        ("the volunteer who runs the pantry, brenda haigh, is 79", "the volunteer who runs the pantry, [NAME], is 79"),
        ("Thanks to Ali El-Sayed for the lifts.", "Thanks to [NAME] for the lifts."),
        ("Hannah St John runs the choir.", "[NAME] runs the choir."),
        ("PLEASE SPEAK TO ANITA OR JOHN AT THE CENTRE", "PLEASE SPEAK TO [NAME] OR [NAME] AT THE CENTRE"),
    ],
)
def test_redacts_each_class_the_fifth_set_missed(text, expected):
    assert redact(text).text == expected


@pytest.mark.parametrize(
    "text",
    [
        # people in a public office, named by the office after or before them
        "Matt Hancock as Health Secretary ordered the masks.",
        "Cllr Davies, as leader of the council, signed the contract.",
        "Nadine Dorries was culture secretary then.",
        "The health secretary, Wes Streeting, promised more GPs.",
        "The cabinet member for adult services, Cllr Paul Hirst, would not answer.",
        "The Director of Adult Social Care, Mr Ian Pyle, gave evidence.",
        "Shadow health secretary Victoria Atkins criticised it.",
        "The Lib Dem spokesperson, Helen Morgan MP, asked about it.",
        "Senedd member Mabon ap Gwynfor asked a question.",
        "The Chief Constable, Pam Kelly, spoke at the meeting.",
        "Bishop Libby Lane visited the night shelter.",
        "Professor Chris Bentley's report on commissioning is worth reading.",
        # honours and peerages are public life
        "Sir Terry Pratchett spoke about dementia.",
        "Dame Vera Lynn sang at the concert.",
        "Baroness Hale gave the lecture.",
        # public figures, mononyms, fiction, sayings and brands of the list
        "Iain Duncan Smith brought in Universal Credit.",
        "Shakespeare said all the world's a stage.",
        "Like Mrs Doubtfire, our volunteers do everything.",
        "It opened Pandora's box for the big providers.",
        "The Achilles heel of the contract is travel time.",
        "Jack Russells are welcome at the café.",
        "Ken Loach's film I, Daniel Blake showed the benefits system.",
        "My husband has Parkinson's and Crohn's.",
        "McDonald's and Greggs give us their surplus.",
        # places: compass words, places that are no given name, Welsh mutation after "ym"/"yng"
        "North Tyneside and West Lothian both cut the grant.",
        "Blaenau Gwent has the lowest wages.",
        "Rydym yn gweithio ym Mhorthmadog a Chricieth.",
        "Ein profiad ni yng Ngwynedd yw hyn.",
        # not a person: a date that is no birth near a bank, a place as a given name in a list of places
        "We paid on 12-03-21 from the bank account.",
        "Clifton, Redland and Cotham have volunteers; Lawrence Weston needs staff.",
        "We had 12 Mount Everest climbers.",
        "The A470 at Merthyr is closed again.",
        "Call Social Services first - they never answer",
        "ring the council - useless",
        "Shorter waiting for the initial call Holly drive needs pavements",
        # organisations and Welsh streets named like people
        "Regards, Penarth Foodbank",
        "Signed: The Residents of Maes Glas",
        "The Simon Community helped us.",
        "Best, the team",
        "We met on Hannah St near the park.",
        "The Al-Noor mosque feeds people.",
        "Q. What do you think? A. Fund it",
        "Grant ref 1234567890 is on the letter.",
        "Even Einstein couldn't understand this form.",
        "Like Tesco, every little helps.",
        "my son's teacher says he plays well",
        "At the top of Wesley Hill the bus turns.",
        "Millie's Cookies closed in the spring.",
        "The Secretary of State, Angela Rayner, announced the fund.",
        "the man from the council, very rude, said no",
        # a number that counts or labels before a street's name
        "In 2019 Victoria Road was resurfaced.",
        "Page 4 The Guardian ran it.",
        "Route 7 The Crescent to town was cut.",
        "About 200 High Street businesses signed.",
        "We have 3 Church Street shops closing.",
    ],
)
def test_keeps_clean_lookalikes_of_each_class_of_the_fifth_set(text):
    assert redact(text).text == text


def test_an_office_near_a_private_person_keeps_nobody():
    assert redact("I complained to the ombudsman on behalf of Kwame Mensah.").text == (
        "I complained to the ombudsman on behalf of [NAME].")
    assert redact("The director of our charity, Sandra Oyelowo, met the minister.").text == (
        "The director of our charity, [NAME], met the minister.")
    assert redact("My MP did nothing for my dad, Harold Briggs.").text == "My MP did nothing for my dad, [NAME]."


def test_a_one_word_public_name_keeps_no_longer_name():
    assert redact("Sarah Turner runs the club.").text == "[NAME] runs the club."
    assert redact("Mrs Churchill next door is 90.").text == "Mrs [NAME] next door is 90."
    assert redact("My neighbour Sir Bob lives alone.").text == "My neighbour Sir [NAME] lives alone."


def test_a_couples_surname_is_a_family_name_though_also_a_place():
    assert redact("Rose and Lily Preston run the stall.").text == "[NAME] and [NAME] run the stall."
    assert redact("We went to Newton and Stanley Park.").text == "We went to Newton and Stanley Park."


def test_names_of_the_lists_that_are_also_words_or_places_make_a_person_together():
    assert redact("Please call Wong Siu Ming about the rota.").text == "Please call [NAME] about the rota."
    assert redact("Please call Lam Ka Wai about the rota.").text == "Please call [NAME] about the rota."

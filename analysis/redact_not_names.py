"""Words the name rules and the tagger read as names that are not people's: peoples and nations at a name's edge
("Kurdish Newroz", "the Church of Scotland"), words for a grandparent ("thanks Nonna, thanks Nain"), Welsh words
("Tîm bach", "Gŵyl Dewi"), places behind a form's label ("Ward: Splott") or in apposition ("Our care home, Bryn
Teg,"), an abbreviation ("Reg. charity no."), and names talked about as names ("Ffion, Dylan and Gethin are the
most popular names"). `redact_person_names` runs `not_names` over every name it has put together."""

from __future__ import annotations

import re

from analysis.records import Span
from analysis.redact_lexicon import WELSH_HEADS, fold, lexicon

NATIONS = frozenset("england scotland wales ireland britain cymru alba ulster europe america africa asia australia canada india "
                    "pakistan bangladesh nigeria ghana jamaica poland romania france germany spain italy".split())

# "Our care home, Bryn Teg, scored ...": a place's or building's name in apposition, not a person's.
PLACE_NAMED_BEFORE = re.compile(r"\b(?i:care home|home|school|hospital|hospice|surgery|practice|chapel|church|pub|village|"
                                r"estate|farm|ward|hall|library)\s*,\s*$"
                                # "Our mosque, Jamia Masjid Ghausia,", "The charity 'Seren'", "the uni running club, Hallam
                                # Harriers": opening its clause (not "the manager at the day centre, Bernie")
                                r"|(?:^|[.!?;:(]\s*|\n)(?i:our|my|the)\s+(?:[\w-]+\s+){0,2}?(?i:charity|mosque|temple|gurdwara|"
                                r"synagogue|society|project|organisation|choir|band|cic|company|firm|shop|cafe|centre|business|"
                                r"club)\s*(?:,\s*['‘\"“]?|['‘\"“])\s*$"
                                r"|\b\d+(?:st|nd|rd|th) $|\b(?:Ss|SS|Sts)\.? (?:[A-Z]\w+ (?:&|and) )?$"
                                r"|\b(?i:people|families|lots|loads) called $")
ABBREVIATION = re.compile(r"\.[ \t]+[a-z]")  # "Reg. charity no.": a word cut short, then the sentence goes on
ABBREVIATED = frozenset("reg ref rev gen sec est gov dept assoc".split())
# "Ffion, Dylan and Gethin are the most popular names", "Heather, Holly, Ivy, Rowan — the names of our four youth
# groups": names talked about as names, or given to things (not "the names on the committee").
NAMES_AS_WORDS = re.compile(r"[^.!?\n]{0,40}\b(?:are|were)\b(?![^.!?\n]{0,40}\breal\b)[^.!?\n]{0,40}\bnames\b"
                            r"|[^.!?\n]{0,40}?\s[—–-]\s(?:the|our) names of (?:our|the|their|its)\b(?![^.!?\n]{0,40}\b(?:committee|"
                            r"members|volunteers|staff|people|trustees|founders|residents|family|families)\b)")


# Peoples, nations and the words for a grandparent in the languages of the UK's communities: capitalised, in no list
# of words, and read as names otherwise ("Kurdish Newroz", "the Church of Scotland", "thanks Nonna, thanks Nain").
PEOPLES = frozenset(
    "english welsh scottish scots irish british cornish manx kurdish spanish polish turkish danish swedish finnish chinese "
    "japanese vietnamese portuguese eritrean ethiopian somali somalian sudanese nigerian ghanaian jamaican caribbean "
    "pakistani bangladeshi indian tamil punjabi gujarati bengali sylheti urdu hindi romanian bulgarian slovak czech "
    "hungarian ukrainian russian lithuanian latvian syrian afghan iraqi iranian yemeni kenyan zimbabwean congolese "
    "african asian european arab arabic gaelic roma romani gypsy traveller filipino nepali sikh hindu muslim jewish "
    "yoruba igbo hausa twi amharic tigrinya pashto farsi victorian edwardian georgian elizabethan tudor regency "
    "jacobean persian greek italian french german dutch belgian swiss austrian norwegian icelandic estonian albanian "
    "kosovan serbian croatian bosnian moroccan algerian tunisian egyptian libyan palestinian lebanese jordanian saudi "
    "cypriot maltese brazilian colombian mexican american canadian australian chilean cuban trinidadian barbadian "
    "guyanese nepalese malaysian thai korean mongolian tibetan uyghur kashmiri sindhi baloch hazara rohingya gambian "
    "cameroonian ugandan tanzanian rwandan malawian zambian angolan congolese".split()) | NATIONS
# Words said before speaking that the name lists or the tagger may take for a name: "Erm, Tunde here".
INTERJECTIONS = frozenset("erm um umm hmm aye och ach oi hiya ta naw nah ooh oh".split())
GRANDPARENTS = frozenset("nonna nonno nain taid nani nana nanna babcia dziadek oma opa abuela abuelo avo dadi "
                         "nanima ammi ammu abba abbu baba mamo tata dada nanny granny grandma grandad".split())


def _less_words_of_peoples(text: str, spans: list[Span]) -> list[Span]:
    """Spans less a people's or nation's word at either end, and dropped if nothing else is left, or if they are a
    word for a grandparent, or hold a Welsh ŵ or ŷ (common words: "Gŵyl", "Tŷ", "dŵr"; not given names)."""
    out = []
    for s in spans:
        words = list(re.finditer(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", text[s.start : s.end]))
        first, last = 0, len(words)
        while first < last and fold(words[first].group()) in PEOPLES:
            first += 1
        while last > first and fold(words[last - 1].group()) in PEOPLES:
            last -= 1
        stripped = (first, last) != (0, len(words))
        opening = fold(words[first].group()).split("-")[0] if first < last else ""
        if first == last or last - first == 1 and (fold(words[first].group()) in GRANDPARENTS | INTERJECTIONS or stripped) \
                or re.search("[ŵŷŴŶ]", text[s.start : s.end]) or WELSH_WORD_BEFORE.search(text, max(0, s.start - 40), s.start) \
                or opening in WELSH_HEADS:
            continue  # "Kurdish Newroz", "Spanish Town": a people's word, then one more, names a thing
        if (first, last) == (0, len(words)):
            out.append(s)
        else:
            out.append(Span(s.start + words[first].start(), s.start + words[last - 1].end(), s.label))
    return out


# "Gŵyl Ifan", "Dydd Santes Dwynwen": a name after a Welsh word that opens a festival's, a day's or a place's name.
WELSH_WORD_BEFORE = re.compile(r"(?:\b(?i:gwyl|gŵyl|dydd|diwrnod|santes|sant|eisteddfod|capel|eglwys|ysgol|canolfan|neuadd)"
                               r"|[ŵŷ]\w*)(?: (?:y|yr|[A-Z][\w'’-]*)){0,2} $")


# A field of a form pasted in, which names a place: "Ward: Splott", "Area: Moss Side".
PLACE_LABEL = re.compile(r"\b(?i:ward|area|town|village|district|borough|county|locality|neighbourhood|parish|city|region"
                         r"|location|place|lives in|based in)\s*:\s*$")
# Welsh words that start or carry a sentence: "Mae angen ...", "Tîm bach, gwaith mawr".
WELSH_MARKERS = frozenset("mae angen bach mawr gwaith yn yr i'r ar gyda oedd wedi ddim dim cyngor lleol pobl bobl ein eich fy "
                          "eu hefyd ond achos iawn diolch fawr sydd bod rydym dw dwi ni chi nhw hyn hwn hon gan heb dros trwy "
                          "gwasanaeth gwasanaethau cymuned cymunedol mwy llawer rhaid gallu gwneud eisiau pawb plant arian".split())
NEXT_WORDS = re.compile(r"[\s,]+([\w'’]+)[\s,]+([\w'’]+)")


def _welsh_word(text: str, span: Span) -> bool:
    """A one-word name before two Welsh words is a Welsh word itself ("Tîm bach, gwaith", "Mae angen i'r")."""
    if " " in text[span.start : span.end] or not (m := NEXT_WORDS.match(text, span.end)):
        return False
    return m.group(1).lower() in WELSH_MARKERS and m.group(2).lower() in WELSH_MARKERS


def not_names(text: str, spans: list[Span]) -> list[Span]:
    return _surname_first(text, [s for s in _less_words_of_peoples(text, spans) if not _welsh_word(text, s)
            and not PLACE_LABEL.search(text, max(0, s.start - 24), s.start)
            and not PLACE_NAMED_BEFORE.search(text, max(0, s.start - 24), s.start)
            and not (text[s.start : s.end].lower() in ABBREVIATED and ABBREVIATION.match(text, s.end))
            and not NAMES_AS_WORDS.match(text, s.end)])


def _surname_first(text: str, spans: list[Span]) -> list[Span]:
    """ "MACLEOD, Catriona", "WILLIAMS, Bethan Eleri": a surname in capitals, a comma, the given names: one name."""
    if ", " not in text:
        return spans
    out = list(spans)
    for s in spans:
        caps = CAPS_SURNAME_BEFORE.search(text, max(0, s.start - 30), s.start)
        if caps and not text[s.start : s.end].isupper() and (
                fold(caps.group(1)) in lexicon().surnames or any(t.start == caps.start(1) for t in spans)):
            out.append(Span(caps.start(1), s.end, "NAME"))
    return out


CAPS_SURNAME_BEFORE = re.compile(r"(?<![\w'’])([A-Z][A-Z'’-]+(?: [A-Z][A-Z'’-]+)?), $")

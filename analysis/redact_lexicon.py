"""Word lists for finding people's names (`analysis.redact_people`): given names, surnames,
names that are everyday words, places, English and Welsh words, and the phrases that name
people without being personal data (organisations named after people, idioms, office holders);
and the kind of each word, a name of no list included (`analysis.redact_model`).

The lists ship in analysis/data (built by analysis/data/build_name_lists.py from public
domain census and birth-registration lists, and build_name_model.py from SCOWL; see
analysis/data/names-README.md).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from analysis.redact_model import NAME_LIKE, name_score
from analysis.text import DATA_DIR, read_word_list, stopwords

# Letters NFKD does not split into a base letter and a mark.
SPECIAL_LETTERS = str.maketrans({"ð": "d", "Ð": "d", "þ": "th", "Þ": "th",
                                 "ł": "l", "Ł": "l", "ı": "i", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d", "ß": "ss",
                                 "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "’": "'", "‘": "'"})


def fold(word: str) -> str:
    """Lower case without accents: "Wróblewska" -> "wroblewska", "Yıldız" -> "yildiz"."""
    if word.isascii():
        return word.lower()
    decomposed = unicodedata.normalize("NFKD", word.translate(SPECIAL_LETTERS))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


class _FoldTable(dict[int, str]):
    """str.translate table that folds each character on first sight and remembers it."""

    def __init__(self, keep_case: bool) -> None:
        super().__init__()
        self.keep_case = keep_case

    def __missing__(self, code: int) -> str:
        char = chr(code)
        folded = (fold(char) or char)[0]
        self[code] = folded.upper() if self.keep_case and char.isupper() else folded
        return self[code]


_FOLD_TABLES = {False: _FoldTable(keep_case=False), True: _FoldTable(keep_case=True)}


def fold_text(text: str, keep_case: bool = False) -> str:
    """`fold` one character at a time, so that offsets into the result are offsets into `text`."""
    if text.isascii():
        return text if keep_case else text.lower()
    return text.translate(_FOLD_TABLES[keep_case])


@dataclass(frozen=True, slots=True)
class Lexicon:
    given: frozenset[str]
    surnames: frozenset[str]
    mostly_surnames: frozenset[str]
    everyday: frozenset[str]  # names that are also everyday words: Grace, Will, Hill, Wood
    places: frozenset[str]
    first_uk: frozenset[str]  # the project's hand-kept UK given names: trusted alone
    ambiguous_given: frozenset[str]  # its given names that are words: names before a surname
    keep: re.Pattern[str]  # organisations, idioms, office holders (lower-case, folded)
    kept_words: frozenset[str]  # the one-word entries of `keep` ("napoleon", "dickens")


def _lines(name: str) -> list[str]:
    lines = (line.strip() for line in (DATA_DIR / name).read_text(encoding="utf-8").splitlines())
    return [fold(line) for line in lines if line and not line.startswith("#")]


@cache
def lexicon() -> Lexicon:
    ambiguous = read_word_list(DATA_DIR / "first-names-ambiguous.txt")
    first_uk = read_word_list(DATA_DIR / "first-names-uk.txt") - ambiguous
    keep = _lines("people-not-private.txt")
    # One word alone ("napoleon", "churchill") is kept only without a title: "Mrs Churchill" is someone.
    single = _phrase_trie([p for p in keep if " " not in p])
    several = _phrase_trie([p for p in keep if " " in p])
    escaped = f"{several}|{TITLE_NOT_BEFORE}{single}"
    return Lexicon(
        given=read_word_list(DATA_DIR / "names-given.txt") | first_uk,
        surnames=read_word_list(DATA_DIR / "names-surnames.txt"),
        mostly_surnames=read_word_list(DATA_DIR / "names-mostly-surnames.txt"),
        everyday=read_word_list(DATA_DIR / "names-everyday-words.txt") | ambiguous,
        places=read_word_list(DATA_DIR / "places.txt") | read_word_list(DATA_DIR / "places-areas.txt"),
        first_uk=first_uk,
        ambiguous_given=ambiguous,
        keep=re.compile(rf"(?<![\w-])(?:{escaped})(?:'s)?(?!\w|-(?!(?:funded|backed|led|run|style|based)\b)\w)"),
        kept_words=frozenset(p for p in keep if " " not in p),
    )


TITLE_NOT_BEFORE = "".join(f"(?<!{t} )" for t in ("mr", "mrs", "ms", "miss", "dr", "cllr", "councillor"))


def _phrase_trie(phrases: list[str]) -> str:
    """A regex for `phrases` as a prefix tree of characters (a space may also be ", "): `re` tries
    the alternatives of a flat list one by one, and the list has about two thousand of them."""
    tree: dict[str, dict] = {}
    for phrase in phrases:
        node = tree
        for ch in phrase:
            node = node.setdefault(ch, {})
        node[""] = {}

    def walk(node: dict[str, dict]) -> str:
        ends = "" in node
        alts = [(r",?\s+" if ch == " " else re.escape(ch)) + walk(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 and not ends else f"(?:{'|'.join(alts)})"
        return f"{body}?" if ends and len(alts) == 1 and body.startswith("(?:") else (
            f"(?:{body})?" if ends else body)

    return f"(?:{walk(tree)})"


# Word classes of the name finder (`analysis.redact_people`).
PARTICLES = frozenset(
    "ap ab ferch van der den de da di del della du le la bin binti ibn bint al el ni nic mac mc von ter ten dela dos das "
    "o ua ui mhic".split()
)
# Words that open a place's name, not a person's ("North Tyneside", "West Lothian", "Greater Manchester").
PLACE_WORDS = frozenset("st saint queen king prince princess royal lord lady duke north south east west mid upper lower "
                        "greater mount lough loch llyn lake".split())
TITLES = frozenset("mr mrs ms miss mx dr prof professor sir dame lady lord rev revd reverend canon rabbi imam pastor father "
                   "sister brother cllr councillor auntie aunty uncle nurse bishop archbishop baroness baron".split())
# Words before a name that make a nickname of it, not part of it: "Big Tam", "wee Mo", "Little Si", "lil Jay".
NICKNAME_WORDS = frozenset("big wee little lil young old".split())
NICKNAME_WORD = "|".join(sorted(NICKNAME_WORDS))
# Words that make the chain before them an organisation, a place or a thing, not a person.
HEADS = frozenset((
    "foundation foundations trust trust's charity charities fund society hospice hospital house centre center institute "
    "award awards school college university academy library church chapel mosque temple gurdwara synagogue cathedral "
    "council party partnership group association club network alliance project programme service services care homes "
    "housing ltd limited plc llp cic inc company co bank building hall court park street road avenue lane close drive "
    "way crescent terrace grove gardens square mews place row walk rise view parade estate report review principles act "
    "inquiry commission line bridge tower ward unit prize lecture memorial arms inn hotel cottage farm stadium ground "
    "field fields vale valley bay port island isle airport station surgery practice clinic pharmacy infirmary nursery "
    "primary grammar infants cancer support nurses ambulance appeal scheme festival museum gallery theatre cinema "
    "market shopping mall store stores hub cafe kitchen bakery pantry shed ltd. law rule effect syndrome disease "
    "lodge mansions heights point buildings quay wharf yard aid action relief advice concern rescue watch matters "
    "together uk cymru international direct connect course courses team ward clinic rd st ave blvd pkwy parkway "
    "allotment allotments pub tavern baths pool leisure forum committee panel friends residents pensioners "
    "highway hwy ln elementary index life gym waste springs farms system bones community communities initiative "
    "collective cooperative co-operative enterprise enterprises coalition consortium federation movement mission "
    "refuge sanctuary rugbyworks foodbank foodbanks playgroup union board boards authority agency department directorate chatbot app "
    "day parade ceremony celebration celebrations rally fair"
).split())
# Welsh words that open an organisation's or a place's name ("Ysbyty Gwynedd", "Menter Iaith Môn").
WELSH_HEADS = frozenset("ysbyty ysgol canolfan capel eglwys menter cylch neuadd meddygfa urdd coleg prifysgol theatr clwb "
                        "mudiad cymdeithas plas castell tafarn gorsaf cyngor bwrdd hosbis ty ynys blaenau eilean "
                        "heol ffordd stryd maes lon clos rhodfa cwrt stad teras cilgant gwyl dydd diwrnod eisteddfod sioe "
                        # Gaelic and Irish: schools, societies, houses, festivals, boards, councils
                        "sgoil bun-sgoil comann cumann taigh feis conradh foras failte colaiste gaelscoil bord comhairle "
                        "ionad kosciol parafia szkola".split())
# Heads that are surnames too: after a strong given name the chain stays a person ("Emma Green").
SURNAME_HEADS = frozenset("hill wood green lane hall field bridge church banks rowe".split())


@cache
def name_stop_words() -> frozenset[str]:
    """Words that start or end no name, though capitalised ("Thanks Tariq", "Volunteers Lena")."""
    return stopwords("en") | frozenset(
        "thanks thank regards dear hi hello volunteers volunteer please sorry yes no our my his her their its ask tell "
        "the a an i i'm i’m i've i'd i'll cheers love from with mum dad son daughter wife husband partner diolch cofion "
        "gorau cynnes".split()
    ) | WELSH_FUNCTION_WORDS


# Welsh words that start or end no name (a Welsh answer: "Ein profiad ni yng Ngwynedd yw ...").
WELSH_FUNCTION_WORDS = frozenset(
    "ein eich ei eu ni chi nhw fi ti yn yng ym oedd roedd roeddwn bod yw ydy ydyn ydym sydd fydd bydd "
    "gyda heb hefyd ond neu achos oherwydd felly dros wedi cael gwneud mwy llai iawn hyn hynny hon hwn rhaid "
    "dim pob bob rydym rydyn rwy dw dwi mewn gan wrth rhwng nid nad diolch angen i'r o'r a'r".split())


def kind_of(word: str, folded: str) -> str:
    """The kind of `word` (remembered: answers repeat their words); a possessive is its name's."""
    key = (word, folded)
    if (kind := _KINDS.get(key)) is None:
        if folded.endswith("'s") and len(folded) > 4:
            kind = _KINDS[key] = kind_of(word[:-2], folded[:-2])
        elif "'" in folded[1:3] and _ELIDED.match(folded):  # "O'Shaughnessy", "D'Souza": as written without it
            kind = _KINDS[key] = kind_of(word.replace("'", "").replace("’", ""), folded.replace("'", ""))
        else:
            kind = _KINDS[key] = _wordkind_of(word, folded)
    return kind


_KINDS: dict[tuple[str, str], str] = {}
_ELIDED = re.compile(r"[a-z]{1,2}'[a-z]{3,}$")


def _wordkind_of(word: str, folded: str) -> str:
    """'G' strong given name, 'g' given name that is also a word or mostly a surname,
    'S' surname, 's' surname that is also a word, 'P' particle, 'N' or 'n' a word in no list
    that reads as a name or not (`_unlisted_kind`), '' none."""
    lex = lexicon()
    if folded in PARTICLES and (word[0].islower() or len(word) <= 3):
        return "P"
    if folded in lex.ambiguous_given and word[0].isupper():
        return "g"  # "Will Jones", not the verb
    if folded in name_stop_words() or folded in TITLES:
        return ""
    if folded in lex.given:
        if folded in lex.first_uk or (folded not in lex.everyday and folded not in lex.mostly_surnames
                                      and folded not in lex.places):
            return "G"
        return "g"
    if folded in lex.surnames:
        return "s" if folded in lex.everyday or folded in lex.places or folded in welsh_words() else "S"
    return _unlisted_kind(word, folded)


# Of two name kinds, the one that says "person" more strongly (for "Bassett-Nkemelu").
_STRENGTH = {"G": 5, "S": 4, "N": 3, "g": 2, "s": 1}


def _unlisted_kind(word: str, folded: str) -> str:
    """'N' a word in no list that reads as a name (`redact_model`), 'n' another word in no
    list and no dictionary ("Prydderch", a misspelling, a brand); '' a known word. A hyphenated
    word takes the strongest kind of its parts when all of them are names ("Sarah-Jane")."""
    if "-" in folded:
        head, _, rest = folded.partition("-")
        if head in ("al", "el", "bin", "abu", "abd", "ul", "ibn") and "-" not in rest and len(rest) > 2:
            return kind_of(word[len(head) + 1 :], rest) or "n"  # "El-Sayed", "Al-Hashimi", "Abu-Bakr"
        parts = [kind_of(w, f) for w, f in zip(word.split("-"), folded.split("-"))]
        if len(parts) > 1 and all(k in _STRENGTH for k in parts):
            return max(parts, key=_STRENGTH.__getitem__)
        return ""
    if len(folded) < 2 or not folded.isalpha() or folded in known_words():
        return ""
    if len(folded) == 2:
        return "n"  # "Ka", "Yi": too short to read
    return "N" if name_score(folded) > NAME_LIKE else "n"


LETTERS = "abcdefghijklmnopqrstuvwxyz"


@cache
def misspelt_word(word: str) -> bool:
    """A dictionary word one letter away (dropped, changed or two swapped; an added letter only in
    words of six letters or more: "Ifrat" is no misspelt "frat")."""
    known = english_words()
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    return (len(word) >= 6 and any(a + b[1:] in known for a, b in splits if b)
            or any(a + b[1] + b[0] + b[2:] in known for a, b in splits if len(b) > 1)
            or any(a + c + b[1:] in known or a + c + b in known for a, b in splits for c in LETTERS))


@cache
def known_words() -> frozenset[str]:
    """Words that are no person's name when not in the name lists: English words and proper
    nouns (SCOWL), Welsh words of place and organisation names, places, organisation words."""
    lex = lexicon()
    return (english_words() | read_word_list(DATA_DIR / "proper-nouns-en.txt") | welsh_words()
            | lex.places | lex.everyday | HEADS | TITLES | name_stop_words())


@cache
def welsh_words() -> frozenset[str]:
    """Welsh words of place, street and organisation names ("menter", "cylch", "heol")."""
    return read_word_list(DATA_DIR / "words-cy.txt")


@cache
def english_words() -> frozenset[str]:
    """Lower-case English words of no name list (SCOWL): what a misspelt word was meant to be."""
    return read_word_list(DATA_DIR / "words-en.txt") | lexicon().everyday


@cache
def plain_lower_words() -> frozenset[str]:
    """Lower-case words of the answers that are no name and no particle: the stop words and the
    everyday words of the name lists (the rest are looked at one by one)."""
    lex = lexicon()
    return frozenset((name_stop_words() | lex.everyday | TITLES) - PARTICLES - lex.first_uk)



@cache
def gate_words() -> tuple[frozenset[str], frozenset[str]]:
    """Words that can start a person (kinds 'G' and 'S' of `_word_kind`): capitalised or in
    capitals (with the ambiguous given names, "Rob Smith"), and lower-case. A text with none
    of them has no name to find here."""
    lex = lexicon()
    given = lex.first_uk | (lex.given - lex.everyday - lex.mostly_surnames - lex.places)
    surnames = lex.surnames - lex.given - lex.everyday - lex.places
    strong = (given | surnames) - name_stop_words() - TITLES
    capitalised = {w.capitalize() for w in strong} | {w.upper() for w in strong}
    # Given names that are surnames, places or words too start a person before a surname ("Bryn Morgan").
    both = {w.capitalize() for w in lex.given & lex.surnames - lex.everyday}
    return frozenset(capitalised | both | {w.capitalize() for w in lex.ambiguous_given}), frozenset(strong)

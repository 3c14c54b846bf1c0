"""Names in informal answers, typed in lower case on a phone: after kin ("my hubby dean", "ma granny agnes"),
a family title or a nickname's word ("aunty grace", "nana joy", "wee morag", "big sue"), a person's word ("the
dial-a-ride lady babs", "our lollipop man bryn"), in lists of first names ("tash, jordan, mags and auntie rose"),
in greetings ("Hi Rose,"), introductions ("bilal here.", "mi name is conor mc ardle") and families ("the Grainger
family", "we're the thompsons"). A word counts as a name only if the lists hold it as a given name (or surname),
and, where it is also an English word ("grace", "joy", "rose"), only in the strongest of these places."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from analysis.records import Span
from analysis.redact_lexicon import (HEADS, NICKNAME_WORD, NICKNAME_WORDS, english_words, fold, known_words, lexicon,
                                     misspelt_word, name_stop_words, plain_lower_words)
from analysis.redact_name_cues import KIN

# `redact_name_cues.KIN` and the words informal answers use besides ("hubby", "maw", "nain", "bestie").
KIN_WORDS = "|".join(sorted(set(KIN) | set("hubby wifey maw da granddad grandpa granda nanna nain taid aunty auntie bestie "
                                          "stepmum stepdad lad".split()), key=lambda w: (-len(w), w))) \
    + "|(?:daughter|son|mother|father|sister|brother)-in-law"
OWNER = r"(?:my|our|ma|me|mi|his|her|their|oor)"
ADJECTIVE = r"(?:(?:late|little|wee|baby|big|eldest|youngest|older|younger|elderly|lovely|dear|old)\s+)?"
WORD = r"([a-z][a-z'’-]{1,})"
KIN_LOWER = re.compile(rf"(?<![\w'’]){OWNER}\s+{ADJECTIVE}(?:{KIN_WORDS})\s*,?\s+{WORD}")
# A family title, or a nickname's word, right before a first name: "aunty grace", "wee morag", "big sue".
TITLE_LOWER = re.compile(rf"(?<![\w'’])(?:(aunty|auntie|aunt|uncle|nana|nan|nanna|nain|taid|granny|grandma|grandad|grandpa)"
                         rf"|({NICKNAME_WORD}))\s+{WORD}")
ARTICLE_BEFORE = re.compile(r"\b(?i:a|an|the|no|any|this|that|so|too|very|some|his|her|my|our|their|all|many|few|more|most|two"
                            r"|precious|tiny|quite|pretty|bit|such|one|own"
                            r"|three|four|five|six|seven|eight|nine|ten)\s+$")
PERSON_LOWER = re.compile(rf"(?<![\w'’])(?:lady|man|woman|fella|bloke|guy|rep|cook|caretaker|facilitator|driver|volunteer)"
                          rf"\s+(?:is\s+)?{WORD}")
LIST_ITEM = rf"(?:(?:{NICKNAME_WORD}|auntie|aunty|uncle|nana)\s+)?[a-z][a-z'’-]+"
LOWER_LIST = re.compile(rf"(?<![\w'’]){LIST_ITEM}(?:(?:\s*,\s*|\s+(?:and|n|&|\+)\s+|\s*,\s*and\s+){LIST_ITEM}){{2,}}")
GREETINGS = frozenset("hi hiya hello hey dear morning evening afternoon".split())
GREETING = re.compile(rf"(?:^|[\n\"“(:]\s*)(?i:{'|'.join(sorted(GREETINGS, key=len, reverse=True))})\s+([A-Z][a-z'’-]+)(?=\s*[,!\n])")
# "me (Cal)", "Our daughter's name is Hope", "My son's named Jordan", "it's Grace.", "Warren (youth worker)",
# "Jo at the CVS", "Ashton, 18,", "From: Jordan Baptiste <...>", "the Begums at ...".
ME_BRACKETS = re.compile(r"\bme \(([A-Za-z][a-z'’-]+)\)")
NAME_IS_WORD = re.compile(r"\b(?:name is|name's|named)\s+([A-Z][a-z'’-]+)\b")
ITS_NAME = re.compile(r"(?:^|[.!,]\s*)(?i:hi|hiya|hello|hey)?,?\s*(?i:it['’]?s)\s+([A-Z][a-z'’-]+)(?=\s*[.,!]| here\b| from\b)")
BRACKETED_ROLE = (r"youth worker|coach|manager|volunteer|teacher|carer|nurse|leader|organiser|chair|treasurer|secretary|"
                  r"key ?worker|support worker|social worker|caretaker")
ROLE_IN_BRACKETS = re.compile(rf"\b([A-Z][a-z'’-]+) \((?:{BRACKETED_ROLE})\b")
AT_THE = re.compile(r"(?:^|[.!?]\s+|\bto\s+)([A-Z][a-z]+) at the (?=[A-Z])")
NAME_COMMA_AGE = re.compile(r"\b([A-Z][a-z'’-]+), \d{1,2}, ")
FROM_HEADER = re.compile(r"(?m)^From:\s*([A-Z][\w'’-]+(?: [A-Z][\w'’-]+){0,2})\s*<")
AGE_HINT = re.compile(r", \d{1,2},")
ROLE_HINT = re.compile(rf"\((?:{BRACKETED_ROLE})\b")
AT_THE_HINT = re.compile(r"[A-Z][a-z]+ at the [A-Z]")
PLURAL_FAMILY = re.compile(r"\bthe ([A-Z][a-z]+)s (?=at\b|from\b|next door\b|in number\b|up the\b|down the\b)")
ME_NAMED = re.compile(r"(?i:\b(?:that's|that’s|thats|it's|it’s|its) me),? ([A-Z][a-z'’-]+|[a-z]{3,})\b(?=\s*[,.;!-])")
HERE = re.compile(r"^\s*(?:(?i:erm|um|hi|hiya|hello|hey)[,.]?\s+)?([a-z]{3,}|[A-Z][a-z]{2,}) here\b")
MY_NAME = re.compile(r"(?<![\w'’])(?:mi|ma|me) name(?:'?s| is)\s+([a-z]+(?:\s+(?:mc|mac|o'|o|de|van|ap)\s?[a-z]+|\s+[a-z]+)?)")
# "Name's Rob,", "put me down as Nigel Pocklington", "miss kaur", "(hamza ali, 17, youth council)".
NAME_IS = re.compile(r"(?:^|[.!?]\s+)(?i:name['’]?s) ([A-Z][a-z]+)\b|\b(?i:put me down as|sign me up as|i['’]m writing as) ([A-Z][a-z]+(?: [A-Z][a-z'’-]+)?)")
MISS_LOWER = re.compile(r"(?<![\w'’])(?:miss|ms|mrs|mr)\.? ([a-z][a-z'’-]{2,})\b")
THANKS_LOWER = re.compile(r"(?i:thanks|thank you|cheers|shout ?out|big up) to ([a-z]{3,})(?: and | n | & )([a-z]{3,})\b")
NAME_AGE = re.compile(r"(?:^|[(\n])\s*([a-z]{2,} [a-z]{2,}), \d{1,2},")
THE_FAMILY = re.compile(r"\b(?i:the) ((?:O['’]|Ma?c)?[A-Z][a-z]+(?:-[A-Z][a-z]+)?) (?:family|twins|brothers|sisters|household)\b|(?i:\bwe['’]re|\bwe are) the ([A-Za-z]+)s\b")
# "My carer is Florin.", "our key worker was Dunya": a person's name after "is"; "Me: Hoang. Wife: Linh." as a form's fields;
# "Lakhvir and Daljit (my sisters-in-law)": names before their kin in brackets.
KIN_IS = re.compile(rf"\b(?i:my|our)\s+(?:{KIN_WORDS}|carer|support worker|key ?worker|social worker|pa|cleaner|home help)"
                    rf"\s+(?:is|was)\s+([A-Z][a-z'’-]+)\b")
FIELD = re.compile(r"(?:^|[.;\n]\s*)(?:Me|Wife|Husband|Son|Daughter|Mum|Dad|Partner|Carer|Family name|Surname|Last name|"
                   r"First name|Given name|Forename)\s*:\s*([A-Z][a-z'’-]+)\b")
KIN_IN_BRACKETS = re.compile(rf"\b([A-Z][a-z'’-]+)(?: (?:and|&) ([A-Z][a-z'’-]+))? \((?i:my|our|his|her) (?:{KIN_WORDS}|sisters-in-law|"
                             r"brothers-in-law|cousins|neighbours|friends)\b")
AFTER_NAME = re.compile(r"\s*(?:[,.;:!?)(-]|$|(?:is|was|has|had|and|n|who|says|said|does|did|goes|went|gets|got|from|at|on|in"
                        r"|does|runs|ran|keeps|fixes|sorts|opens|cooks|[a-z]{2,}ed|[a-z]{2,}[^s\W]s)\b)")


SLANG = frozenset("tho innit init lol tbh tbf omg pls plz thx imo idk btw cos coz cus yeah yep nah aswell wiv dunno gonna "
                  "wanna gotta kinda ppl cuz aye naw nae wee".split())


# People's words and titles that the name lists hold as names too ("Lady", "Warden").
NOT_NAMES = frozenset("lady man woman warden carer nurse doctor council staff team manager driver volunteer".split())


LOWER_TOKEN = re.compile(r"[a-z]+")
DIGIT = re.compile(r"\d")
OWNERS = frozenset("my our ma me mi his her their oor".split())
KIN_TOKENS = frozenset(w.split("-")[0] for w in re.findall(r"[a-z-]+", KIN_WORDS))
TITLE_TOKENS = frozenset("aunty auntie aunt uncle nana nan nanna nain taid granny grandma grandad grandpa".split()) | NICKNAME_WORDS
PERSON_TOKENS = frozenset("lady man woman fella bloke guy rep cook caretaker facilitator driver volunteer".split())
FAMILY_WORDS = frozenset("family twins brothers sisters household".split())
KIN_IS_TOKENS = KIN_TOKENS | frozenset("carer worker keyworker pa cleaner help".split())
FIELD_TOKENS = frozenset("me wife husband son daughter mum dad partner carer name surname forename".split())


@cache
def _given(word: str) -> bool:
    folded = fold(word)
    return folded in lexicon().given and folded not in name_stop_words() and folded not in NOT_NAMES and folded not in HEADS


@cache
def _strong(word: str) -> bool:
    """A first name that is no English word ("morag", "bisi"), or one of the UK names kept by hand ("dean")."""
    folded = fold(word)
    return _given(word) and (folded not in english_words() or folded in lexicon().first_uk)


@cache
def _unknown(word: str) -> bool:
    """A word of no list and no dictionary: a short form ("shug", "tash", "bisi") where a name stands."""
    folded = fold(word)
    words = known_words()
    return len(folded) >= 3 and folded not in words and folded not in name_stop_words() \
        and folded not in lexicon().places and folded not in SLANG and folded not in NOT_NAMES and "law" not in folded \
        and not (len(folded) >= 6 and misspelt_word(folded)) \
        and not any(folded.endswith(end) and folded[: -len(end)] in words for end in ("s", "es", "ed", "ing", "ers", "er"))


def informal_names(text: str) -> Iterator[Span]:
    """Names of the shapes above, lower case or not. Each shape is looked for only when a word it needs is in the
    text (a set of the text's lower-case words): most answers have none, and the patterns' scans cost more."""
    low = text.lower() if len(text.lower()) == len(text) else text
    tokens = frozenset(LOWER_TOKEN.findall(low))
    if tokens & OWNERS and tokens & KIN_TOKENS:
        for m in KIN_LOWER.finditer(low):
            word = text[m.start(1) : m.end(1)]
            if word.islower() and (_strong(word) or (_given(word) or _unknown(word)) and AFTER_NAME.match(text, m.end(1))):
                yield Span(*m.span(1), "NAME")
    if tokens & TITLE_TOKENS:
        for m in TITLE_LOWER.finditer(text):
            word = m.group(3)
            if m.group(2) and ARTICLE_BEFORE.search(text, max(0, m.start() - 8), m.start()):
                continue  # "a big mark", "a wee bit"
            if _strong(word) or (_given(word) or _unknown(word)) and AFTER_NAME.match(text, m.end(3)):
                yield Span(*m.span(3), "NAME")
    if tokens & PERSON_TOKENS:
        yield from (Span(*m.span(1), "NAME") for m in PERSON_LOWER.finditer(text)
                    if _strong(m.group(1)) and AFTER_NAME.match(text, m.end(1)))
    if ("," in text or " and " in text or " n " in text or "+" in text) \
            and any(_strong(t) for t in tokens.difference(plain_lower_words())):
        yield from _lower_lists(text)
    yield from _introduced(text, low, tokens)
    yield from _families_and_fields(text, low, tokens)


def _introduced(text: str, low: str, tokens: frozenset[str]) -> Iterator[Span]:
    """Greetings, introductions, a name given or asked after ("Hi Rose,", "bilal here.", "mi name is", "me (Cal)")."""
    greeted = tokens & GREETINGS and ("\n" in text or ":" in text or '"' in text or "“" in text or "(" in text
                                      or low.lstrip()[:9].startswith(tuple(GREETINGS)))
    for pattern, needed in ((GREETING, greeted), (HERE, "here" in tokens), (ME_NAMED, "s me" in low or "’s me" in low)):
        for m in pattern.finditer(text) if needed else ():
            folded = fold(m.group(1))
            if _given(m.group(1)) and (_strong(m.group(1)) or m.group(1)[0].isupper() and folded in lexicon().ambiguous_given):
                yield Span(*m.span(1), "NAME")
    named = "name" in tokens or "named" in tokens or "names" in tokens
    if named and tokens & {"mi", "ma", "me"}:
        yield from (Span(*m.span(1), "NAME") for m in MY_NAME.finditer(low))
    if named or "put" in tokens or "writing" in tokens:
        for m in NAME_IS.finditer(text):
            group = 1 if m.group(1) else 2
            if _given(m.group(group).split()[0]):
                yield Span(*m.span(group), "NAME")
    if tokens & {"miss", "ms", "mrs", "mr"}:
        yield from (Span(*m.span(1), "NAME") for m in MISS_LOWER.finditer(text)
                    if fold(m.group(1)) in lexicon().surnames and fold(m.group(1)) not in english_words())
    if tokens & {"thanks", "thank", "cheers", "shout", "shoutout", "up"}:
        for m in THANKS_LOWER.finditer(text):
            if all(_given(w) or _unknown(w) for w in m.groups()) and any(_strong(w) or _unknown(w) for w in m.groups()):
                yield from (Span(*m.span(i), "NAME") for i in (1, 2))
    for pattern, needed in ((ME_BRACKETS, "me (" in low), (NAME_IS_WORD, named), (ITS_NAME, "it's " in low or "its " in low or "it’s " in low),
                            (ROLE_IN_BRACKETS, " (" in text and ROLE_HINT.search(text)),
                            (AT_THE, " at the " in text and AT_THE_HINT.search(text)),
                            (NAME_COMMA_AGE, ", " in text and AGE_HINT.search(text))):
        for m in pattern.finditer(text) if needed else ():
            word = m.group(1)
            if _given(word) and (pattern is not AT_THE or _strong(word) or fold(word) in lexicon().ambiguous_given) \
                    or _unknown(word) and pattern in (ME_BRACKETS, ROLE_IN_BRACKETS):
                yield Span(*m.span(1), "NAME")
    if "From:" in text:
        yield from (Span(*m.span(1), "NAME") for m in FROM_HEADER.finditer(text))


def _families_and_fields(text: str, low: str, tokens: frozenset[str]) -> Iterator[Span]:
    """Families ("the Begums at", "the O'Sullivan family"), a form's fields ("Wife: Linh"), kin after "is" or in
    brackets, and a lower-case name with an age."""
    if "the" in tokens:
        plural = "s at " in text or "s from " in text or "s next door" in text or "s in number" in text \
            or "s up the" in text or "s down the" in text
        for m in PLURAL_FAMILY.finditer(text) if plural else ():
            if fold(m.group(1)) in lexicon().surnames:
                yield Span(m.start(1), m.end(1) + 1, "NAME")
        if tokens & FAMILY_WORDS or "re the " in low or "are the " in low:
            for m in THE_FAMILY.finditer(text):
                group = 1 if m.group(1) else 2
                if fold(m.group(group)).replace("'", "").replace("’", "") in lexicon().surnames:
                    yield Span(m.start(group), m.end(group) + (group == 2), "NAME")
    for pattern, needed in ((KIN_IS, tokens & {"is", "was"} and tokens & {"my", "our"} and tokens & KIN_IS_TOKENS),
                            (FIELD, ":" in text and tokens & FIELD_TOKENS),
                            (KIN_IN_BRACKETS, "(my " in low or "(our " in low or "(his " in low or "(her " in low)):
        for m in pattern.finditer(text) if needed else ():
            for group in range(1, (m.lastindex or 1) + 1):
                if m.group(group) and (_given(m.group(group)) or _unknown(m.group(group))
                                       or pattern is FIELD and fold(m.group(group)) in lexicon().surnames):
                    yield Span(*m.span(group), "NAME")
    if ", " in text and AGE_HINT.search(text):
        for m in NAME_AGE.finditer(text):
            first, last = m.group(1).split()
            if _given(first) and (fold(last) in lexicon().surnames or _unknown(last)):
                yield Span(*m.span(1), "NAME")


def _lower_lists(text: str) -> Iterator[Span]:
    """Three or more lower-case items, one a strong first name and another a name or a word of no dictionary
    ("tash, jordan, mags"): every such item, and one after "big" or "wee" ("wee col")."""
    nicknamed = NICKNAME_WORDS | {"auntie", "aunty", "uncle", "nana"}
    for m in LOWER_LIST.finditer(text):
        items = [i for i in re.finditer(r"[a-z][a-z'’-]+", m.group()) if i.group() not in ("and", "n")]
        words = [(w, i > 0 and items[i - 1].group() in nicknamed) for i, w in enumerate(items) if w.group() not in nicknamed]
        named = [(w, nick) for w, nick in words if _given(w.group()) or _unknown(w.group()) or nick]
        if any(_strong(w.group()) for w, _nick in words) and sum(_given(w.group()) for w, _nick in words) >= 2 and len(named) >= 2:
            yield from (Span(m.start() + w.start(), m.start() + w.end(), "NAME") for w, _nick in named)

"""The cues of `analysis.redact_names`: the words a person's name follows (titles, roles, kin,
self-introductions, sign-offs, "called", "thanks to"), the Unicode-aware name patterns matched at them,
the words after them that are no name, and CUE, which finds every cue in one case-sensitive pass over
the lower-cased text (a prefix-tree regex).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import regex

from analysis.redact_lexicon import NICKNAME_WORD

TITLES = "mr mrs ms miss mx dr prof professor sir dame lady lord rev revd canon rabbi imam pastor auntie aunty uncle grandma grandad grandpa nana".split()
TITLE = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Sir|Dame|Lady|Lord|Rev|Revd|Canon|Rabbi|Imam|Pastor|Auntie|Aunty|Uncle|Grandma|Grandad|Grandpa|Nana)\.?"
# A title in capitals, then up to three words in capitals ("MRS BERYL OGUNDIPE HAS ...").
TITLED_CAPS = regex.compile(
    r"(?:MR|MRS|MS|MISS|DR|REV|REVD|CLLR|SIR|DAME)\.? ((?:\p{Lu}[\p{Lu}'’-]+)(?: \p{Lu}[\p{Lu}'’-]+){0,2})\b")
# "Lord Mayor", "Lady Mayoress": offices, not people.
OFFICE_AFTER_TITLE = frozenset("mayor mayoress provost lieutenant chancellor bishop chief justice speaker".split())
ROLES = (
    "nurse doctor sister matron midwife consultant surgeon receptionist paramedic councillor cllr officer pc dc "
    "physio physiotherapist pharmacist dentist porter caretaker"
).split()
# Roles in community groups: after them a name must be in no dictionary ("our treasurer Mr X", not
# "our volunteer Drivers"); see `redact_names._cued_name`.
# (Not "worker", "manager", "carer": common words in answers, each a cue to look at costs time.)
GROUP_ROLES = frozenset(
    "volunteer coordinator co-ordinator treasurer secretary chair chairman chairwoman chairperson "
    "tutor mentor vicar warden interpreter translator organiser befriender driver coach keyworker caseworker facilitator".split()
)
KIN = (
    "son daughter husband wife partner mum mother mam mom dad father brother sister grandson granddaughter "
    "grandma grandad grandmother grandfather nan nana gran granny aunt uncle nephew niece cousin neighbour carer "
    "friend boyfriend girlfriend fiance fiancee child stepson stepdaughter baby boy girl mate pal colleague flatmate "
    "housemate lodger"
).split()
# Jobs and offices, capitalised as titles: "I'm Deputy Head at ...", "Many thanks, Parish Clerk".
JOBS = frozenset("clerk deputy head headteacher headmaster headmistress chair chairman chairwoman chairperson director "
                 "manager officer secretary treasurer trustee trustees coordinator co-ordinator governor warden leader "
                 "chief executive principal superintendent commissioner administrator assistant adviser advisor "
                 "parish team staff volunteers committee".split())
PEOPLE = "lady man woman gentleman guy bloke girl lad chap someone somebody person".split()
SIGN_OFFS = "kind best warm regards many thanks thank thankyou cheers yours sincerely signed diolch cofion".split()
# Name patterns are Unicode-aware (the `regex` module's letter classes): "Mrs Szymański", "Mr Ó Súilleabháin".
NAME_WORD = r"(?:\p{Lu}['’]|Ma?c(?=\p{Lu}))?\p{Lu}\p{Ll}+(?:[-'’]\p{Lu}?\p{Ll}+)*"  # Patel, O'Neill, McGregor-Hall
ANY_WORD = r"\p{L}[\p{L}'’-]*\.?"  # "sarah", "J.", "O'Brien", "łucja"
# The patterns below are matched at a cue word found by CUE, not searched for.
TITLED_NAME = regex.compile(rf"{TITLE} ((?:\p{{Lu}}\.? )*(?:(?:Ó|Ua|Uí|de|van|von|al|el|ap) )?{NAME_WORD}(?: {NAME_WORD})?)")
# After Mr/Mrs (and "Dr." with capital and dot) people often write the surname in lower
# case ("mr patel"); not after ms/miss ("MS Teams", "hit and miss") or "the dr. today".
TITLED_LOWER = regex.compile(r"(?:(?i:mr|mrs)\.?|(?i:dr)\.|dr(?= \p{Lu})) (\p{L}[\p{Ll}'’-]+)\b")
ROLE_NAME = regex.compile(rf"[A-Za-z]+?(s?)\.?,? ({NAME_WORD}(?: {NAME_WORD})?|\p{{Ll}}+\b)")
SELF_NAMED = regex.compile(rf"(?i:my name is|my name's|i am called|i'm called)\s+({ANY_WORD}(?: {ANY_WORD}){{0,2}})")
INTRODUCED_LOWER = re.compile(r"(?:i'm|i’m|im|i am|its|it's|this is) ([a-z]{3,})(?=\s*(?:[,.!;]|$|\band\b|\bfrom\b|\bhere\b))")
INTRODUCED = regex.compile(rf"(?i:i'm|i’m|i am|this is)\s+({NAME_WORD}(?: {NAME_WORD})?)")
KIN_NAMED = regex.compile(
    rf"(?i:my|our|his|her|their) (?i:(?:late|little|wee|baby|big|eldest|youngest|older|younger|elderly) )?(?i:{'|'.join(KIN)}),? "
    rf"({ANY_WORD}(?: {NAME_WORD})?)"
)
ASKED_FOR = regex.compile(
    rf"(?i:speak to|spoke to|talk to|talked to|ask for|asked for|spoke with|ask|asked|ring|text|tell|phone|call)"
    rf" (?:(?i:{NICKNAME_WORD}) )?({NAME_WORD}|\p{{Ll}}+\b|\p{{Lu}}{{3,}}\b(?=[^\p{{Ll}}]*$))")  # the last: in a text in capitals
NICKNAMED = re.compile(rf"(?i:{NICKNAME_WORD}) $")  # "ask for Big Tam": a weaker given name will do
CALLED = regex.compile(rf"[A-Za-z]+ (?i:called|named) ({NAME_WORD}(?: {NAME_WORD})?)")
OUR_NAME = regex.compile(r"(?i:our) (\p{Lu}\p{Ll}+)(?= \p{Ll})")
# "called jordan", "written by bartosz", "thanks to dawn and kev": names in lower case too.
CALLED_ANY = regex.compile(rf"(?i:called|named) (?!after )({ANY_WORD}(?: {ANY_WORD})?)")
WRITTEN_BY = regex.compile(rf"(?i:written|signed|submitted|filled in|filled out|completed)(?: by| for)? ({ANY_WORD}(?: {ANY_WORD})?)")
THANKS_TO = regex.compile(r"(?i:thanks|thank you) to ([\p{L}'’-]+(?:(?:, | and | & )[\p{L}'’-]+){0,4})")
# After "my daughter" a lower-case given name is one when a verb or a stop follows ("my daughter
# grace is autistic"), not "my wife may come".
AFTER_LOWER_NAME = re.compile(
    r"\s*(?:[,.;:!?)(-]|$|(?:is|was|has|had|and|who|says|said|does|did|goes|went|gets|got|uses|used|[a-z]{2,}[^s\W]s)\b)")
# A name closing the text or a line after a sign-off ("Thanks,\nDave", "cheers, mike",
# "thanks for reading, lisa", "Regards,\nMr K Singh").
SIGN_OFF = regex.compile(
    r"(?i:kind regards|best regards|warm regards|regards|best wishes|many thanks|thanks|thank you|thankyou|cheers"
    r"|yours sincerely|yours faithfully|yours truly|sincerely|signed|diolch(?: yn fawr)?|cofion(?: gorau| cynnes)?"
    r"|best(?=,?[ \t]*\n))"  # "Best,\nK. Mensah"
    r"(?P<for>(?i: again| for [^\n,.!?]{1,30}))?(?P<sep>[ \t]*[,:!.-]+[ \t]*(?:\n[ \t]*){0,2}|[ \t]*\n\s*|[ \t]+)"
    rf"(?:(?i:from|love) )?(?:{TITLE} )?(?P<name>{ANY_WORD}(?: {ANY_WORD}){{0,2}}?)(?=[ \t.]*(?:$|\n|\(|,| -))"
)
TRAILING_SIGNED = regex.compile(r"[ \t][-–—~][ \t]*(\p{L}[\p{L}'’-]*(?: \p{L}[\p{L}'’-]*)?)[ \t.!]*$")
DASH_SIGNED = regex.compile(rf"[ \t]*[-–—~][ \t]*({ANY_WORD}(?: {NAME_WORD})?)(?:,[^\n,]{{1,40}})?[ \t.]*$")
NOT_PEOPLE = frozenset({"dr foster", "john lewis", "dr martens", "dr oetker", "dr pepper", "dr who"})  # brands
# Capitalised words after "I'm", "my son" or a sign-off that describe rather than name.
NOT_NAMES = frozenset(
    "british english scottish welsh irish polish european asian black white muslim jewish christian catholic "
    "hindu sikh deaf disabled autistic labour tory conservative sorry not fine ok okay everyone everybody "
    "all guys folks mate team again lot lots loads much x xx xxx love god council nhs staff committee "
    "association group trust residents none nothing everything good great well thank thanks please very "
    "excellent lovely brilliant service food care i'm i’m i've i'd i'll".split()
) | frozenset(KIN) | frozenset(TITLES)
PLAIN_ENDINGS = ("ing", "ed", "ly", "ful", "ous", "ive", "able", "ible", "ment", "tion", "ness")

CUES = (
    {w: "title" for w in TITLES}
    | {w + s: "role" for w in [*ROLES, *GROUP_ROLES] for s in ("", "s")}
    | {"my": "my", "our": "our", "i'm": "i", "i’m": "i", "i am": "i", "this is": "i", "im": "i", "its": "i"}
    | {f"{whose} {kin}": "kin" for whose in ("his", "her", "their") for kin in KIN}
    | {"written": "by", "signed": "by", "submitted": "by", "filled in": "by", "filled out": "by", "completed": "by",
       "thanks to": "to", "thank you to": "to", "called": "called",
       "named": "called"}
    | {w: "sign" for w in SIGN_OFFS}
    | {w: "ask" for w in "speak spoke talk talked ask asked ring text tell phone call".split()}
    | {w: "person" for w in PEOPLE if w not in TITLES}
)


def _trie(words: Iterable[str]) -> str:
    """A regex matching exactly `words`, as a prefix tree: `re` tries alternatives one by
    one, so sharing first letters makes the scan for CUE about twice as fast."""
    branches: dict[str, list[str]] = {}
    for word in words:
        branches.setdefault(word[:1], []).append(word[1:])
    optional = "" in branches
    alts = [re.escape(first) + _trie(rest) for first, rest in sorted(branches.items()) if first]
    if not alts:
        return ""
    return f"(?:{'|'.join(alts)}){'?' if optional else ''}"


CUE = re.compile(rf"(?<![\w'’]){_trie(CUES)}\b")  # a look-behind scans faster than a leading \b
THE_BEFORE = re.compile(r"\b(?i:the) $")

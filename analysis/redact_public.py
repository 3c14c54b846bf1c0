"""People named in public life, whose names are no personal data in an answer (`analysis.redact`):
office holders named with their office ("Cllr Hughes, as cabinet member for ...", "Shadow health
secretary Victoria Atkins", "Helen Morgan MP"), holders of honours and peerages ("Sir Terry
Pratchett", "Baroness Casey"), authors of public works ("Marmot's review"), and the phrases of
`data/people-not-private.txt` (charities, idioms, public figures). Someone named as one's own ("my
neighbour Sir Bob", "my neighbour Ruth Jones") is redacted all the same.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from analysis.records import Span
from analysis.redact_lexicon import fold_text, lexicon
from analysis.redact_name_cues import GROUP_ROLES, KIN, ROLES

DEPARTMENT = (r"home|foreign|health|education|justice|culture|business|transport|environment|communities|housing|"
              r"levelling up|welsh|scottish|northern ireland|work and pensions|defence|energy|treasury|chief|cabinet|"
              r"permanent|social care|local government|trade|culture,? media and sport|digital")
# Public offices: a name in one of them is named in its public role.
OFFICE = (rf"secretary of state|(?:deputy )?prime minister|chancellor|(?:shadow |junior |care |housing |health )?minister|"
          rf"(?:shadow )?(?:{DEPARTMENT}) secretary|(?:lord |deputy |metro )?mayor|(?:deputy )?first minister|"
          r"leader of the opposition|cabinet member|cabinet secretary|portfolio holder|council leader|deputy leader|"
          r"leader (?:of|on) (?:the )?(?:[a-z]+ ){0,3}council|chief executive of (?:the )?(?:[a-z]+ ){0,3}council|"
          r"council's chief executive|director(?= of (?!our\b|my\b|a\b|behalf\b))|"
          r"chief constable|police and crime commissioner|auditor general|(?:arch)?bishop|senedd member|"
          r"member of the senedd|member of parliament|spokes(?:person|man|woman)|chief medical officer|chief nurse|"
          r"(?:ward|county|borough|district|city|town|parish) councillor|commissioner|ombudsman|\bmp\b|\bmsp\b|\bms for\b|\bmep\b|\bmla\b|the king|the queen")
OFFICE_NEAR = re.compile(rf"(?i:{OFFICE})")
OFFICE_AFTER = re.compile(rf"(?i)\s*(?:,\s*(?:as|the|then|now|our|former|when\s+(?:she|he|they)\s+(?:was|were)(?:\s+the)?)?\s*|\s+(?:was|is|as|became)\s+(?:the\s+|my\s+|our\s+)?)"
                          rf"(?:{OFFICE})|\s+(?-i:MP|MSP|MS|MLA|MEP)\b")
OFFICE_RIGHT_BEFORE = re.compile(rf"(?:{OFFICE})\s+$", re.I)  # "the minister Jane Hutt", "Mayor Andy Burnham"
# "The cabinet member for adult services, Cllr Paul Hirst", "Senedd member Mabon ap Gwynfor".
OFFICE_BEFORE = re.compile(rf"(?i:(?:{OFFICE})(?:\s+(?:for|of|on)(?:\s+[\w'’-]+){{1,4}}\s*,)?)\s*,?\s*"
                           r"(?:(?:Cllr|Councillor|Mr|Mrs|Ms|Miss|Dr)\.?\s+)?$")
# A word of every office, looked for before OFFICE_BEFORE's costlier scan.
OFFICE_WORDS = ("minister", "secretar", "chancellor", "mayor", "leader", "member", "holder", "chief", "director",
                "constable", "commissioner", "councillor", "auditor", "bishop", "senedd", "parliament", "spokes", "officer", "nurse",
                "ombudsman", "mp", "ms", "mep", "mla", "king", "queen")
WORKS_AFTER = re.compile(r"(?i:'s|’s)\s+(?:[a-z-]+\s+)?(?:review|report|campaign|principles|inquiry|reforms|government|"
                         r"budget|speech|strategy|plan|white paper|law|commission|foundation|trust|fund|award)\b"
                         r"|\s+(?:statue|memorial|monument|plaque|mural)\b")  # "the Cecil Rhodes statue": a public figure
# "Sir Terry Pratchett", "Dame Kelly Holmes", "Baroness Casey", "Bishop Libby Lane": public life.
HONOUR_BEFORE = re.compile(r"\b(?:Sir|Dame|Lord|Lady|Baroness|Baron|Bishop|Archbishop|SIR|DAME|LORD|LADY|BARONESS)\.?\s+$")
# "my neighbour Ruth Jones", "our volunteer Tom Jones": someone of one's own, though named like a public figure.
PERSONAL_BEFORE = re.compile(rf"\b(?i:my|our|his|her|their)\s+(?i:late\s+|dear\s+|old\s+)?"
                             rf"(?i:{'|'.join(sorted({*KIN, *ROLES, *GROUP_ROLES}))})\s*,?\s+$")
# "Eluned Morgan (not the First Minister, ...)", "Dafydd ap Gwilym — no relation to the poet": a private namesake.
NOT_THE_ONE = re.compile(r"\s*[(—–,-]\s*(?i:not the\b|not that one|no relation)")
NAMESAKE = re.compile(r"(?i:named|called) (?:after|for) $")  # "named after Tom Jones": a namesake, in public


def office_holder(text: str, start: int, end: int) -> bool:
    """ "The Chancellor, Rachel Reeves," / "Andy Burnham, as Mayor of ...": a public role beside the name."""
    before = text[max(0, start - 30) : start]
    after = text[end : end + 40]
    low = before.lower()
    return bool(any(word in low for word in OFFICE_WORDS) and OFFICE_NEAR.search(before) and (re.search(r"(?i:the|,)\s*$", before) or OFFICE_RIGHT_BEFORE.search(before))
                or OFFICE_AFTER.match(after))


def kept_phrases(text: str) -> list[tuple[int, int]]:
    """Where the text names people without personal data: charities, idioms, office holders."""
    return [m.span() for m in lexicon().keep.finditer(fold_text(text))]


def _public(text: str, span: Span, kept: list[tuple[int, int]]) -> bool:
    start, end = span.start, span.end
    # A phrase of one word ("Napoleon", "Dickens") keeps only a name no longer than itself: not "Sarah Dickens".
    if any(start < k_end and end > k_start and (start >= k_start and end <= k_end or " " in text[k_start:k_end])
           for k_start, k_end in kept):
        return True
    possessive = text[end - 2 : end] in ("'s", "’s")
    if OFFICE_AFTER.match(text, end) or WORKS_AFTER.match(text, end - 2 if possessive else end):
        return True
    before = text[max(0, start - 90) : start].lower()
    if any(word in before for word in OFFICE_WORDS) and OFFICE_BEFORE.search(text, max(0, start - 90), start):
        return True
    return bool(honour := HONOUR_BEFORE.search(text, max(0, start - 12), start)) and not PERSONAL_BEFORE.search(
        text, max(0, honour.start() - 40), honour.start())


def private_names(text: str, spans: Iterable[Span]) -> list[Span]:
    """The name spans that are not people in public life (nor a namesake: "named after Tom Jones")."""
    spans = list(spans)
    if not spans:
        return spans
    kept = kept_phrases(text)
    return [s for s in spans if not (_public(text, s, kept) and not PERSONAL_BEFORE.search(text, max(0, s.start - 40), s.start)
                                     and not NOT_THE_ONE.match(text, s.end))
            and not NAMESAKE.search(text, max(0, s.start - 16), s.start)]

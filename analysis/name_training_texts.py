"""The generated answers the name tagger is trained on (`analysis.train_names`): sentences of
`analysis.name_templates` filled with names of the shipped lists and with synthetic names (letters
recombined by a character model of the lists), in any case, among clean look-alikes: organisations
named after people, places, public figures, capitalised words, Welsh. With `half` 0 or 1, only one half
of every name list (split by a hash of the name) and of the composed sentences' parts.
"""

from __future__ import annotations

import random
import re
import zlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from analysis.name_templates import (ACRONYMS, AFTER_PERSON, AFTER_THING, BEFORE_PERSON, BEFORE_THING, CAP_WORDS, CY_HEADS, KIN,
                                    ORG_FORMS, ORG_HEADS, WELSH_WORDS)
from analysis.redact_lexicon import english_words, lexicon
from analysis.text import DATA_DIR, read_word_list

SLOT = re.compile(r"\{(\w+)\}")
TITLES = ("Mr", "Mrs", "Ms", "Miss", "Dr", "Cllr", "Nurse")


@dataclass(frozen=True)
class Pools:
    given: list[str]
    surnames: list[str]
    synthetic_given: list[str]
    synthetic_surnames: list[str]
    places: list[str]
    synthetic_places: list[str]
    public: list[str]
    brands: list[str]


def _half(words: Sequence[str], half: int | None) -> list[str]:
    return sorted(w for w in words if half is None or zlib.crc32(w.encode()) % 2 == half)


def _markov(words: Sequence[str], rng: random.Random, count: int, known: frozenset[str]) -> list[str]:
    """New words from a character model of order 2 over `words`: "Parveen"-like names in no list."""
    nxt: dict[str, list[str]] = defaultdict(list)
    for w in words:
        marked = f"^^{w}$"
        for i in range(2, len(marked)):
            nxt[marked[i - 2 : i]].append(marked[i])
    out: set[str] = set()
    for _ in range(count * 20):
        if len(out) >= count:
            break
        word, ctx = "", "^^"
        while len(word) < 12:
            ch = rng.choice(nxt[ctx])
            if ch == "$":
                break
            word += ch
            ctx = ctx[1] + ch
        if 3 <= len(word) <= 11 and word not in known and word not in words:
            out.add(word)
    return sorted(out)


def pools(half: int | None, seed: int) -> Pools:
    lex = lexicon()
    rng = random.Random(seed)
    words = english_words()
    strong_given = [w for w in lex.given if w.isalpha() and w not in lex.everyday and w not in lex.places
                    and w not in words and len(w) > 2]
    given = _half(sorted(lex.first_uk) + rng.sample(sorted(strong_given), 4000), half)
    surnames_all = sorted(w for w in lex.surnames if "'" not in w and w not in lex.places and w not in words)
    surnames = _half(rng.sample(surnames_all, 8000) + sorted(lex.surnames & lex.everyday)[:300], half)
    known = frozenset(words | lex.given | lex.surnames | lex.places)
    public = [line.strip() for line in (DATA_DIR / "people-not-private.txt").read_text("utf-8").splitlines()
              if line.strip() and not line.startswith("#")]
    return Pools(given=given, surnames=surnames,
                 synthetic_given=_markov(given, rng, 1500, known), synthetic_surnames=_markov(surnames, rng, 1500, known),
                 places=_half(sorted(lex.places), half),
                 synthetic_places=_markov(_half(sorted(lex.places), half), rng, 1500, known), public=_half(public, half),
                 brands=_half(sorted(read_word_list(DATA_DIR / "proper-nouns-en.txt")), half))


def _cap(word: str) -> str:
    return "-".join(p[:1].upper() + p[1:] for p in word.split("-"))


def _given(p: Pools, rng: random.Random) -> str:
    return _cap(rng.choice(p.synthetic_given if rng.random() < 0.3 else p.given))


def _surname(p: Pools, rng: random.Random) -> str:
    s = _cap(rng.choice(p.synthetic_surnames if rng.random() < 0.3 else p.surnames))
    r = rng.random()
    if r < 0.06:
        return f"{s}-{_cap(rng.choice(p.surnames))}"
    if r < 0.16:
        pre = rng.choice(("Mac", "Mc", "O'", "O'"))
        return pre + (s[:1].upper() + s[1:] if rng.random() < 0.8 else s.lower())
    if r < 0.19:
        return rng.choice(("al-", "el-", "Al-")) + s
    if r < 0.21:
        return rng.choice(("ap ", "de ", "van ", "Ní ")) + s
    if r < 0.26:
        return _cap(rng.choice([w for w in p.surnames if len(w) <= 3] or p.surnames))  # "Ng", "Li"
    return s


def _full(p: Pools, rng: random.Random) -> str:
    r = rng.random()
    if r < 0.06:
        return f"{_given(p, rng)} {_given(p, rng)} {_surname(p, rng)}"
    if r < 0.09:
        return f"{_given(p, rng)} {rng.choice('ABCDEFGHJKLMPRST')}. {_surname(p, rng)}"
    return f"{_given(p, rng)} {_surname(p, rng)}"


def _case(name: str, rng: random.Random) -> str:
    r = rng.random()
    return name.lower() if r < 0.05 else name.upper() if r < 0.08 else name


def fill(template: str, p: Pools, rng: random.Random) -> tuple[str, list[tuple[int, int, bool]]]:
    """The template with its slots filled, and the spans of the people's names in it (start, end, True)
    and of public people's (start, end, False): neither taught as a name nor as none, since a public
    person's name looks like anyone's and `redact_public` keeps it."""
    out, spans, last = [], [], 0
    for m in SLOT.finditer(template):
        out.append(template[last : m.start()])
        last = m.end()
        slot = m.group(1)
        if slot == "P":
            slot = rng.choice(("G", "F", "F", "T"))
        value, named = "", True
        if slot == "G":
            value = _case(_given(p, rng), rng)
        elif slot == "F":
            value = _case(_full(p, rng), rng)
        elif slot == "S":
            value = _case(_surname(p, rng), rng)
        elif slot == "T":
            out.append(rng.choice(TITLES) + " ")
            value = _case(_surname(p, rng), rng)
        else:
            named = False
            if slot == "ORG":
                form = rng.choice(ORG_FORMS)
                value = form.format(S=_surname(p, rng), G=_given(p, rng), H=rng.choice(ORG_HEADS))
            elif slot == "PLACE":
                value = _cap(rng.choice(p.synthetic_places if rng.random() < 0.4 else p.places))
                if rng.random() < 0.15:
                    value += " " + _cap(rng.choice(p.synthetic_places + p.places))  # "Newport Pagnell"
            elif slot == "ACR":
                r = rng.random()
                value = rng.choice(ACRONYMS) if r < 0.6 else "".join(rng.choice("ABCDEFGHIJKLMNOPRSTUVWY")
                                                                     for _ in range(rng.randint(2, 5)))
            elif slot == "CYORG":
                value = rng.choice(CY_HEADS) + " " + " ".join(rng.sample(WELSH_WORDS, rng.randint(1, 2)))
            elif slot == "PUB":
                value = " ".join(_cap(w) for w in rng.choice(p.public).split())
                spans.append((sum(map(len, out)), sum(map(len, out)) + len(value), False))
            elif slot == "CAP":
                value = rng.choice(CAP_WORDS)
            elif slot == "BRAND":
                value = _cap(rng.choice(p.brands if rng.random() < 0.7 else p.synthetic_places))
        start = sum(map(len, out))
        out.append(value)
        if named:
            spans.append((start, start + len(value), True))
    out.append(template[last:])
    return "".join(out), spans


def _composed(rng: random.Random, half: int | None, named: bool) -> str:
    """A sentence of parts: "my nan {G} is 87", "ring {G}", "{G} runs the group"; or the same places
    filled with things ("in {PLACE} is closed on Sundays")."""
    def pick(parts: Sequence[str]) -> str:
        return rng.choice(parts if half is None else parts[half::2])

    if named:
        person = rng.choice(("{G}", "{G}", "{F}", "{P}"))
        form = rng.random()
        if form < 0.35:
            return f"{rng.choice(('my', 'our', 'her', 'his', 'their', 'My', 'Our'))} {pick(KIN)} {person} {pick(AFTER_PERSON)}."
        if form < 0.7:
            return f"{pick(BEFORE_PERSON).capitalize()} {person} {rng.choice(('', 'please', 'if you can', 'today'))}".rstrip() + "."
        return f"{person} {pick(AFTER_PERSON)}."
    thing = rng.choice(("{PLACE}", "{ORG}", "{BRAND}", "{ACR}", "{CYORG}", "{CAP}"))
    form = rng.random()
    if form < 0.4:
        return f"{pick(BEFORE_THING).capitalize()} {thing} {pick(AFTER_THING)}."
    if form < 0.7:
        return f"{thing} {pick(AFTER_THING)}."
    return f"{pick(BEFORE_PERSON).capitalize()} {thing} {pick(AFTER_THING)}."


def generate(p: Pools, named: Sequence[str], clean: Sequence[str], count: int, seed: int, half: int | None = None
             ) -> list[tuple[str, list[tuple[int, int, bool]]]]:
    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        with_name = rng.random() < 0.6
        parts = [rng.choice(clean) if rng.random() < 0.6 else _composed(rng, half, False)
                 for _ in range(rng.choice((0, 1, 1, 2)))]
        if with_name:
            parts.insert(rng.randrange(len(parts) + 1), rng.choice(named) if rng.random() < 0.6 else _composed(rng, half, True))
        elif not parts:
            parts = [rng.choice(clean)]
        text, spans = "", []
        for part in parts:
            sep = "" if not text else rng.choice((" ", " ", "\n"))
            filled, found = fill(part, p, rng)
            base = len(text) + len(sep)
            text += sep + filled
            spans += [(s + base, e + base, named) for s, e, named in found]
        r = rng.random()
        text = text.lower() if r < 0.1 else text.upper() if r < 0.13 else text
        texts.append((text, spans))
    return texts


"""Word forms that shape theme labels, read from the answers themselves: which words in -s are verbs there
(English agreement), which are plurals of a noun the answers also use, and how often a phrase goes on."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable

from analysis.text import normalise

WORD = re.compile(r"\w+(?:[-'’]\w+)*")

VERB_SHARE = 0.5  # a word in -s this often straight after a singular subject is a verb, and does not end a label
NOT_VERB_ENDINGS = ("ss", "us", "is", "as", "os", "ies")  # "this process", "this bus", "that crisis", "this series"


def verbs_by_agreement(texts: Iterable[str], subjects: frozenset[str]) -> frozenset[str]:
    """Words in -s that the texts write straight after one of `subjects` in at least VERB_SHARE of their
    uses, and at least twice ("the fear that drives desperation"): verbs, whatever else they can be."""
    if not subjects:
        return frozenset()
    uses: Counter[str] = Counter()
    after: Counter[str] = Counter()
    for text in texts:
        words = [normalise(w) for w in WORD.findall(text)]
        for before, word in zip([""] + words, words):
            if len(word) > 3 and word.endswith("s") and not word.endswith(NOT_VERB_ENDINGS):
                uses[word] += 1
                after[word] += before in subjects
    return frozenset(w for w, n in after.items() if n >= max(2, VERB_SHARE * uses[w]))


def singulars(words: Iterable[str], not_nouns: frozenset[str]) -> dict[str, str]:
    """{plural: singular} for the regular English plurals among `words` whose singular is among them too and
    may be a noun (not one of `not_nouns`): "appointments" -> "appointment", "policies" -> "policy", "buses"
    -> "bus". A word in -s whose would-be singular is never a noun ("thanks": "thank" is a verb only) or that
    answers use as a verb ("drives", in `not_nouns` by agreement) stays as it is, as does one whose singular
    the answers never write."""
    words = set(words)
    found = {}
    for word in words:
        if len(word) < 3 or not word.endswith("s") or word.endswith("ss") or word in not_nouns:
            continue
        if word.endswith("ies"):
            candidates = (word[:-3] + "y", word[:-1])  # "policies", "movies"
        elif word.endswith("es"):
            candidates = (word[:-1], word[:-2])  # "services", "buses"
        else:
            candidates = (word[:-1],)
        singular = next((c for c in candidates if len(c) > 1 and c in words and c not in not_nouns), None)
        if singular:
            found[word] = singular
    return found


def continuations(inside: Counter[str], key: Callable[[str], str] = str) -> Counter[str]:
    """How many of each phrase's uses go on with another word, from the counts of the phrases one word longer
    (each phrase's start as `key` gives it: the phrases are counted by key)."""
    continued: Counter[str] = Counter()
    for phrase, count in inside.items():
        if " " in phrase:
            continued[key(phrase.rpartition(" ")[0])] += count
    return continued

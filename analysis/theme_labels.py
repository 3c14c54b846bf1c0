"""Readable names and one-sentence descriptions for themes found in answers.

A label is the phrase of one to three words, taken as written from inside one clause of the members'
answers (never across a full stop or comma, which made "time driver" of "on time. Driver"), that is
most frequent in the theme compared with all answers. It never starts or ends with a stopword, a
number, a contraction ("don't") or a weak word ("absolutely", "nothing", "think", "five": shipped
lists in `data/label-weak-words-*.txt`), so it is never a pair of stop words or a fragment. In English it
never ends with a word that is never a noun ("explain", "important": `data/label-not-heads-en.txt`, from
WordNet), since a noun phrase ends in its noun: "Economic argument", not "Economic"; nor with a word that
is an adjective as often as a noun ("annual": `data/label-modifiers-en.txt`) where most answers that use it
put it before another word ("Require annual" of "require annual health checks"); a bare adjective or
verb ("young", "boring", "remove": `data/label-not-alone-en.txt`) ends a longer label but is never one alone; nor
does a word in -s that answers mostly write straight after a singular subject ("the fear that drives
it", "it costs"): English agreement makes it a verb there. A phrase led by an imperative verb that members
mostly continue with another word has lost its verb's object ("Require gambling" of "require gambling
companies to..."): the whole object names the theme ("Gambling companies"). Where members mostly write a
negation straight before the label, it keeps it ("Could not fault", "No complaints": `data/label-negations-*.txt`).
In English a phrase and its plural are counted as one where the answers write both ("appointment", "appointments":
analysis.theme_label_forms), written as most members write it; and a phrase never ends straight after a plural,
which is mostly the next word's subject ("these ads target").
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from analysis.prescriptive import imperative_verbs
from analysis.text import DATA_DIR, check_language, normalise, read_word_list
from analysis.theme_label_forms import WORD, continuations, singulars, verbs_by_agreement

ADDRESS = re.compile(r"https?://\S+|www\.\S+|\S+@\S+", re.IGNORECASE)  # links and e-mail addresses name nothing
CLAUSE = re.compile(r"[.,;:!?()\[\]{}\"“”„«»/\n\r\t…]+|\s[-–—]\s")
MAX_WORDS = 3
LONGER_PHRASE_BONUS = 1.25  # a 2-3 word phrase reads better than one word of the same weight
LONGER_PHRASE_SHARE = 0.2  # a longer phrase holding the best one names it when this share of its uses are in it
SAME_ANSWER_SHARE = 0.25  # a short answer given this often by the theme's core answers names it as written
SHORT_ANSWER_WORDS = 6
MIN_PHRASE_SHARE = 0.08  # a label phrase occurs in at least this share of the theme's core answers
MODIFIER_SHARE = 0.5  # a modifier ("annual") this often directly before another word does not end a label
HEADED_SHARE = 0.5  # a phrase ending in a noun stands in for a better one that cannot end a label, if it scores this share
# Singular subjects: a word in -s straight after one agrees with it as a verb ("that drives", "it costs").
SINGULAR_SUBJECTS = {"en": frozenset({"it", "he", "she", "this", "that", "which", "who", "what", "everyone", "everybody",
                                      "someone", "somebody", "anyone", "anybody", "nobody", "nothing", "something",
                                      "everything"})}
REGULAR_PLURALS = frozenset({"en"})  # languages whose plurals mostly add -s (German's do not: no plural is merged)
CUT_SHARE = 0.5  # a verb-led phrase whose uses members continue this often with another word has lost its object
NEGATED_SHARE = 0.5  # a label this often straight after a negation keeps it


@dataclass(frozen=True)
class LabelWords:
    """A language's words that shape labels: `weak` ones never start or end a label, `not_heads` never
    end one, `modifiers` end one unless answers mostly put them before another word, `not_alone` end
    a longer one only; a word in -s that answers mostly write after one of `subjects` does not end one;
    a phrase led by one of `imperatives` ends one only with its object whole; one of `negations` straight
    before most of a label's uses stays with it. With `plurals` (English), a plural in -s and its singular are one
    word wherever the answers write both ("appointment", "appointments")."""

    weak: frozenset[str] = frozenset()
    not_heads: frozenset[str] = frozenset()
    modifiers: frozenset[str] = frozenset()
    not_alone: frozenset[str] = frozenset()
    subjects: frozenset[str] = frozenset()
    imperatives: frozenset[str] = frozenset()
    negations: frozenset[str] = frozenset()
    plurals: bool = False


@cache
def weak_words(language: str) -> frozenset[str]:
    return read_word_list(DATA_DIR / f"label-weak-words-{check_language(language)}.txt")


@cache
def label_words(language: str) -> LabelWords:
    def listed(name: str) -> frozenset[str]:
        path = DATA_DIR / f"label-{name}-{check_language(language)}.txt"
        return read_word_list(path) if path.exists() else frozenset()

    try:
        imperatives = imperative_verbs(check_language(language))
    except FileNotFoundError:  # no list for the language (German): no phrase counts as cut
        imperatives = frozenset()
    return LabelWords(weak_words(language), listed("not-heads"), listed("modifiers"), listed("not-alone"),
                      SINGULAR_SUBJECTS.get(language, frozenset()), imperatives, listed("negations"),
                      plurals=language in REGULAR_PLURALS)


def phrases(text: str, avoid: frozenset[str], max_words: int = MAX_WORDS) -> set[str]:
    """Distinct candidate phrases (lower case) of a text, each within one clause."""
    found: set[str] = set()
    for clause in CLAUSE.split(ADDRESS.sub(".", text)):
        words = [normalise(w) for w in WORD.findall(clause)]
        ok = [len(w) > 1 and not any(c.isdigit() for c in w) and "'" not in w and w not in avoid for w in words]
        for i, first in enumerate(ok):
            if not first:
                continue
            for j in range(i, min(i + max_words, len(words))):
                if ok[j]:
                    found.add(" ".join(words[i:j + 1]))
    return found


class PhraseIndex:
    """In how many answers each candidate phrase occurs, over all answers (counted on `sample`, the
    rows of a seeded sample, when given) and among a theme's answers. Each answer's phrases are
    found when first needed."""

    def __init__(self, texts: Sequence[str], avoid: frozenset[str], sample: Sequence[int] | None = None,
                 words: LabelWords = LabelWords()):
        self.texts, self.avoid = texts, avoid
        rows = range(len(texts)) if sample is None else sample
        self._found: dict[int, set[str]] = {i: phrases(texts[i], avoid) for i in rows}  # as written, keyed below
        verbs = verbs_by_agreement((texts[i] for i in rows), words.subjects)
        self.singular: dict[str, str] = {}
        if words.plurals:
            vocabulary = {p for found in self._found.values() for p in found if " " not in p}
            self.singular = singulars(vocabulary, words.not_heads | verbs)
            self._found = {i: self._keyed(found) for i, found in self._found.items()}
        self.plurals: dict[str, list[str]] = {}
        for plural, singular in sorted(self.singular.items()):
            self.plurals.setdefault(singular, []).append(plural)
        self.everywhere = Counter(p for found in self._found.values() for p in found)
        self.answers = len(rows)
        before: Counter[str] = Counter()  # uses of each modifier directly before another word
        for phrase, count in self.everywhere.items():
            first, _, rest = phrase.partition(" ")
            if rest and " " not in rest and first in words.modifiers:
                before[first] += count
        self.not_last = (words.not_heads | {w for w, n in before.items() if n >= MODIFIER_SHARE * self.everywhere[w]}
                         | verbs)
        self.not_alone, self.imperatives, self.negations = words.not_alone, words.imperatives, words.negations

    def key(self, phrase: str) -> str:
        """The phrase with its last word made singular where it is a plural the answers also write in the
        singular ("waiting times" -> "waiting time"): one phrase, counted once. Only the head noun: a plural
        before it stays as written (`_headed`)."""
        rest, _, last = phrase.rpartition(" ")
        if last not in self.singular:
            return phrase
        return f"{rest} {self.singular[last]}" if rest else self.singular[last]

    def _keyed(self, found: set[str]) -> set[str]:
        if not self.singular:
            return found
        return {self.key(p) if p[-1] == "s" else p for p in found}  # only a word in -s can be a plural

    def phrases_of(self, row: int) -> set[str]:
        """The row's candidate phrases, keyed (`key`)."""
        found = self._found.get(row)
        if found is None:
            found = self._found[row] = self._keyed(phrases(self.texts[row], self.avoid))
        return found

    def best(self, members: Iterable[int], taken: Iterable[str] = (), min_count: int = 2) -> str | None:
        """The phrase most typical of the member answers: its share among them times how much
        likelier it is there than among all answers (a KL-divergence term), longer phrases
        preferred at equal weight; never one already `taken` or overlapping one. A longer phrase
        holding it ("waiting time" for "time") replaces it where LONGER_PHRASE_SHARE of its uses are
        in that phrase (the one most used; at equal uses the longest: "high speed internet"). A phrase
        that may not end a label (`_headed`: "economic") never names the theme: the longer phrase holding
        it that most members use does ("economic argument"); else, where a verb's object is cut, the
        whole object ("gambling companies" for "require gambling"); else the best phrase that ends
        otherwise if it scores HEADED_SHARE of it (else none: "Food" is not what "I cannot think of
        anything better" is about). A holding phrase whose verb's object is cut stands for its object."""
        members = list(members)
        inside = Counter(p for i in members for p in self.phrases_of(i))
        continued = continuations(inside, self.key)
        held = [f" {self.key(t)} " for t in taken]  # a taken label blocks phrases holding its words, not its letters
        free = {}
        for phrase, count in inside.items():
            padded = f" {phrase} "
            if not any(t in padded or padded in t for t in held):
                free[phrase] = count
        scores = {phrase: self._score(phrase, count, len(members)) for phrase, count in free.items()
                  if count >= max(min_count, MIN_PHRASE_SHARE * len(members))}
        best = max(sorted(scores), key=scores.__getitem__, default=None)
        if best is None or not scores[best]:
            return None

        def named(phrase: str) -> str | None:
            """The phrase if it may end a label; if a verb's object is cut, the whole object as members
            most often go on ("gambling companies" for "require gambling")."""
            if not self._cut(phrase, inside, continued):
                return phrase if self._ends(phrase, inside, continued) else None
            verb_object = phrase.partition(" ")[2]
            objects = [(count, p) for p, count in free.items() if p.rpartition(" ")[0] == verb_object
                       and count >= min_count and self._ends(p, inside, continued)]
            return min(objects, key=lambda c: (-c[0], c[1]))[1] if objects else None

        holding = [(count, name) for phrase, count in free.items() if phrase != best and f" {best} " in f" {phrase} "
                   and count >= min_count and (name := named(phrase))]
        longer = [c for c in holding if c[0] >= LONGER_PHRASE_SHARE * inside[best]]
        name = named(best)
        if longer or (holding and name != best):
            return min(longer or holding, key=lambda c: (-c[0], -c[1].count(" "), len(c[1]), c[1]))[1]
        if name:
            return name
        headed = [phrase for phrase in sorted(scores) if scores[phrase] >= HEADED_SHARE * scores[best]
                  and self._ends(phrase, inside, continued)]
        return max(headed, key=scores.__getitem__, default=None)

    def _score(self, phrase: str, count: int, members: int) -> float:
        share_in, share_all = count / members, max(self.everywhere[phrase], 1) / self.answers
        score = share_in * math.log(share_in / share_all) if share_in > share_all else 0.0
        return score * (LONGER_PHRASE_BONUS if " " in phrase else 1.0)

    def _ends(self, phrase: str, inside: Counter[str], continued: Counter[str]) -> bool:
        """Whether a phrase may end a label, given how often members use each phrase (`inside`) and go
        on from it (`continued`): it is `_headed`, and not `_cut`."""
        return self._headed(phrase) and not self._cut(phrase, inside, continued)

    def _cut(self, phrase: str, inside: Counter[str], continued: Counter[str]) -> bool:
        """Whether an imperative verb leads the phrase and members continue it with another word in at
        least CUT_SHARE of its uses: the verb's object is cut ("require gambling" of "require gambling
        companies to...")."""
        first, _, rest = phrase.partition(" ")
        return bool(rest) and first in self.imperatives and 0 < inside[phrase] <= continued[phrase] / CUT_SHARE

    def _headed(self, phrase: str) -> bool:
        """Whether the phrase may end a label: its last word is not one of `not_last`, nor is it a word
        of `not_alone` by itself, nor does it follow a plural (English compounds take the singular, "ad
        revenue": a plural before a word is mostly its subject, "these ads target")."""
        rest, _, last = phrase.rpartition(" ")
        return (last not in self.not_last and bool(rest or last not in self.not_alone)
                and rest.rpartition(" ")[2] not in self.singular)

    def most_said(self, members: Iterable[int], avoid: frozenset[str]) -> tuple[str, int] | None:
        """The short answer (at most SHORT_ANSWER_WORDS words, not only `avoid` words) most members gave
        word for word, lower case, and how many gave it."""
        counts = Counter(said for i in members if (said := self._short(i, avoid)))
        return min(counts.items(), key=lambda c: (-c[1], c[0])) if counts else None

    def _short(self, row: int, avoid: frozenset[str]) -> str | None:
        """The answer's words, lower case, if they are at most SHORT_ANSWER_WORDS and not only `avoid` words."""
        said = " ".join(WORD.findall(self.texts[row])).lower()
        return said if said and len(said.split()) <= SHORT_ANSWER_WORDS and not set(said.split()) <= avoid else None

    def label(self, members: Sequence[int], avoid: frozenset[str], taken: Iterable[str] = ()) -> str | None:
        """What names the members (strongest first): a short answer SAME_ANSWER_SHARE of them gave word for
        word (e.g. "Nothing."), else the best phrase, unless a short answer was given at least as often;
        with no phrase, the strongest member's short answer ("Could not have been better")."""
        said = self.most_said(members, avoid)
        if said and said[1] >= max(2, SAME_ANSWER_SHARE * len(members)):
            return said[0]
        phrase = self.best(members, taken)
        if said and said[1] >= 2 and (phrase is None or said[1] >= self._count(phrase, members)):
            return said[0]
        if phrase is None:
            return next(filter(None, (self._short(i, avoid) for i in members)), None)
        return phrase

    def from_terms(self, terms: Sequence[str], members: Iterable[int]) -> str:
        """When no phrase names the theme: the first of its terms (as the factorisation weighs them) that
        members write as it stands and that may end a label, else the first that may end one ("allow
        forefront" is two terms of "allow them to be at the forefront"), else the first."""
        members = list(members)
        inside = Counter(p for i in members for p in self.phrases_of(i))
        continued = continuations(inside, self.key)
        headed = [t for t in terms if self._ends(self.key(t.lower()), inside, continued)]
        return next((t for t in headed if self._count(self.key(t.lower()), members)), headed[0] if headed else
                    terms[0] if terms else "?")

    def _count(self, phrase: str, members: Iterable[int]) -> int:
        return sum(phrase in self.phrases_of(i) for i in members)

    def written_as(self, phrase: str, members: Iterable[int]) -> str:
        """The phrase as most members wrote it (case kept: German nouns), first letter capitalised; with the
        negation before it (`negated`) where most of its uses have one."""
        members = list(members)
        form = self.negated(phrase, members)
        if form is None:
            *rest, last = phrase.split()
            written = [*map(re.escape, rest), "(?:" + "|".join(map(re.escape, [last] + self.plurals.get(last, []))) + ")"]
            pattern = re.compile(r"(?<!\w)" + r"\W+".join(written) + r"(?!\w)", re.IGNORECASE)
            forms = Counter(m.group(0) for i in members for m in pattern.finditer(self.texts[i]))
            form = min(forms, key=lambda f: (-forms[f], f)) if forms else phrase
        form = " ".join(form.split())
        return form[:1].upper() + form[1:]

    def negated(self, phrase: str, members: Iterable[int]) -> str | None:
        """The phrase with the negation written straight before it ("could not fault", "no complaints") as
        members most often write it, where at least NEGATED_SHARE of its uses in their clauses have one: a
        theme of answers that "could not fault" the service is not about fault. A "not" keeps the word before it."""
        size, uses, forms = len(phrase.split()), 0, Counter[str]()
        for i in members:
            for clause in CLAUSE.split(self.texts[i]):
                words = WORD.findall(clause)
                said = [normalise(w) for w in words]
                for at in range(len(said) - size + 1):
                    if self.key(" ".join(said[at:at + size])) != phrase:
                        continue
                    uses += 1
                    if at and said[at - 1] in self.negations:
                        start = at - 2 if at >= 2 and said[at - 1] == "not" else at - 1
                        forms[" ".join(words[start:at + size])] += 1
        if not forms or sum(forms.values()) < max(2, NEGATED_SHARE * uses):
            return None
        by_words: Counter[str] = Counter()
        for form, count in forms.items():
            by_words[normalise(form)] += count
        commonest = min(by_words, key=lambda f: (-by_words[f], f))
        return min((f for f in forms if normalise(f) == commonest), key=lambda f: (-forms[f], f))


def describe(label: str, keywords: Sequence[str], size: int, total: int) -> str:
    """One sentence: the theme's size and the words its answers often use (beside the label's)."""
    named = set(label.casefold().split())
    others = [k for k in keywords if not named & set(k.casefold().split())][:3]
    share = f"{size / total:.0%}" if total else "0%"
    words = f", often with the words {_series([f'“{k}”' for k in others])}" if others else ""
    return f"Answers on “{label}” ({size} of {total}, {share}){words}."


def _series(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + f" or {words[-1]}"

"""Recommendations in respondents' own words: sentences that say what someone should do.

A sentence recommends when it
- tells someone what to do: "Fund the full cost of services, including overheads." (an imperative: its first
  word, after "Please" or a short lead-in such as "Honestly,", is a verb from a word list, and the next word
  does not make that verb a noun: "Support is welcome" is not a recommendation);
- says what should happen: "Councils should give three-year grants as standard." (should, must, ought to,
  need to; not "should have been", and not inside "if" or "whether");
- asks someone to act: "I urge the council to commission locally."
Questions are not recommendations. Rules only, no model: the same sentence always gives the same answer.

`headline` turns a recommending sentence into a principle's headline that is a slice of the sentence:
"Councils should give three-year grants as standard." -> "Give three-year grants as standard".
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import islice
from functools import cache

from analysis.text import DATA_DIR, read_word_list

MIN_HEADLINE_WORDS, MAX_HEADLINE_WORDS = 4, 20
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
MODAL = re.compile(r"\b(?:should|must|ought\s+to|needs?\s+to)\b", re.IGNORECASE)
COUNTERFACTUAL = re.compile(r"\s*(?:have|'ve)\s+(?:been|[a-z]+ed|[a-z]+en|done|made|had|got)\b", re.IGNORECASE)
URGE = re.compile(r"\b(?:urge|urging|ask|asking|call\s+on|calling\s+on|encourage|want|would\s+like)\s+"
                  r"(?:the\s+|our\s+|all\s+)?(?:councils?|commissioners?|government|local\s+authorities|you|them|"
                  r"funders|decision[- ]makers)\s+to\s+(?=[a-z])", re.IGNORECASE)
# Words before a modal that make the sentence a condition or a question about it, not a recommendation.
HEDGES = re.compile(r"\b(?:if|whether|why|how|what|unless|wonder|question)\b", re.IGNORECASE)
SPEECH = re.compile(r"\bI\s+(?:should|must)\s+(?:say|add|admit|stress|confess|point\s+out)\b", re.IGNORECASE)
# After an imperative verb these words show it was a noun or a statement: "Support is", "Help with ..., makes".
NOT_AFTER_VERB = frozenset("is was are were has had will would can could may might 's makes made means meant works "
                           "worked helps helped matters gets got seems needs takes took gives gave".split())
SUBJECT_VERB = re.compile(r",\s+(?:is|was|are|were|makes|made|means|meant|has|had|works|worked|helps|helped|"
                          r"matters|gives|gave|keeps|shows|takes)\b", re.IGNORECASE)
# A lead-in before a comma after which an imperative may start: "Honestly, stop...", "If you can, fund...".
LEAD_INS = frozenset({"honestly", "frankly", "please", "so", "overall", "above", "in", "for", "from", "as", "if",
                      "when", "where", "whatever", "wherever", "to", "ideally", "basically", "simply", "again", "first",
                      "firstly", "secondly", "thirdly", "finally", "also", "instead", "most", "more", "crucially",
                      "importantly", "put", "quite", "really"})
LEAD_WORDS = frozenset({"please", "so", "and", "but", "just", "simply", "then", "also", "instead", "always",
                        "now", "finally", "therefore", "basically", "really"})
# Subjects whose recommendation reads as an instruction once they are dropped: "Councils should fund..."
ACTORS = re.compile(r"^(?:(?:the|our|all|every|each|local|county|district|borough|city)\s+)*(?:councils?|"
                    r"commissioners?|local\s+authorities|authorities|government|central\s+government|funders|"
                    r"public\s+bodies|decision[- ]makers|we|you|they|everyone|officers)$", re.IGNORECASE)
CLAUSE_BREAK = re.compile(r"(?:[;:–—]|\s-\s|,\s+(?:but|so|and|yet|which|because)\b|\bbut\b|\bso\b)\s*", re.IGNORECASE)
DANGLING = frozenset({"that", "this", "it", "them", "those", "these", "so", "too", "there", "here", "one"})
POINTING = frozenset({"it", "this", "that", "these", "those", "he", "she", "i"})  # a headline cannot start so


@dataclass(frozen=True, slots=True)
class Recommendation:
    kind: str  # "imperative" | "modal" | "urge"
    start: int  # where the recommendation's clause starts in the sentence
    verb: int  # where its action starts: the imperative verb, the word after the modal, or after "to"
    end: int  # where the clause ends (before a ';', ':' or the closing punctuation)
    subject: str = ""  # for a modal: the words before it in its clause ("Councils")


@cache
def imperative_verbs(language: str = "en") -> frozenset[str]:
    """The shipped list of verbs that start an imperative recommendation."""
    return read_word_list(DATA_DIR / f"imperative-verbs-{language}.txt")


def _clause_end(sentence: str, start: int) -> int:
    cut = re.search(r"[;:]|\s[–—-]\s|,\s+(?:so|but|because|although|which|as long as)\b", sentence[start:])
    end = start + cut.start() if cut else len(sentence)
    return len(sentence[:end].rstrip(" .!,"))


def _imperative(sentence: str, verbs: frozenset[str]) -> Recommendation | None:
    """An imperative at the start, after lead words ("Please", "So"), or after a short lead-in and a comma."""
    starts = [0]
    comma = sentence.find(", ")
    lead = sentence[:comma].split()
    if 0 < comma and len(lead) <= 6 and lead[0].lower().strip("'\"") in LEAD_INS:
        starts.append(comma + 2)
    for start in starts:
        words = list(islice(WORD.finditer(sentence, start), 8))  # the first words decide
        i = 0
        while i < len(words) and words[i].group().lower() in LEAD_WORDS:
            i += 1
        if i + 1 >= len(words):
            continue
        verb, following = words[i].group().lower(), words[i + 1].group().lower()
        if verb in verbs and following not in NOT_AFTER_VERB and not SUBJECT_VERB.search(sentence):
            return Recommendation("imperative", start, words[i].start(), _clause_end(sentence, start))
    return None


def _modal(sentence: str) -> Recommendation | None:
    for found in MODAL.finditer(sentence):
        breaks = [m.end() for m in CLAUSE_BREAK.finditer(sentence, 0, found.start())]
        start = breaks[-1] if breaks else 0
        before, after = sentence[start:found.start()], sentence[found.end():]
        if HEDGES.search(before) or COUNTERFACTUAL.match(after) or SPEECH.search(sentence):
            continue
        following = WORD.match(after.lstrip())
        if following is None:  # "as it should."
            continue
        verb = found.end() + (len(after) - len(after.lstrip()))
        return Recommendation("modal", start, verb, _clause_end(sentence, start), before.strip(" ,"))
    return None


def recommendation(sentence: str, verbs: frozenset[str]) -> Recommendation | None:
    """Where `sentence` recommends something, or None. `verbs`: imperative_verbs()."""
    text = sentence.rstrip()
    if not text or text.endswith("?") or len(text.split()) < MIN_HEADLINE_WORDS:
        return None
    urged = URGE.search(text)
    if urged:
        return Recommendation("urge", urged.end(), urged.end(), _clause_end(text, urged.end()))
    return _imperative(text, verbs) or _modal(text)


def _trim(words: list[re.Match], text: str) -> str:
    """At most MAX_HEADLINE_WORDS words, cut at the last comma inside the limit."""
    if len(words) <= MAX_HEADLINE_WORDS:
        return text
    limit = words[MAX_HEADLINE_WORDS - 1].end()
    comma = text.rfind(",", 0, limit)
    return text[:comma] if comma > 0 else ""


def headline(sentence: str, found: Recommendation) -> str | None:
    """The recommendation as a headline, a slice of `sentence` with its first letter capitalised: the action
    alone when a council (or "we") is told to act ("Give three-year grants as standard"), else the whole
    clause ("Residents should have a say in what their neighbourhood needs"). None when the slice would be
    shorter than MIN_HEADLINE_WORDS words, or hangs on a word that points outside it ("Build around that")."""
    start = found.start
    if found.kind == "urge" or found.kind == "imperative":
        start = found.verb
    elif ACTORS.match(found.subject.rsplit(",", 1)[-1].strip()):  # "In our view, councils should ..."
        rest = sentence[found.verb:found.end]
        if not re.match(r"(?:not|never|n't)\b", rest, re.IGNORECASE):
            start = found.verb
    text = sentence[start:found.end].strip(" ,")
    words = list(WORD.finditer(text))
    text = _trim(words, text).strip(" ,")
    words = list(WORD.finditer(text))
    if (len(words) < MIN_HEADLINE_WORDS or words[-1].group().lower() in DANGLING
            or words[0].group().lower() in POINTING):
        return None
    return text[:1].upper() + text[1:]

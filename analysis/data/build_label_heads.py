"""Builds the English word lists of theme-label heads. label-not-heads-en.txt: the words that never end
a theme label, those WordNet knows only as a verb, adjective or adverb ("explain", "important",
"helpful", "quickly"), in the forms answers use. An English noun phrase ends in its noun, so a label
ending in one of these is a fragment ("Require", "Economic") where a researcher would write "Economic
argument". label-modifiers-en.txt: the words WordNet knows both as adjective and as noun ("annual",
"public", "young"), which end a label only where answers do not mostly use them before another word
("Require annual" of "require annual health checks"). label-not-alone-en.txt: those modifiers that
Brill's tagger lexicon gives first as adjectives ("young", "boring", "friendly"), and the nouns it gives
first as verbs ("remove", "break", "help"): a bare adjective or verb names nothing, so one ends a longer
label ("Gambling is boring") but is never a label alone, where "Young" stands for "young people" and
"Friendly" for "friendly staff"; so do "people" and "person".
Run once by hand; the app never runs it and nothing is fetched at run time.

    pip download --no-deps -d /tmp/lookups spacy-lookups-data==1.0.5 textblob==0.20.1
    (cd /tmp/lookups && unzip -q spacy_lookups_data-1.0.5-py2.py3-none-any.whl 'spacy_lookups_data/data/en_*' \
        && unzip -q textblob-0.20.1-py3-none-any.whl textblob/en/en-lexicon.txt)
    python analysis/data/build_label_heads.py /tmp/lookups/spacy_lookups_data/data /tmp/lookups/textblob/en/en-lexicon.txt

Source: WordNet 3.0's index of lemmas by part of speech and its exception lists (irregular forms), as
shipped in spacy-lookups-data (MIT; WordNet licence: Princeton University, permissive, notice in
names-README.md). Kept: the one-word lemmas with no noun sense, their irregular forms, and those of
their regular forms (-s, -ed, -ing; -er, -est) that words-en.txt (SCOWL) holds; none a noun lemma.
Words WordNet does not know (names, "NHS", new words) may end a label. Brill's lexicon (Eric Brill's
tagger v1.14, MIT; as shipped in textblob, MIT) gives each word's most frequent Penn Treebank tag.
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent
# Not in WordNet, and never the head of a noun phrase.
BY_HAND = {"cannot"}
# Nouns too general to name a theme alone that end a good label ("young people", "local people").
NOT_ALONE_BY_HAND = {"people", "person"}


def regular_forms(lemma: str, pos: str) -> set[str]:
    """The regular inflections of a verb (-s, -ed, -ing) or an adjective (-er, -est)."""
    stem_y = lemma[:-1] + "i" if lemma.endswith("y") and lemma[-2:-1] not in "aeiou" else lemma
    stem_e = lemma[:-1] if lemma.endswith("e") else lemma
    if pos == "verb":
        plural = lemma + "es" if lemma.endswith(("s", "x", "z", "ch", "sh", "o")) else stem_y + ("es" if stem_y != lemma else "s")
        return {plural, stem_e + "ed" if stem_y == lemma else stem_y + "ed", stem_e + "ing",
                lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}
    if pos == "adj":
        return {stem_e + "er", stem_e + "est", stem_y + "er", stem_y + "est"}
    return set()


def first_tags(lexicon: Path) -> dict[str, str]:
    """Each word's first tag in a Brill lexicon file ("word TAG ..." lines, ";;;" comments)."""
    tags: dict[str, str] = {}
    for line in lexicon.read_text(encoding="utf-8").splitlines():
        fields = line.split()
        if len(fields) >= 2 and not line.startswith(";;;"):
            tags.setdefault(fields[0], fields[1])
    return tags


def main(data: Path, lexicon: Path) -> None:
    index = json.load(gzip.open(data / "en_lemma_index.json.gz"))
    exceptions = json.load(gzip.open(data / "en_lemma_exc.json.gz"))
    words = {line.strip() for line in (OUT / "words-en.txt").read_text().splitlines() if line and not line.startswith("#")}
    nouns = set(index["noun"])
    known = {w for lemmas in index.values() for w in lemmas}
    not_nouns = {pos: {w for w in index[pos] if w not in nouns} for pos in ("verb", "adj", "adv")}
    found = set(BY_HAND)
    for pos, lemmas in not_nouns.items():
        for lemma in lemmas:
            found |= {lemma} | {form for form in regular_forms(lemma, pos) if form not in known and form in words}
        for form, bases in exceptions.get(pos, {}).items():
            if form not in known and all(b in lemmas for b in bases):
                found.add(form)
    kept = sorted(w for w in found if w.isalpha())
    header = ("# English words that never end a theme label: WordNet 3.0 knows them only as a verb, adjective or\n"
              "# adverb (and their inflected forms). Built by build_label_heads.py; WordNet notice in names-README.md.\n")
    (OUT / "label-not-heads-en.txt").write_text(header + "\n".join(kept) + "\n")
    modifiers = sorted(w for w in set(index["adj"]) & nouns if w.isalpha())
    header = ("# English words WordNet 3.0 knows both as adjective and as noun: they end a theme label only where\n"
              "# answers do not mostly use them before another word. Built by build_label_heads.py; WordNet notice in\n"
              "# names-README.md.\n")
    (OUT / "label-modifiers-en.txt").write_text(header + "\n".join(modifiers) + "\n")
    tags = first_tags(lexicon)
    adjectives = {w for w in modifiers if tags.get(w, "").startswith("JJ")}
    verbs = {w for w in nouns if w.isalpha() and tags.get(w, "").startswith("VB") and tags[w] != "VBG"}
    alone = sorted(adjectives | verbs | NOT_ALONE_BY_HAND)
    header = ("# English words that end a longer theme label but are never one alone: those WordNet 3.0 knows as a\n"
              "# noun (and as an adjective) and Brill's lexicon first as a verb (an adjective), and \"people\",\n"
              "# \"person\". Built by build_label_heads.py; notices in names-README.md.\n")
    (OUT / "label-not-alone-en.txt").write_text(header + "\n".join(alone) + "\n")
    print(f"{len(kept)} words never heads, {len(modifiers)} modifiers, {len(alone)} never alone "
          f"({len(adjectives)} adjectives, {len(verbs)} verbs)")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))

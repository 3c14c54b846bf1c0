"""Builds name-ngrams.tsv, the word model of `analysis.redact_model`, and the SCOWL word lists.
Run once by hand; the app never runs it and nothing is fetched at run time.

    apt-get install wbritish wamerican      # SCOWL word lists in /usr/share/dict
    .venv/bin/python analysis/data/build_name_model.py

words-en.txt and proper-nouns-en.txt: the lower-case words and the proper nouns (places, peoples,
languages, brands) of SCOWL British and American English that are no listed name (SCOWL's notice
is in names-README.md). The model: logistic regression (scikit-learn) on the character 2- to
4-grams of a folded word, "^kowalska$", telling names (the given names and surnames of
names-given.txt and names-surnames.txt) from words (the two SCOWL lists, places.txt,
words-cy.txt and the organisation words of `redact_lexicon.HEADS`). A word's score is the
intercept plus the weights of its n-grams; n-grams seen fewer than MIN_COUNT times are dropped.
Seeded: the same lists give the same file.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent
sys.path.insert(0, str(OUT.parents[1]))

from analysis.redact_lexicon import HEADS, fold  # noqa: E402
from analysis.redact_model import ngrams  # noqa: E402
from analysis.text import read_word_list  # noqa: E402

MIN_COUNT = 5
SEED = 0


def scowl_words(proper: bool, dictionaries: tuple[str, ...] = ("british-english", "american-english")) -> set[str]:
    """SCOWL's lower-case words, or its proper nouns (places, peoples, languages, brands)."""
    words = set()
    for name in dictionaries:
        text = (Path("/usr/share/dict") / name).read_text(encoding="utf-8")
        words |= {fold(w) for w in text.split() if "'" not in w and w[:1].isupper() == proper}
    return words


def write_list(name: str, about: str, words: set[str]) -> None:
    head = f"# {about}\n# Built by build_name_model.py; see names-README.md for the source and its notice.\n"
    (OUT / name).write_text(head + "\n".join(sorted(words)) + "\n", encoding="utf-8")


def main() -> None:
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression

    given, surnames = read_word_list(OUT / "names-given.txt"), read_word_list(OUT / "names-surnames.txt")
    everyday, places = read_word_list(OUT / "names-everyday-words.txt"), read_word_list(OUT / "places.txt")
    english, proper = scowl_words(proper=False), scowl_words(proper=True)
    names = {n for n in given | surnames if n.isalpha()} - everyday - english - places
    write_list("words-en.txt", "Lower-case English words that are no listed name (SCOWL British and American English).",
               english - given - surnames)
    write_list("proper-nouns-en.txt", "Proper nouns of SCOWL British and American English that are no listed name "
               "(places, peoples, languages, brands, people of history)", proper - english - given - surnames)
    welsh = read_word_list(OUT / "words-cy.txt")
    words = (english | (proper - given - surnames) | welsh | HEADS | {p for p in places if p.isalpha()}) - names
    rows = sorted((w, 1) for w in names) + sorted((w, 0) for w in words)
    random.Random(SEED).shuffle(rows)
    test = len(rows) // 10
    vectorizer = CountVectorizer(analyzer=lambda w: ngrams(w), min_df=MIN_COUNT)
    x = vectorizer.fit_transform([w for w, _ in rows])
    y = [label for _, label in rows]
    model = LogisticRegression(C=1.0, max_iter=2000, class_weight="balanced")
    model.fit(x[test:], y[test:])
    print(f"{len(names)} names, {len(words)} words, {x.shape[1]} n-grams; "
          f"held-out accuracy {model.score(x[:test], y[:test]):.3f}")
    model.fit(x, y)
    weights = sorted(zip(vectorizer.get_feature_names_out(), model.coef_[0]))
    lines = [f"{gram}\t{w:.3f}" for gram, w in weights if abs(w) >= 0.0005]
    (OUT / "name-ngrams.tsv").write_text(
        "# Character n-gram weights: is a word a person's name? Built by build_name_model.py.\n"
        f"# intercept\t{model.intercept_[0]:.3f}\n" + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"name-ngrams.tsv: {len(lines)} n-grams")


if __name__ == "__main__":
    main()

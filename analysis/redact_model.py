"""How much a word looks like a person's name, from its letters: a logistic model over
character 2- to 4-grams ("^ko", "wska", "ka$"), trained on the name lists against English and
Welsh words and places (built by analysis/data/build_name_model.py into name-ngrams.tsv).
It lets the name finder (`analysis.redact_people`) take names that no list holds: "Warsame",
"Prydderch", "Okonkwo".

The score is computed here (a sum of weights) rather than by scikit-learn at run time: one word
costs a few microseconds this way, against about a hundred through a fitted estimator, and
words are remembered once scored.
"""

from __future__ import annotations

from functools import cache

from analysis.text import DATA_DIR

NAME_LIKE = 0.0  # log-odds above which an unlisted word reads as a name


def ngrams(word: str) -> list[str]:
    """The character 2- to 4-grams of a folded word, with ^ and $ at its ends."""
    marked = f"^{word}$"
    return [marked[i : i + n] for n in (2, 3, 4) for i in range(len(marked) - n + 1)]


@cache
def _weights() -> tuple[float, dict[str, float]]:
    intercept, weights = 0.0, {}
    for line in (DATA_DIR / "name-ngrams.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("# intercept\t"):
            intercept = float(line.split("\t")[1])
        elif line and not line.startswith("#"):
            gram, weight = line.split("\t")
            weights[gram] = float(weight)
    return intercept, weights


_SCORES: dict[str, float] = {}


def name_score(folded: str) -> float:
    """Log-odds that the folded word (lower case, no accents) is a person's name."""
    if (score := _SCORES.get(folded)) is None:
        intercept, weights = _weights()
        score = _SCORES[folded] = intercept + sum(weights.get(g, 0.0) for g in ngrams(folded))
    return score

"""Train the name tagger (`analysis.redact_tagger`) on generated text and write data/name-tagger.tsv.

    python -m analysis.train_names              # train on everything, write the weights (seed 0)
    python -m analysis.train_names --held-out   # train on one half, score the other half

Texts (made by `analysis.name_training_texts`) are sentences of `analysis.name_templates` filled with
names of the shipped lists and with synthetic names (letters recombined by a character model of the
lists), in any case, among clean look-alikes: organisations named after people, places, public figures,
capitalised words, Welsh.
The held-out estimate trains on even templates and one half of every name list (split by a hash of
the name) and scores odd templates filled from the other half, so neither the sentences nor the
names it is scored on were seen.
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Sequence

from analysis.name_templates import CLEAN, NAMED
from analysis.name_training_texts import generate, pools
from analysis.redact_tagger import WEIGHTS_FILE, use_weights
from analysis.redact_tagger_features import candidate, case_of, doc_flags, features, tokens
from analysis.text import DATA_DIR


def samples(texts: Sequence[tuple[str, list[tuple[int, int, bool]]]]) -> tuple[list[list[str]], list[int]]:
    xs, ys = [], []
    for text, spans in texts:
        toks = tokens(text)
        doc, case = doc_flags(text), case_of(text)
        for i, (start, end, word) in enumerate(toks):
            if candidate(word, case) and not any(s < end and start < e for s, e, named in spans if not named):
                xs.append(features(text, toks, i, doc))
                ys.append(int(any(s <= start and end <= e for s, e, _ in spans)))
    return xs, ys


def train(xs: Sequence[list[str]], ys: Sequence[int], c: float = 0.2) -> tuple[float, dict[str, float]]:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer()
    matrix = vec.fit_transform([dict.fromkeys(x, 1) for x in xs]).tocsr()
    matrix.indices, matrix.indptr = matrix.indices.astype("int32"), matrix.indptr.astype("int32")  # liblinear's kind
    model = LogisticRegression(C=c, solver="liblinear", max_iter=2000, random_state=0).fit(matrix, ys)
    weights = {f: round(float(w), 3) for f, w in zip(vec.get_feature_names_out(), model.coef_[0]) if abs(w) >= 0.005}
    return round(float(model.intercept_[0]), 3), weights


def write(intercept: float, weights: dict[str, float]) -> None:
    lines = ["# Name tagger weights: written by `python -m analysis.train_names` (seed 0); do not edit.",
             f"# intercept\t{intercept}"]
    lines += [f"{f.replace(chr(10), chr(92) + 'n')}\t{w}" for f, w in sorted(weights.items())]
    (DATA_DIR / WEIGHTS_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")


def held_out(seed: int, count: int) -> dict[str, float]:
    """Train on even templates and one half of the names; score odd templates and the other half: the
    tagger alone, the redactor with it ("pipeline") and without it ("rules")."""
    from analysis import redact_tagger
    from analysis.redact import find_spans

    train_texts = generate(pools(0, seed), NAMED[::2], CLEAN[::2], count, seed, 0)
    intercept, weights = train(*samples(train_texts))
    use_weights(intercept, weights)
    test_texts = generate(pools(1, seed + 1), NAMED[1::2], CLEAN[1::2], count // 3, seed + 1, 1)
    counts: Counter[str] = Counter()
    for text, all_spans in test_texts:
        spans = [(s, e) for s, e, named in all_spans if named]
        public = [(s, e) for s, e, named in all_spans if not named]
        found = {"tagger": list(redact_tagger.tagged(text)), "pipeline": list(find_spans(text))}
        add_at, veto = redact_tagger.ADD_AT, redact_tagger.VETO_BELOW
        redact_tagger.ADD_AT, redact_tagger.VETO_BELOW = float("inf"), float("-inf")
        found["rules"] = list(find_spans(text))
        redact_tagger.ADD_AT, redact_tagger.VETO_BELOW = add_at, veto
        for key, got in found.items():
            got = [t for t in got if not any(s < t.end and t.start < e for s, e in public)]
            counts[key] += sum(any(t.start <= s and t.end >= e for t in got) for s, e in spans)
            counts["clean_" + key] += not spans and not got
        counts["names"] += len(spans)
        counts["clean"] += not spans
    out: dict[str, float] = {"names": counts["names"], "clean": counts["clean"], "features": len(weights)}
    for key in ("rules", "tagger", "pipeline"):
        out[f"recall_{key}"] = counts[key] / counts["names"]
        out[f"clean_kept_{key}"] = counts["clean_" + key] / counts["clean"]
    return out


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--held-out", action="store_true", help="estimate on held-out templates and names; write nothing")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--texts", type=int, default=20000)
    args = parser.parse_args(argv)
    if args.held_out:
        for key, value in held_out(args.seed, args.texts).items():
            print(f"{key}\t{value:.3f}" if isinstance(value, float) else f"{key}\t{value}")
        return
    texts = generate(pools(None, args.seed), NAMED, CLEAN, args.texts, args.seed)
    intercept, weights = train(*samples(texts))
    write(intercept, weights)
    print(f"{len(texts)} texts, {len(weights)} weights written to {DATA_DIR / WEIGHTS_FILE}")


if __name__ == "__main__":
    main()

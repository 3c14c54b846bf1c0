"""The learning curve of suggestions from zero coded answers upwards, on NHS feedback.

The codebook is what the shared set gives a researcher: the 48 theme names of the NHS framework (no
descriptions). The same seeded 80/20 split as analysis.evaluate: the first `n` answers of the 80% (in
the seeded order) are coded by people, and suggestions for the 20% are compared with their codes:
few-shot alone (the themes' texts, plus up to 5 coded answers per theme as examples), the supervised
model alone (analysis.suggest) and the blend that hands over from one to the other.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from analysis.records import Answer, CodebookTheme

CODED = (0, 50, 100, 200, 400, 1000, 2000, 3975)


def nhs_codebook(data_dir: Path) -> list[CodebookTheme]:
    names = json.loads((data_dir / "nhs-feedback/codebook.json").read_text(encoding="utf-8"))
    return [CodebookTheme(name) for name in names]


def learning_curve(*, data_dir: str | Path | None = None, seed: int = 0, coded: Sequence[int] = CODED,
                   vectors: np.ndarray | None = None, embed: Any = None) -> list[dict[str, Any]]:
    from analysis import agreement
    from analysis.evaluate import load_dataset, shared_data_dir, split
    from analysis.few_shot import (blend, few_shot_probabilities, supervised_probabilities, supervised_weight,
                                   with_coded_examples)
    from analysis.suggest import choose, predict, train
    from analysis.text import analyzer_for

    root = Path(data_dir) if data_dir else shared_data_dir()
    answers = load_dataset("nhs", root)
    codebook = nhs_codebook(root)
    names = [t.name for t in codebook]
    order = np.random.default_rng(seed).permutation(len(answers))
    train_set, test_set = split(answers, 0.2, seed)
    test_rows = order[len(train_set):]
    test_vectors = None if vectors is None else np.asarray(vectors)[test_rows]
    texts = [a.text for a in test_set]
    gold = [frozenset(a.codes) for a in test_set]
    themes_analyzer, words_analyzer = analyzer_for("en"), analyzer_for("en", drop_stopwords=False)

    def sets(chosen: np.ndarray) -> list[frozenset[str]]:
        return [frozenset(names[j] for j in np.flatnonzero(row)) for row in chosen]

    rows = []
    for n in coded:
        part: list[Answer] = train_set[: min(n, len(train_set))]
        few = few_shot_probabilities(with_coded_examples(codebook, part), texts, themes_analyzer,
                                     vectors=test_vectors, embed=embed, seed=seed)
        row: dict[str, Any] = {"coded": len(part), "vectors": vectors is not None,
                               "few_shot_sample_f1": agreement.sample_f1(gold, sets(choose(few)))}
        if supervised_weight(len(part)):
            model = train(part, words_analyzer, seed=seed)
            _learnt, chosen, _sure = predict(model, texts, [a.context for a in test_set])
            row["supervised_sample_f1"] = agreement.sample_f1(
                gold, [frozenset(model.codes[j] for j in np.flatnonzero(r)) for r in chosen])
            learnt, none = supervised_probabilities(model, codebook, test_set)
            if supervised_weight(len(part)) < 1.0:
                mixed = choose(blend(few, learnt, len(part)), supervised_weight(len(part)) * none)
                row["blend_sample_f1"] = agreement.sample_f1(gold, sets(mixed))
            else:  # handed over: the supervised model's own choice, as few_shot.suggest_with_handover gives
                row["blend_sample_f1"] = row["supervised_sample_f1"]
        rows.append(row)
    return rows


def format_curve(rows: Sequence[dict[str, Any]]) -> str:
    def fmt(value: Any) -> str:
        return "-" if value is None else f"{value:.3f}"

    lines = ["  coded  few-shot  supervised  blend   (NHS sample-F1 on the seeded 20%"
             + (", sentence vectors)" if rows and rows[0]["vectors"] else ", TF-IDF)")]
    for r in rows:
        lines.append(f"  {r['coded']:>5}  {fmt(r['few_shot_sample_f1']):>8}  {fmt(r.get('supervised_sample_f1')):>10}"
                     f"  {fmt(r.get('blend_sample_f1')):>5}")
    return "\n".join(lines)

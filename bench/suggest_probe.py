"""Cached per-code probabilities on the inner splits (bench/suggest_inner.py's rows), for trying code-choice rules
offline: for each seed, the out-of-fold calibrated probabilities of the inner training answers and the full model's
probabilities of the inner scoring answers, with both parts' human codes, saved as one .npz a seed.

    PYTHONPATH=. python bench/suggest_probe.py --vectors nhs-minilm.npy --out-dir /tmp/probe [--seeds 0,1,2]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis.evaluate import load_dataset
from analysis.features import TextFeatures
from analysis.suggest import (
    VECTOR_WEIGHT,
    _fit_platt,
    _sigmoid,
    _svm_scores,
    label_matrix,
    with_vectors,
)
from analysis.text import analyzer_for
from bench.suggest_inner import inner_rows


def probe(train, score, train_vectors, score_vectors, seed: int, c: float = 0.5, folds: int = 5) -> dict:
    from sklearn.model_selection import KFold

    codes = tuple(sorted({code for a in train for code in a.codes}))
    n = len(train)
    vectorizer = TextFeatures(analyzer_for("en", drop_stopwords=False), min_df=2)
    features = vectorizer.fit_transform([a.text for a in train], [a.context for a in train]).astype(np.float64)
    weight = None if train_vectors is None else VECTOR_WEIGHT
    features = with_vectors(features, train_vectors, weight, n)
    features.sort_indices()
    target = vectorizer.transform([a.text for a in score], [a.context for a in score]).astype(np.float64)
    target = with_vectors(target, score_vectors, weight, len(score))
    labels = label_matrix(train, codes)
    labels = np.column_stack([labels, ~labels.any(axis=1)])
    counts = labels.sum(axis=0)
    usable = (counts >= 2) & (counts <= n - 2)
    oof = np.zeros(labels.shape)
    for fit_rows, held_rows in KFold(folds, shuffle=True, random_state=seed).split(features):
        oof[held_rows] = _svm_scores(features[fit_rows], labels[fit_rows], usable, seed, c, targets=features[held_rows])
    weights, intercepts = _svm_scores(features, labels, usable, seed, c)
    platt = _fit_platt(oof, labels, usable, labels.mean(axis=0))
    test = np.asarray(target @ weights) + intercepts
    return {"codes": np.array(codes), "oof_scores": oof, "test_scores": test, "platt": platt,
            "oof": _sigmoid(oof * platt[:, 0] + platt[:, 1]), "test": _sigmoid(test * platt[:, 0] + platt[:, 1]),
            "gold_train": labels, "gold_test": label_matrix(score, codes),
            "q_train": np.array([a.context for a in train]), "q_test": np.array([a.context for a in score]),
            "text_train": np.array([a.text for a in train]), "text_test": np.array([a.text for a in score])}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dataset", default="nhs")
    parser.add_argument("--vectors")
    parser.add_argument("--out-dir", required=True)
    parser.add_argument("--seeds", default="0,1,2")
    args = parser.parse_args()
    answers = load_dataset(args.dataset)
    vectors = None if not args.vectors else np.load(args.vectors).astype(np.float32)
    Path(args.out_dir).mkdir(parents=True, exist_ok=True)
    for seed in map(int, args.seeds.split(",")):
        fit_rows, score_rows = inner_rows(len(answers), seed)
        start = time.process_time()
        out = probe([answers[i] for i in fit_rows], [answers[i] for i in score_rows],
                    None if vectors is None else vectors[fit_rows], None if vectors is None else vectors[score_rows], seed)
        np.savez(Path(args.out_dir) / f"seed{seed}.npz", fit_rows=fit_rows, score_rows=score_rows, **out)
        print(f"seed {seed}: {time.process_time() - start:.1f} s CPU", flush=True)

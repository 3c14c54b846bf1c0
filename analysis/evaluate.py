"""Reproducible figures on the shared human-coded data: train on a seeded part of the
human codes, suggest codes for the rest, and measure agreement with the people."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from analysis import agreement
from analysis.jsonl import read_answers
from analysis.records import Answer


@dataclass(frozen=True)
class Dataset:
    path: str
    text_fields: tuple[str, ...]
    codes_field: str
    language: str
    reference_sample_f1: float  # untuned TF-IDF + OvR logistic regression, 80/20 (data README)
    context_field: str | None = None  # what each answer answers, read with its text


DATASETS = {
    "nhs": Dataset("nhs-feedback/coded.jsonl", ("text",), "codes", "en", 0.69, "question"),
    "nhs-text-only": Dataset("nhs-feedback/coded.jsonl", ("text",), "codes", "en", 0.69),
    "cycling-level1": Dataset("cycling-dialogues/coded.jsonl", ("title", "text"), "level1", "de", 0.74),
    "cycling-level2": Dataset("cycling-dialogues/coded.jsonl", ("title", "text"), "level2", "de", 0.59),
}


def shared_data_dir() -> Path:
    """$CONSULT_SHARED_DATA, else ../shared/data beside the repository."""
    configured = os.environ.get("CONSULT_SHARED_DATA")
    return Path(configured) if configured else Path(__file__).resolve().parents[1].parent / "shared" / "data"


def load_dataset(name: str, data_dir: str | Path | None = None) -> list[Answer]:
    spec = DATASETS[name]
    root = Path(data_dir) if data_dir else shared_data_dir()
    return read_answers(root / spec.path, text_fields=spec.text_fields, codes_field=spec.codes_field,
                        context_field=spec.context_field)


def split_rows(count: int, test_size: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Row numbers of the seeded training and test parts."""
    order = np.random.default_rng(seed).permutation(count)
    cut = count - max(1, round(count * test_size))
    return order[:cut], order[cut:]


def split(answers: Sequence[Answer], test_size: float, seed: int) -> tuple[list[Answer], list[Answer]]:
    train_rows, test_rows = split_rows(len(answers), test_size, seed)
    return [answers[i] for i in train_rows], [answers[i] for i in test_rows]


def agreement_report(gold: Sequence[frozenset[str]], predicted: Sequence[frozenset[str]],
                     sure: np.ndarray, auto_threshold: float) -> dict[str, Any]:
    auto = sure >= auto_threshold
    auto_gold = [g for g, a in zip(gold, auto) if a]
    auto_pred = [p for p, a in zip(predicted, auto) if a]
    return {
        "sample_f1": agreement.sample_f1(gold, predicted),
        "micro_f1": agreement.micro_f1(gold, predicted),
        "macro_f1": agreement.macro_f1(gold, predicted),
        "alpha_masi": agreement.alpha_masi(gold, predicted),
        "no_code_share_human": float(np.mean([not g for g in gold])),
        "no_code_share_machine": float(np.mean([not p for p in predicted])),
        "auto_threshold": None if auto_threshold == float("inf") else auto_threshold,
        "auto_share": float(auto.mean()),
        "auto_precision": agreement.precision(auto_gold, auto_pred) if auto_gold else None,
        "auto_sample_f1": agreement.sample_f1(auto_gold, auto_pred) if auto_gold else None,
    }


def evaluate(name: str, *, data_dir: str | Path | None = None, seed: int = 0, test_size: float = 0.2,
             auto_threshold: float | None = None, jobs: int = 1, vectors: np.ndarray | None = None) -> dict[str, Any]:
    """Figures on the seeded split; `vectors` (one sentence vector per answer, in the data set's order) are read
    beside the words."""
    spec = DATASETS[name]
    answers = load_dataset(name, data_dir)
    train_rows, test_rows = split_rows(len(answers), test_size, seed)
    train_set, test_set = [answers[i] for i in train_rows], [answers[i] for i in test_rows]
    pair = None if vectors is None else (vectors[train_rows], vectors[test_rows])
    return {
        "dataset": name,
        "train": len(train_set),
        "test": len(test_set),
        "seed": seed,
        "vectors": vectors is not None,
        **fit_and_score(train_set, test_set, spec.language, seed, auto_threshold, jobs, pair),
        "reference_sample_f1": spec.reference_sample_f1,
    }


def fit_and_score(train_set: Sequence[Answer], test_set: Sequence[Answer], language: str, seed: int,
                  auto_threshold: float | None, jobs: int = 1,
                  vectors: tuple[np.ndarray, np.ndarray] | None = None, **options: Any) -> dict[str, Any]:
    """Train on `train_set` only, choose codes for `test_set` and compare with its human codes;
    auto-assign at `auto_threshold`, or by default at the cut the model chose on `train_set`.
    `vectors`: the two sets' sentence vectors, read beside the words; `options` go to suggest.train."""
    from analysis.suggest import code_sets, predict, train
    from analysis.text import analyzer_for

    train_vectors, test_vectors = (None, None) if vectors is None else vectors
    model = train(train_set, analyzer_for(language, drop_stopwords=False), seed=seed, jobs=jobs, vectors=train_vectors,
                  **options)
    _probabilities, chosen, sure = predict(model, [a.text for a in test_set], [a.context for a in test_set], jobs=jobs,
                                           vectors=test_vectors)
    gold = [frozenset(a.codes) for a in test_set]
    cut = model.auto_cut if auto_threshold is None else auto_threshold
    return agreement_report(gold, code_sets(model, chosen), sure, cut)


def learning_curve(name: str, *, data_dir: str | Path | None = None, seed: int = 0, test_size: float = 0.2,
                   shares: Sequence[float] = (0.1, 0.2, 0.4, 0.8), auto_threshold: float | None = None,
                   jobs: int = 1) -> list[dict[str, Any]]:
    """Agreement on the same seeded test split when only a share of all answers is coded:
    the first `share` of the answers (in the seeded order) trains the model."""
    spec = DATASETS[name]
    answers = load_dataset(name, data_dir)
    train_set, test_set = split(answers, test_size, seed)
    rows = []
    for share in shares:
        part = train_set[: min(len(train_set), round(len(answers) * share))]
        rows.append({"dataset": name, "seed": seed, "coded_share": share, "train": len(part),
                     **fit_and_score(part, test_set, spec.language, seed, auto_threshold, jobs)})
    return rows


def format_report(report: dict[str, Any]) -> str:
    def fmt(value: Any) -> str:
        return "n/a" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)

    return (
        f"{report['dataset']}: train {report['train']}, test {report['test']}\n"
        f"  sample-F1 {fmt(report['sample_f1'])} (reference {fmt(report['reference_sample_f1'])}), "
        f"micro-F1 {fmt(report['micro_f1'])}, macro-F1 {fmt(report['macro_f1'])}, "
        f"alpha (MASI) {fmt(report['alpha_masi'])}, no code: human {fmt(report['no_code_share_human'])}, "
        f"machine {fmt(report['no_code_share_machine'])}\n"
        f"  auto-assigned at confidence >= {fmt(report['auto_threshold'])}: {fmt(report['auto_share'])} of answers, "
        f"precision {fmt(report['auto_precision'])}, sample-F1 {fmt(report['auto_sample_f1'])}"
    )


def format_curve_row(row: dict[str, Any]) -> str:
    auto = "n/a" if row["auto_sample_f1"] is None else f"{row['auto_sample_f1']:.3f}"
    return (f"  coded {row['coded_share']:.0%} (train {row['train']}): sample-F1 {row['sample_f1']:.3f}, "
            f"micro-F1 {row['micro_f1']:.3f}, macro-F1 {row['macro_f1']:.3f}, alpha {row['alpha_masi']:.3f}, "
            f"auto {row['auto_share']:.3f} at sample-F1 {auto}")


if __name__ == "__main__":  # the same as `python -m analysis evaluate`
    import sys

    from analysis.__main__ import main

    sys.exit(main(["evaluate", *sys.argv[1:]]))

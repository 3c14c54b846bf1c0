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


DATASETS = {
    "nhs": Dataset("nhs-feedback/coded.jsonl", ("text",), "codes", "en", 0.69),
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
    return read_answers(root / spec.path, text_fields=spec.text_fields, codes_field=spec.codes_field)


def split(answers: Sequence[Answer], test_size: float, seed: int) -> tuple[list[Answer], list[Answer]]:
    order = np.random.default_rng(seed).permutation(len(answers))
    cut = len(answers) - max(1, round(len(answers) * test_size))
    return [answers[i] for i in order[:cut]], [answers[i] for i in order[cut:]]


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
        "auto_threshold": auto_threshold,
        "auto_share": float(auto.mean()),
        "auto_precision": agreement.precision(auto_gold, auto_pred) if auto_gold else None,
        "auto_sample_f1": agreement.sample_f1(auto_gold, auto_pred) if auto_gold else None,
    }


def evaluate(name: str, *, data_dir: str | Path | None = None, seed: int = 0, test_size: float = 0.2,
             auto_threshold: float = 0.9) -> dict[str, Any]:
    from analysis.suggest import code_sets, confidence, decide, predict_proba, train
    from analysis.text import analyzer_for

    spec = DATASETS[name]
    train_set, test_set = split(load_dataset(name, data_dir), test_size, seed)
    model = train(train_set, analyzer_for(spec.language, drop_stopwords=False), seed=seed)
    probabilities = predict_proba(model, [a.text for a in test_set])
    chosen = decide(probabilities, model.threshold)
    predicted = code_sets(model, chosen)
    gold = [frozenset(a.codes) for a in test_set]
    return {
        "dataset": name,
        "train": len(train_set),
        "test": len(test_set),
        "seed": seed,
        "threshold": model.threshold,
        **agreement_report(gold, predicted, confidence(probabilities), auto_threshold),
        "reference_sample_f1": spec.reference_sample_f1,
    }


def evaluate_themes(name: str, *, data_dir: str | Path | None = None, seed: int = 0) -> dict[str, Any]:
    """How far themes found without codes line up with the human codes: normalised mutual
    information between theme and code over the answers people gave exactly one code
    (0 = unrelated, 1 = the same partition)."""
    from sklearn.metrics import normalized_mutual_info_score

    from analysis.text import analyzer_for
    from analysis.themes import discover_themes, theme_labels

    spec = DATASETS[name]
    answers = load_dataset(name, data_dir)
    single = [a for a in answers if len(a.codes) == 1]
    n_codes = len({a.codes[0] for a in single})
    themes = discover_themes(answers, analyzer_for(spec.language), n_themes=min(n_codes, 20), seed=seed)
    found = dict(zip((a.id for a in answers), theme_labels(themes, answers)))
    return {
        "themes": len(themes),
        "themes_nmi": float(normalized_mutual_info_score([a.codes[0] for a in single], [found[a.id] for a in single])),
    }


def format_report(report: dict[str, Any]) -> str:
    def fmt(value: Any) -> str:
        return "n/a" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)

    return (
        f"{report['dataset']}: train {report['train']}, test {report['test']}, threshold {fmt(report['threshold'])}\n"
        f"  sample-F1 {fmt(report['sample_f1'])} (reference {fmt(report['reference_sample_f1'])}), "
        f"micro-F1 {fmt(report['micro_f1'])}, macro-F1 {fmt(report['macro_f1'])}, "
        f"alpha (MASI) {fmt(report['alpha_masi'])}\n"
        f"  auto-assigned at confidence >= {fmt(report['auto_threshold'])}: {fmt(report['auto_share'])} of answers, "
        f"precision {fmt(report['auto_precision'])}, sample-F1 {fmt(report['auto_sample_f1'])}"
        + (f"\n  themes found without codes: {report['themes']}, NMI with single human codes "
           f"{fmt(report['themes_nmi'])}" if "themes_nmi" in report else "")
    )

"""Themes found without codes, scored against the human codes of the shared sets.

Two figures per set: match-F1 (for each human code held by at least 2% of the answers, the F1 of the
discovered theme whose members match its answers best, weighted by the code's answers; an answer can
hold several themes) and AMI between each answer's strongest theme and its code, over the answers
people gave exactly one code.

Settings were chosen on the TUNING set only; the HELD_OUT sets were scored once the settings were
fixed, and never used to choose anything (analysis/README.md).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from analysis.records import Answer, Theme

MIN_CODE_SHARE = 0.02


@dataclass(frozen=True)
class ThemeSet:
    name: str
    language: str
    role: str  # "tuning" or "held-out"
    note: str


THEME_SETS = (
    ThemeSet("nhs-neas", "en", "tuning", "NHS feedback, NEAS trust (ambulance and patient transport)"),
    ThemeSet("nhs-nhft", "en", "held-out", "NHS feedback, NHFT trust (community and mental health)"),
    ThemeSet("cycling-level1", "de", "held-out", "cycling dialogues (German), level-1 codes"),
    ThemeSet("cycling-level2", "de", "held-out", "cycling dialogues (German), level-2 codes (same answers)"),
    ThemeSet("gambling-1", "en", "held-out", "themefinder gambling, question part 1 (synthetic, 100 answers)"),
    ThemeSet("gambling-2", "en", "held-out", "themefinder gambling, question part 2 (synthetic, 100 answers)"),
)


def load_theme_set(name: str, data_dir: str | Path | None = None) -> list[Answer]:
    """The answers of a set with their human codes."""
    from analysis.evaluate import load_dataset, shared_data_dir

    root = Path(data_dir) if data_dir else shared_data_dir()
    if name.startswith("nhs-"):
        organisation = name.removeprefix("nhs-").upper()
        with (root / "nhs-feedback/coded.jsonl").open(encoding="utf-8") as rows:
            keep = {str(row["id"]) for row in map(json.loads, rows) if row["organisation"] == organisation}
        return [a for a in load_dataset("nhs-text-only", root) if a.id in keep]
    if name.startswith("cycling-"):
        return load_dataset(name, root)
    part = int(name.removeprefix("gambling-"))
    base = root / "themefinder-gambling-xs"
    with (base / f"inputs/question_part_{part}/responses.jsonl").open(encoding="utf-8") as rows:
        texts = {row["response_id"]: row["response"] for row in map(json.loads, rows)}
    with (base / f"outputs/mapping/2025-07-22/question_part_{part}/mapping.jsonl").open(encoding="utf-8") as rows:
        return [Answer(str(row["response_id"]), texts[row["response_id"]], tuple(row["labels"]))
                for row in map(json.loads, rows)]


def match_f1(answers: Sequence[Answer], groups: Sequence[set[str]], min_share: float = MIN_CODE_SHARE) -> float:
    """Mean over the human codes held by at least `min_share` of the answers (weighted by their
    answers) of the best F1 of any one group of answer ids."""
    coded: dict[str, set[str]] = {}
    for a in answers:
        for code in a.codes:
            coded.setdefault(code, set()).add(a.id)
    coded = {code: ids for code, ids in coded.items() if len(ids) >= min_share * len(answers)}
    total = sum(len(ids) for ids in coded.values())
    if not total:
        return 0.0
    score = 0.0
    for ids in coded.values():
        best = max((2 * len(ids & group) / (len(ids) + len(group)) for group in groups if group), default=0.0)
        score += best * len(ids) / total
    return score


def single_code_ami(answers: Sequence[Answer], primary: Sequence[int]) -> float:
    """AMI between each single-coded answer's code and its strongest theme (0 = none)."""
    from sklearn.metrics import adjusted_mutual_info_score

    rows = [i for i, a in enumerate(answers) if len(a.codes) == 1]
    return float(adjusted_mutual_info_score([answers[i].codes[0] for i in rows], [primary[i] for i in rows]))


def score_themes(answers: Sequence[Answer], themes: Sequence[Theme]) -> dict[str, Any]:
    from analysis.themes import primary_themes

    return {
        "answers": len(answers),
        "themes": len(themes),
        "themes_per_answer": sum(t.size for t in themes) / max(len(answers), 1),
        "codes_per_answer": sum(len(a.codes) for a in answers) / max(len(answers), 1),
        "match_f1": match_f1(answers, [set(t.answer_ids) for t in themes]),
        "ami": single_code_ami(answers, primary_themes(themes, answers)),
        "labels": [t.label for t in themes],
    }


def evaluate_theme_set(spec: ThemeSet, *, data_dir: str | Path | None = None, seed: int = 0,
                       vectors: np.ndarray | None = None, answers: Sequence[Answer] | None = None) -> dict[str, Any]:
    """Discover themes in a set with the defaults (no codes seen) and score them (`answers`: the set, when the
    caller has read it already)."""
    from analysis.text import analyzer_for
    from analysis.theme_labels import label_words
    from analysis.themes import discover_themes

    answers = load_theme_set(spec.name, data_dir) if answers is None else answers
    themes = discover_themes(answers, analyzer_for(spec.language), label_words=label_words(spec.language),
                             vectors=vectors, seed=seed)
    return {"set": spec.name, "role": spec.role, "language": spec.language, "vectors": vectors is not None,
            "seed": seed, **score_themes(answers, themes)}


def summary(rows: Sequence[dict[str, Any]]) -> dict[str, float]:
    """Mean match-F1 and AMI of the held-out rows, and of the tuning rows; also of the held-out English rows,
    the sets issue 17 states its baseline on ("held-out English sets")."""
    out = {}
    for role, language in (("tuning", None), ("held-out", None), ("held-out", "en")):
        picked = [r for r in rows if r["role"] == role and language in (None, r.get("language"))]
        if picked:
            key = role if language is None else f"{role}_{language}"
            out[f"{key}_match_f1"] = float(np.mean([r["match_f1"] for r in picked]))
            out[f"{key}_ami"] = float(np.mean([r["ami"] for r in picked]))
    return out


def seed_spread(summaries: Sequence[dict[str, float]]) -> dict[str, dict[str, float]]:
    """Each summary figure's mean, least, greatest and (population) standard deviation over seeds' summaries."""
    spread = {}
    for key in summaries[0]:
        values = np.array([s[key] for s in summaries])
        spread[key] = {"mean": float(values.mean()), "min": float(values.min()), "max": float(values.max()),
                       "sd": float(values.std())}
    return spread


def format_theme_row(row: dict[str, Any]) -> str:
    return (f"  {row['set']:<15} {row['role']:<8} {'vectors' if row['vectors'] else 'tf-idf':<7} "
            f"answers {row['answers']:>5}  themes {row['themes']:>2}  match-F1 {row['match_f1']:.3f}  "
            f"AMI {row['ami']:.3f}  themes/answer {row['themes_per_answer']:.2f} (people "
            f"{row['codes_per_answer']:.2f})\n    labels: {'; '.join(row['labels'])}")


def theme_figures(data_dir: str | Path, *, seeds: Sequence[int] = (0,), embed: Any = None, curve: bool = True
                  ) -> dict[str, Any]:
    """Printed and returned: theme figures on the tuning and held-out sets for each seed (TF-IDF; with `embed`,
    the sentence-vector function, taking the texts and `language`, also with vectors), their mean over the
    seeds when there are several, and the few-shot learning curve (first seed)."""
    from analysis.evaluate import load_dataset
    from analysis.evaluate_few_shot import format_curve, learning_curve

    out: dict[str, Any] = {"sets": [], "learning_curve": []}
    made: dict[tuple, Any] = {}  # each set's vectors are worked out once (the two cycling sets share answers)
    sets = [(spec, answers, tuple(a.text for a in answers))
            for spec in THEME_SETS for answers in [load_theme_set(spec.name, data_dir)]]  # read once, for every seed
    for with_vectors in (False, True) if embed else (False,):
        kind = "vectors_summary" if with_vectors else "summary"
        per_seed = []
        for seed in seeds:
            rows = []
            for spec, answers, texts in sets:
                if with_vectors and (spec.language, texts) not in made:
                    made[spec.language, texts] = embed(list(texts), language=spec.language)
                vectors = made[spec.language, texts] if with_vectors else None
                rows.append(evaluate_theme_set(spec, seed=seed, vectors=vectors, answers=answers))
                print(format_theme_row(rows[-1]), flush=True)
            per_seed.append(summary(rows))
            print(f"  seed {seed}: " + ", ".join(f"{k.replace('_', ' ')} {v:.5f}" for k, v in per_seed[-1].items()),
                  flush=True)
            out["sets"] += rows
        out[kind] = per_seed[0]
        if len(seeds) > 1:
            out[f"{kind}_over_seeds"] = spread = seed_spread(per_seed)
            print(f"  over seeds {','.join(map(str, seeds))}: " + ", ".join(
                f"{k.replace('_', ' ')} mean {v['mean']:.5f} (min {v['min']:.5f}, max {v['max']:.5f}, sd {v['sd']:.5f})"
                for k, v in spread.items()), flush=True)
    if curve:
        vectors = embed([a.text for a in load_dataset("nhs", data_dir)]) if embed else None
        out["learning_curve"] = learning_curve(data_dir=data_dir, seed=seeds[0], vectors=vectors, embed=embed)
        print(format_curve(out["learning_curve"]), flush=True)
    return out

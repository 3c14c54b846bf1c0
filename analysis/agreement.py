"""Agreement between two codings of the same answers (e.g. people vs the machine).

The F1 figures are scikit-learn's (`sklearn.metrics.f1_score`) on code-indicator matrices, with
`zero_division=1`: two empty code sets agree fully. Alpha is analysis.reliability's.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

Codes = frozenset[str]


def code_matrices(gold: Sequence[Codes], predicted: Sequence[Codes]) -> tuple[np.ndarray, np.ndarray]:
    """(answers, codes) indicator matrices of both codings over every code either side used, in name order."""
    _same_length(gold, predicted)
    index = {code: j for j, code in enumerate(sorted(set().union(*gold, *predicted)))}
    matrices = np.zeros((2, len(gold), len(index)), dtype=bool)
    for side, coding in enumerate((gold, predicted)):
        for i, codes in enumerate(coding):
            matrices[side, i, [index[code] for code in codes]] = True
    return matrices[0], matrices[1]


def f1_by_answer(gold: np.ndarray, predicted: np.ndarray) -> np.ndarray:
    """Each answer's F1 between its two code sets (rows of indicator matrices); 1 where both are empty."""
    from sklearn.metrics import f1_score

    # sklearn's per-label F1 with the answers as labels; an empty column (code) and an empty row (answer)
    # keep sklearn reading the matrices as multilabel, even with one answer or one code
    gold_t, predicted_t = (np.pad(np.asarray(m, dtype=bool).T, ((0, 1), (0, 1))) for m in (gold, predicted))
    return f1_score(gold_t, predicted_t, average=None, zero_division=1.0)[:-1]


def sample_f1(gold: Sequence[Codes], predicted: Sequence[Codes]) -> float:
    """Mean over answers of the F1 between the two code sets (both empty counts 1)."""
    return float(f1_by_answer(*code_matrices(gold, predicted)).mean())


def micro_f1(gold: Sequence[Codes], predicted: Sequence[Codes]) -> float:
    """F1 of every (answer, code) pair pooled."""
    return _pooled("f1", gold, predicted, average="micro")


def macro_f1(gold: Sequence[Codes], predicted: Sequence[Codes]) -> float:
    """Unweighted mean of per-code F1 over every code either side used."""
    return _pooled("f1", gold, predicted, average="macro")


def precision(gold: Sequence[Codes], predicted: Sequence[Codes]) -> float:
    """Share of the assigned codes that the gold coding has too (1 when none is assigned)."""
    return _pooled("precision", gold, predicted, average="micro")


def alpha_masi(gold: Sequence[Codes], predicted: Sequence[Codes]) -> float | None:
    """Krippendorff's alpha with MASI distance between code sets (reliability.overall_alpha); None where
    it is undefined (a single code set everywhere)."""
    from analysis.reliability import overall_alpha

    _same_length(gold, predicted)
    return overall_alpha({"human": dict(enumerate(gold)), "machine": dict(enumerate(predicted))}).value


def _pooled(metric: str, gold: Sequence[Codes], predicted: Sequence[Codes], average: str) -> float:
    from sklearn.metrics import f1_score, precision_score

    gold_m, predicted_m = code_matrices(gold, predicted)
    if not gold_m.shape[1]:
        return 1.0  # no code on either side: full agreement
    score = {"f1": f1_score, "precision": precision_score}[metric]
    # a last, empty code keeps sklearn reading one code as multilabel; `labels` leaves it out of the mean
    padded = (np.pad(m, ((0, 0), (0, 1))) for m in (gold_m, predicted_m))
    return float(score(*padded, labels=list(range(gold_m.shape[1])), average=average, zero_division=1.0))


def _same_length(gold: Sequence[Codes], predicted: Sequence[Codes]) -> None:
    if len(gold) != len(predicted) or not gold:
        raise ValueError("both codings must cover the same, non-empty list of answers")

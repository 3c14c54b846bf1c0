"""Agreement between two codings of the same answers (e.g. people vs the machine)."""

from __future__ import annotations

from collections.abc import Sequence

Codes = frozenset[str]
NO_CODE = "<no code>"


def sample_f1(gold: Sequence[Codes], predicted: Sequence[Codes]) -> float:
    """Mean over answers of the F1 between the two code sets (both empty counts 1)."""
    _same_length(gold, predicted)
    scores = [1.0 if not g and not p else 2 * len(g & p) / (len(g) + len(p)) for g, p in zip(gold, predicted)]
    return sum(scores) / len(scores)


def micro_f1(gold: Sequence[Codes], predicted: Sequence[Codes]) -> float:
    _same_length(gold, predicted)
    hits = sum(len(g & p) for g, p in zip(gold, predicted))
    total = sum(len(g) + len(p) for g, p in zip(gold, predicted))
    return 2 * hits / total if total else 1.0


def macro_f1(gold: Sequence[Codes], predicted: Sequence[Codes]) -> float:
    """Unweighted mean of per-code F1 over every code either side used."""
    _same_length(gold, predicted)
    codes = set().union(*gold, *predicted)
    if not codes:
        return 1.0
    scores = []
    for code in codes:
        tp = sum(code in g and code in p for g, p in zip(gold, predicted))
        fp = sum(code not in g and code in p for g, p in zip(gold, predicted))
        fn = sum(code in g and code not in p for g, p in zip(gold, predicted))
        scores.append(2 * tp / (2 * tp + fp + fn))
    return sum(scores) / len(scores)


def precision(gold: Sequence[Codes], predicted: Sequence[Codes]) -> float:
    _same_length(gold, predicted)
    assigned = sum(len(p) for p in predicted)
    return sum(len(g & p) for g, p in zip(gold, predicted)) / assigned if assigned else 1.0


def alpha_masi(gold: Sequence[Codes], predicted: Sequence[Codes], coders: tuple[str, str] = ("human", "machine")) -> float:
    """Krippendorff's alpha with MASI distance between code sets (NLTK's AnnotationTask).

    An empty code set is given a "<no code>" label, as MASI is undefined for two empty sets.
    """
    from nltk.metrics.agreement import AnnotationTask
    from nltk.metrics.distance import masi_distance

    _same_length(gold, predicted)
    data = []
    for item, (g, p) in enumerate(zip(gold, predicted)):
        data.append((coders[0], str(item), g or frozenset({NO_CODE})))
        data.append((coders[1], str(item), p or frozenset({NO_CODE})))
    return AnnotationTask(data=data, distance=masi_distance).alpha()


def _same_length(gold: Sequence[Codes], predicted: Sequence[Codes]) -> None:
    if len(gold) != len(predicted) or not gold:
        raise ValueError("both codings must cover the same, non-empty list of answers")

"""Themes per answer as a sparse matrix, so that theme counts over any set of answers
(a principle's, a group's, a theme's) take one vectorised pass at 100,000 responses."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence

import numpy as np


def encode(keys: Iterable[Hashable], count: int) -> tuple[np.ndarray, list]:
    """(code of each of `count` keys, distinct keys in first-seen order)."""
    code: dict = {}
    codes = np.fromiter((code.setdefault(key, len(code)) for key in keys), dtype=np.int64, count=count)
    return codes, list(code)


def encode_shared(items: Sequence[Hashable]) -> tuple[np.ndarray, list]:
    """encode() for items that are mostly the same few objects over and over (e.g. one tuple of theme
    names per combination): objects are told apart by identity first, then equal ones merged."""
    if not len(items):
        return np.empty(0, dtype=np.int64), []
    identity = np.fromiter(map(id, items), dtype=np.int64, count=len(items))
    _, first, inverse = np.unique(identity, return_index=True, return_inverse=True)
    first_seen = np.argsort(first, kind="stable")  # objects in order of first appearance
    code: dict = {}
    object_code = np.empty(len(first), dtype=np.int64)
    object_code[first_seen] = [code.setdefault(items[i], len(code)) for i in first[first_seen].tolist()]
    return object_code[inverse.ravel()], list(code)


class ThemeIndex:
    def __init__(self, respondent: np.ndarray, people: int, themes: Sequence[tuple[str, ...]],
                 rows: np.ndarray | None = None):
        """One row per answer (the `rows` of `themes` when given): who gave it (a number below
        `people`) and the themes it was coded with."""
        from scipy.sparse import csr_matrix

        n = len(respondent)
        self.respondent, self.people = respondent, people
        # Many answers share one combination of themes: build each combination's row once.
        combo_of, combos = encode_shared(themes)
        combo_of = combo_of if rows is None else combo_of[rows]
        names: dict[str, int] = {}
        rows, cols = [], []
        for i, combo in enumerate(combos):
            for theme in dict.fromkeys(combo):
                rows.append(i)
                cols.append(names.setdefault(theme, len(names)))
        self.names = list(names)
        self.column = names
        width = max(len(names), 1)
        per_combo = csr_matrix((np.ones(len(rows), dtype=np.int32), (rows, cols)), shape=(max(len(combos), 1), width))
        self.matrix = per_combo[combo_of] if n else csr_matrix((0, width), dtype=np.int32)
        self._by_theme = self.matrix.tocsc()

    def counts(self, rows: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(answers, distinct respondents) per theme over the answer rows (all when None)."""
        from scipy.sparse import coo_matrix

        sub = self.matrix if rows is None else self.matrix[rows]
        answers = np.asarray(sub.sum(axis=0)).ravel()
        coo = sub.tocoo()
        respondent = (self.respondent if rows is None else self.respondent[rows])[coo.row]
        # Converting to CSC merges repeated (respondent, theme) pairs: one entry per person.
        per_person = coo_matrix((np.ones(len(respondent), dtype=np.int32), (respondent, coo.col)),
                                shape=(max(self.people, 1), sub.shape[1])).tocsc()
        return answers, np.diff(per_person.indptr)

    def ranked(self, rows: np.ndarray | None = None) -> list[tuple[str, int, int]]:
        """(theme, answers, respondents) for themes present, most respondents first."""
        answers, respondents = self.counts(rows)
        present = [i for i in range(len(self.names)) if answers[i]]
        present.sort(key=lambda i: (-respondents[i], -answers[i], self.names[i]))
        return [(self.names[i], int(answers[i]), int(respondents[i])) for i in present]

    def rows_with(self, theme: str) -> np.ndarray:
        """Rows of the answers coded with `theme`, in order."""
        column = self._by_theme[:, self.column[theme]]
        return np.sort(column.indices)

